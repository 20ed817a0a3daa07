package dev.him.requests.fulfilment;

import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;

/**
 * Which record type (the codes a request's scope uses, e.g. LAB_RESULTS) a FHIR resource belongs
 * to, and the day of care it documents. Resources that are no record of care (Patient,
 * Organization, Practitioner, Provenance ...) have no record type and are never released as
 * records; the cover letter names the patient.
 */
public final class RecordTypes {
  public static final String ENCOUNTERS = "ENCOUNTERS";
  public static final String DIAGNOSES = "DIAGNOSES";
  public static final String PROCEDURES = "PROCEDURES";
  public static final String MEDICATIONS = "MEDICATIONS";
  public static final String LAB_RESULTS = "LAB_RESULTS";
  public static final String VITAL_SIGNS = "VITAL_SIGNS";
  public static final String OBSERVATIONS = "OBSERVATIONS";
  public static final String IMAGING = "IMAGING";
  public static final String IMMUNIZATIONS = "IMMUNIZATIONS";
  public static final String ALLERGIES = "ALLERGIES";
  public static final String CARE_PLANS = "CARE_PLANS";
  public static final String DEVICES = "DEVICES";
  public static final String CLINICAL_NOTES = "CLINICAL_NOTES";
  public static final String DISCHARGE_SUMMARY = "DISCHARGE_SUMMARY";
  public static final String HISTORY_AND_PHYSICAL = "HISTORY_AND_PHYSICAL";
  public static final String OPERATIVE_REPORTS = "OPERATIVE_REPORTS";
  public static final String BILLING = "BILLING";

  /** The order of the sections in the packet. */
  public static final List<String> ORDER =
      List.of(
          ENCOUNTERS,
          DIAGNOSES,
          PROCEDURES,
          MEDICATIONS,
          LAB_RESULTS,
          VITAL_SIGNS,
          OBSERVATIONS,
          IMAGING,
          IMMUNIZATIONS,
          ALLERGIES,
          CARE_PLANS,
          DEVICES,
          DISCHARGE_SUMMARY,
          HISTORY_AND_PHYSICAL,
          OPERATIVE_REPORTS,
          CLINICAL_NOTES,
          BILLING);

  /** DocumentReference.type LOINC codes with a record type of their own. */
  private static final Map<String, String> NOTE_TYPES =
      Map.of(
          "18842-5", DISCHARGE_SUMMARY,
          "34117-2", HISTORY_AND_PHYSICAL,
          "11504-8", OPERATIVE_REPORTS);

  private RecordTypes() {}

  /** The record type of a resource, or null when it is no record of care. */
  public static String of(Resource r) {
    if (r instanceof Encounter) return ENCOUNTERS;
    if (r instanceof Condition) return DIAGNOSES;
    if (r instanceof Procedure) return PROCEDURES;
    if (r instanceof MedicationRequest || r instanceof MedicationAdministration) return MEDICATIONS;
    if (r instanceof DiagnosticReport) return LAB_RESULTS;
    if (r instanceof Observation o) return observation(o);
    if (r instanceof ImagingStudy) return IMAGING;
    if (r instanceof Immunization) return IMMUNIZATIONS;
    if (r instanceof AllergyIntolerance) return ALLERGIES;
    if (r instanceof CarePlan || r instanceof CareTeam) return CARE_PLANS;
    if (r instanceof Device) return DEVICES;
    if (r instanceof DocumentReference d) return note(d);
    if (r instanceof Claim || r instanceof ExplanationOfBenefit) return BILLING;
    return null;
  }

  /**
   * Whether a resource of this type is what the requested codes ask for: its own code, or
   * CLINICAL_NOTES for every kind of note.
   */
  public static boolean requested(String type, java.util.Collection<String> requested) {
    return requested.contains(type)
        || (requested.contains(CLINICAL_NOTES) && NOTE_TYPES.containsValue(type));
  }

  private static String observation(Observation o) {
    for (CodeableConcept c : o.getCategory()) {
      for (Coding coding : c.getCoding()) {
        if ("laboratory".equals(coding.getCode())) return LAB_RESULTS;
        if ("vital-signs".equals(coding.getCode())) return VITAL_SIGNS;
        if ("imaging".equals(coding.getCode())) return IMAGING;
      }
    }
    return OBSERVATIONS;
  }

  private static String note(DocumentReference d) {
    for (Coding c : d.getType().getCoding()) {
      String type = NOTE_TYPES.get(c.getCode());
      if (type != null) return type;
    }
    return CLINICAL_NOTES;
  }

  /** The day of care a resource documents (as written, without time zone shifts), or null. */
  public static String day(Resource r) {
    Type t = null;
    if (r instanceof Encounter e) t = e.getPeriod();
    else if (r instanceof Condition c) t = c.hasOnset() ? c.getOnset() : c.getRecordedDateElement();
    else if (r instanceof Procedure p) t = p.getPerformed();
    else if (r instanceof MedicationRequest m) t = m.getAuthoredOnElement();
    else if (r instanceof MedicationAdministration m) t = m.getEffective();
    else if (r instanceof DiagnosticReport d)
      t = d.hasEffective() ? d.getEffective() : d.getIssuedElement();
    else if (r instanceof Observation o)
      t = o.hasEffective() ? o.getEffective() : o.getIssuedElement();
    else if (r instanceof ImagingStudy i) t = i.getStartedElement();
    else if (r instanceof Immunization i) t = i.getOccurrence();
    else if (r instanceof AllergyIntolerance a) t = a.getRecordedDateElement();
    else if (r instanceof CarePlan c) t = c.getPeriod();
    else if (r instanceof CareTeam c) t = c.getPeriod();
    else if (r instanceof Device d) t = d.getManufactureDateElement();
    else if (r instanceof DocumentReference d) t = d.getDateElement();
    else if (r instanceof Claim c)
      t = c.hasBillablePeriod() ? c.getBillablePeriod() : c.getCreatedElement();
    else if (r instanceof ExplanationOfBenefit e)
      t = e.hasBillablePeriod() ? e.getBillablePeriod() : e.getCreatedElement();
    return dayOf(t);
  }

  private static String dayOf(Type t) {
    if (t instanceof Period p) {
      return dayOf(p.hasStart() ? p.getStartElement() : p.getEndElement());
    }
    if (t instanceof BaseDateTimeType d && d.getValueAsString() != null) {
      String s = d.getValueAsString();
      // a year or year-month counts as its first day
      return s.length() >= 10 ? s.substring(0, 10) : (s + "-01-01").substring(0, 10);
    }
    return null;
  }
}
