package dev.him.records.resource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;

/**
 * What each resource type is searched by: the patient it belongs to, its encounter, its codes, its
 * clinical date, and (Encounter) status and class. Written with typed HAPI accessors so each
 * parameter's meaning is visible here.
 */
final class SearchIndexer {

  record Entry(
      String param, String system, String code, Instant start, Instant end, String reference) {
    static Entry token(String param, String system, String code) {
      return new Entry(param, system, code, null, null, null);
    }

    static Entry reference(String param, String reference) {
      return new Entry(param, null, null, null, null, reference);
    }

    static Entry date(String param, Instant start, Instant end) {
      return new Entry(param, null, null, start, end, null);
    }
  }

  private SearchIndexer() {}

  /** The patient a resource is about, from its subject or patient reference. */
  static String patientOf(IBaseResource resource) {
    Reference ref = null;
    if (resource instanceof Encounter e) ref = e.getSubject();
    else if (resource instanceof Condition c) ref = c.getSubject();
    else if (resource instanceof Procedure p) ref = p.getSubject();
    else if (resource instanceof MedicationRequest m) ref = m.getSubject();
    else if (resource instanceof Observation o) ref = o.getSubject();
    else if (resource instanceof Immunization i) ref = i.getPatient();
    else if (resource instanceof AllergyIntolerance a) ref = a.getPatient();
    else if (resource instanceof DiagnosticReport d) ref = d.getSubject();
    else if (resource instanceof DocumentReference d) ref = d.getSubject();
    else if (resource instanceof org.hl7.fhir.r4.model.Claim c) ref = c.getPatient();
    else if (resource instanceof org.hl7.fhir.r4.model.ExplanationOfBenefit e) ref = e.getPatient();
    else if (resource instanceof org.hl7.fhir.r4.model.CarePlan c) ref = c.getSubject();
    else if (resource instanceof org.hl7.fhir.r4.model.Goal g) ref = g.getSubject();
    else if (resource instanceof org.hl7.fhir.r4.model.ImagingStudy i) ref = i.getSubject();
    if (ref == null || !ref.hasReference() || !ref.getReference().startsWith("Patient/")) {
      return null;
    }
    return ref.getReference().substring("Patient/".length());
  }

  static List<Entry> entries(IBaseResource resource) {
    List<Entry> out = new ArrayList<>();
    if (resource instanceof Encounter e) {
      if (e.hasStatus()) out.add(Entry.token("status", null, e.getStatus().toCode()));
      // who took part: the treatment relationships that break-the-glass checks
      for (Encounter.EncounterParticipantComponent p : e.getParticipant()) {
        if (p.getIndividual().hasReference()) {
          out.add(Entry.reference("participant", p.getIndividual().getReference()));
        }
      }
      if (e.hasClass_()) {
        out.add(Entry.token("class", e.getClass_().getSystem(), e.getClass_().getCode()));
      }
      period(out, e.getPeriod());
    } else if (resource instanceof org.hl7.fhir.r4.model.Practitioner p) {
      for (org.hl7.fhir.r4.model.Identifier i : p.getIdentifier()) {
        if (i.hasValue()) out.add(Entry.token("identifier", i.getSystem(), i.getValue()));
      }
    } else if (resource instanceof Condition c) {
      codes(out, c.getCode());
      encounter(out, c.getEncounter());
      date(out, c.getOnset());
      if (!c.hasOnset() && c.hasRecordedDate()) at(out, c.getRecordedDate());
    } else if (resource instanceof Procedure p) {
      codes(out, p.getCode());
      encounter(out, p.getEncounter());
      date(out, p.getPerformed());
    } else if (resource instanceof MedicationRequest m) {
      if (m.hasMedicationCodeableConcept()) codes(out, m.getMedicationCodeableConcept());
      encounter(out, m.getEncounter());
      if (m.hasAuthoredOn()) at(out, m.getAuthoredOn());
    } else if (resource instanceof Observation o) {
      codes(out, o.getCode());
      encounter(out, o.getEncounter());
      date(out, o.getEffective());
    }
    return out;
  }

  private static void codes(List<Entry> out, CodeableConcept cc) {
    for (Coding c : cc.getCoding()) {
      if (c.hasCode()) out.add(Entry.token("code", c.getSystem(), c.getCode()));
    }
  }

  private static void encounter(List<Entry> out, Reference ref) {
    if (ref != null && ref.hasReference())
      out.add(Entry.reference("encounter", ref.getReference()));
  }

  private static void date(List<Entry> out, Type value) {
    if (value instanceof BaseDateTimeType dt && dt.getValue() != null) {
      out.add(Entry.date("date", dt.getValue().toInstant(), end(dt)));
    } else if (value instanceof Period p) {
      period(out, p);
    }
  }

  private static void period(List<Entry> out, Period p) {
    if (p != null && (p.hasStart() || p.hasEnd())) {
      Instant start = p.hasStart() ? p.getStart().toInstant() : p.getEnd().toInstant();
      Instant end = p.hasEnd() ? p.getEnd().toInstant() : start;
      out.add(Entry.date("date", start, end));
    }
  }

  private static void at(List<Entry> out, Date d) {
    out.add(Entry.date("date", d.toInstant(), d.toInstant()));
  }

  /** The end of a date's precision: 2020-03 runs to the end of March. */
  private static Instant end(BaseDateTimeType dt) {
    Instant start = dt.getValue().toInstant();
    return switch (dt.getPrecision()) {
      case YEAR -> start.atZone(java.time.ZoneOffset.UTC).plusYears(1).toInstant();
      case MONTH -> start.atZone(java.time.ZoneOffset.UTC).plusMonths(1).toInstant();
      case DAY -> start.plus(java.time.Duration.ofDays(1));
      default -> start;
    };
  }
}
