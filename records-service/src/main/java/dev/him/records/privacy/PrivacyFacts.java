package dev.him.records.privacy;

import dev.him.common.access.AccessRecorder;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.records.fhir.FhirParser;
import dev.him.records.patient.PatientRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;

/**
 * What audit-service's privacy monitoring needs to know of a patient, and nothing more: family
 * names and street addresses (to compare with the user's), the VIP and other security labels,
 * death, and the practitioners of the patient's encounters (the treatment relationships).
 */
@ApplicationScoped
public class PrivacyFacts {
  static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

  /** HL7 v3 ActCode "celebrity": the patient is a VIP. */
  static final String CELEBRITY = "CEL";

  @Inject EntityManager em;
  @Inject FhirParser fhir;
  @Inject AccessRecorder access;

  /** One postal address: its street line and its postal code. */
  public record StreetAddress(String line, String postalCode) {}

  /** The facts of one patient (deceasedAt as FHIR dateTime, a day or an instant, or null). */
  public record Facts(
      String patientId,
      List<String> familyNames,
      List<StreetAddress> addresses,
      boolean vip,
      List<String> securityCodes,
      boolean deceased,
      String deceasedAt,
      List<String> encounterPractitionerIds) {}

  /** The facts, with the read recorded like any other read of the patient; 404 when unknown. */
  @Transactional
  public Facts of(String patientId) {
    PatientRecord row = PatientRecord.findById(patientId);
    if (row == null) {
      throw ProblemException.notFound("Patient/" + patientId + " is not known");
    }
    // a deleted patient keeps its facts: an access to it is still to be judged
    Patient p = fhir.parse(row.resource, Patient.class);
    Set<String> families = new LinkedHashSet<>();
    for (HumanName n : p.getName()) {
      if (n.hasFamily()) families.add(n.getFamily());
    }
    List<StreetAddress> addresses = new ArrayList<>();
    for (Address a : p.getAddress()) {
      // the first line is the street line; later ones (apartment, care of) do not make another
      String line = a.getLine().isEmpty() ? null : a.getLine().get(0).getValue();
      if (line != null || a.hasPostalCode()) {
        addresses.add(new StreetAddress(line, a.getPostalCode()));
      }
    }
    Set<String> codes = new LinkedHashSet<>();
    boolean vip = false;
    for (Coding c : p.getMeta().getSecurity()) {
      if (c.hasCode()) codes.add(c.getCode());
      vip |= CELEBRITY.equals(c.getCode()) && ACT_CODE.equals(c.getSystem());
    }
    boolean deceased =
        p.hasDeceasedDateTimeType()
            || (p.hasDeceasedBooleanType() && p.getDeceasedBooleanType().booleanValue());
    String deceasedAt =
        p.hasDeceasedDateTimeType() ? p.getDeceasedDateTimeType().getValueAsString() : null;
    Facts facts =
        new Facts(
            patientId,
            List.copyOf(families),
            addresses,
            vip,
            List.copyOf(codes),
            deceased,
            deceasedAt,
            encounterPractitioners(recordOf(row)));
    access.success(AccessAction.READ, "Patient", patientId, List.of(patientId), "privacy facts");
    return facts;
  }

  /**
   * The patient and, for a merged patient, the survivor(s) it was merged into: a merge moves the
   * encounters to the survivor, and whoever treated the person there is in a relationship with the
   * old record too.
   */
  private static List<String> recordOf(PatientRecord row) {
    List<String> ids = new ArrayList<>(List.of(row.id));
    PatientRecord next = row;
    while (next != null
        && next.mergedInto != null
        && !ids.contains(next.mergedInto)
        && ids.size() < 10) {
      ids.add(next.mergedInto);
      next = PatientRecord.findById(next.mergedInto);
    }
    return ids;
  }

  /**
   * Practitioners named as participants of the patients' encounters (deleted encounters left out):
   * by the patient index of fhir_resource and the search index of each encounter, no full scan.
   */
  @SuppressWarnings("unchecked")
  private List<String> encounterPractitioners(List<String> patientIds) {
    List<String> refs =
        em.createNativeQuery(
                "select distinct i.reference from fhir_resource e"
                    + " join fhir_search_index i on i.resource_type = 'Encounter' and i.id = e.id"
                    + "  and i.param = 'participant' and i.reference like 'Practitioner/%'"
                    + " where e.patient_id in (?1) and e.resource_type = 'Encounter'"
                    + "  and e.deleted_at is null order by i.reference")
            .setParameter(1, patientIds)
            .getResultList();
    return refs.stream().map(r -> r.substring("Practitioner/".length())).toList();
  }
}
