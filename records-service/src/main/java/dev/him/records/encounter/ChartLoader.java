package dev.him.records.encounter;

import dev.him.events.v1.CodedEntry;
import dev.him.records.document.Signing;
import dev.him.records.fhir.FhirParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads an encounter's chart from the store: the Encounter, the Conditions and Procedures whose
 * encounter it is (found through the search index), the Conditions its diagnosis list names, and
 * the DocumentReferences whose context names it. Every lookup goes by primary key or index.
 */
@ApplicationScoped
public class ChartLoader {
  static final String ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
  static final String SNOMED = "http://snomed.info/sct";

  /** Encounter states in which nothing took place, so nothing can be discharged or deficient. */
  private static final Set<String> DID_NOT_HAPPEN =
      Set.of("planned", "cancelled", "entered-in-error");

  /** Diagnosis uses whose rank 1 is the principal diagnosis (discharge, billing) or no use. */
  private static final Set<String> PRINCIPAL_USES = Set.of("DD", "billing");

  @Inject EntityManager em;
  @Inject FhirParser fhir;

  /** Participant types that make a participant the attending. */
  @ConfigProperty(name = "him.encounter.attending-participant-types", defaultValue = "ATND")
  Set<String> attendingTypes;

  /**
   * Senders that do not type participants (Synthea) name the attending as the one untyped
   * participant; this takes the first untyped Practitioner when no participant is typed attending.
   */
  @ConfigProperty(name = "him.encounter.untyped-participant-is-attending", defaultValue = "true")
  boolean untypedIsAttending;

  public Optional<Chart> load(String encounterId) {
    List<?> rows =
        em.createNativeQuery(
                "select patient_id, cast(resource as text), deleted_at from fhir_resource"
                    + " where resource_type = 'Encounter' and id = ?1")
            .setParameter(1, encounterId)
            .getResultList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Object[] row = (Object[]) rows.get(0);
    if (row[2] != null) {
      return Optional.empty();
    }
    Encounter e = parse(Encounter.class, (String) row[1]);
    String status = e.hasStatus() ? e.getStatus().toCode() : null;
    boolean happened = status == null || !DID_NOT_HAPPEN.contains(status);
    boolean discharged =
        "finished".equals(status)
            || (happened
                && (e.getPeriod().hasEnd() || e.getHospitalization().hasDischargeDisposition()));

    List<Chart.Participant> participants = new ArrayList<>();
    for (Encounter.EncounterParticipantComponent p : e.getParticipant()) {
      Set<String> types = new LinkedHashSet<>();
      for (CodeableConcept t : p.getType()) {
        for (Coding c : t.getCoding()) {
          if (c.hasCode()) types.add(c.getCode());
        }
      }
      participants.add(
          new Chart.Participant(References.idOf(p.getIndividual(), "Practitioner"), types));
    }

    String reference = "Encounter/" + encounterId;
    @SuppressWarnings("unchecked")
    List<Object[]> linked =
        em.createNativeQuery(
                "select r.resource_type, r.id, cast(r.resource as text) from fhir_search_index i"
                    + " join fhir_resource r on r.resource_type = i.resource_type and r.id = i.id"
                    + " where i.resource_type in ('Condition', 'Procedure') and i.param = 'encounter'"
                    + " and i.reference = ?1 and r.deleted_at is null"
                    + " order by r.last_updated, r.id")
            .setParameter(1, reference)
            .getResultList();
    Map<String, Condition> conditions = new LinkedHashMap<>();
    Map<String, Procedure> procedures = new LinkedHashMap<>();
    for (Object[] r : linked) {
      if ("Condition".equals(r[0])) {
        conditions.putIfAbsent((String) r[1], parse(Condition.class, (String) r[2]));
      } else {
        procedures.putIfAbsent((String) r[1], parse(Procedure.class, (String) r[2]));
      }
    }

    return Optional.of(
        new Chart(
            encounterId,
            (String) row[0],
            happened,
            discharged,
            status,
            e.getClass_().getCode(),
            e.getPeriod().hasStart() ? e.getPeriod().getStart().toInstant() : null,
            e.getPeriod().hasEnd() ? e.getPeriod().getEnd().toInstant() : null,
            firstCode(e.getHospitalization().getDischargeDisposition()),
            attending(participants),
            participants,
            diagnoses(e, conditions, procedures),
            procedures(procedures),
            documents(encounterId)));
  }

  /**
   * Encounter.diagnosis first, in rank order (rank 1 of the discharge or billing list, or of an
   * unlabelled list, is "principal"; others carry their use code, or "secondary"), then every other
   * Condition of the encounter without a role. Conditions entered in error are left out.
   */
  private List<CodedEntry> diagnoses(
      Encounter e, Map<String, Condition> linked, Map<String, Procedure> procedures) {
    Map<String, CodedEntry> out = new LinkedHashMap<>();
    List<Encounter.DiagnosisComponent> listed = new ArrayList<>(e.getDiagnosis());
    listed.sort(
        Comparator.comparingInt(
            d -> d.hasRank() ? d.getRankElement().getValue() : Integer.MAX_VALUE));
    Map<String, String> roles = new LinkedHashMap<>();
    for (Encounter.DiagnosisComponent d : listed) {
      String conditionId = References.idOf(d.getCondition(), "Condition");
      if (conditionId != null) {
        roles.putIfAbsent(conditionId, role(d));
        continue;
      }
      String procedureId = References.idOf(d.getCondition(), "Procedure");
      if (procedureId != null && !procedures.containsKey(procedureId)) {
        byId(Procedure.class, procedureId).ifPresent(p -> procedures.put(procedureId, p));
      }
    }
    for (var listedCondition : roles.entrySet()) {
      Condition c = linked.get(listedCondition.getKey());
      if (c == null) {
        c = byId(Condition.class, listedCondition.getKey()).orElse(null);
      }
      if (c != null && !enteredInError(c)) {
        out.put(
            listedCondition.getKey(),
            entry(listedCondition.getKey(), c.getCode(), listedCondition.getValue(), null));
      }
    }
    for (var c : linked.entrySet()) {
      if (!out.containsKey(c.getKey()) && !enteredInError(c.getValue())) {
        out.put(c.getKey(), entry(c.getKey(), c.getValue().getCode(), null, null));
      }
    }
    return List.copyOf(out.values());
  }

  private static String role(Encounter.DiagnosisComponent d) {
    String use =
        d.getUse().getCoding().stream()
            .filter(Coding::hasCode)
            .map(Coding::getCode)
            .findFirst()
            .orElse(null);
    boolean first = d.hasRank() && d.getRankElement().getValue() == 1;
    if (first && (use == null || PRINCIPAL_USES.contains(use))) return "principal";
    if (use != null) return use;
    return d.hasRank() ? "secondary" : null;
  }

  private static boolean enteredInError(Condition c) {
    return c.getVerificationStatus().getCoding().stream()
        .anyMatch(x -> "entered-in-error".equals(x.getCode()));
  }

  /** Procedures performed in the encounter: not those entered in error or not done. */
  private static List<CodedEntry> procedures(Map<String, Procedure> procedures) {
    List<CodedEntry> out = new ArrayList<>();
    for (var e : procedures.entrySet()) {
      Procedure p = e.getValue();
      if (p.hasStatus()
          && (p.getStatus() == Procedure.ProcedureStatus.ENTEREDINERROR
              || p.getStatus() == Procedure.ProcedureStatus.NOTDONE)) {
        continue;
      }
      Instant at = null;
      if (p.hasPerformedDateTimeType() && p.getPerformedDateTimeType().getValue() != null) {
        at = p.getPerformedDateTimeType().getValue().toInstant();
      } else if (p.hasPerformedPeriod() && p.getPerformedPeriod().hasStart()) {
        at = p.getPerformedPeriod().getStart().toInstant();
      }
      out.add(entry(e.getKey(), p.getCode(), null, at));
    }
    return out;
  }

  /** One code per resource: ICD-10-CM when recorded, else SNOMED CT, else the first coding. */
  private static CodedEntry entry(String id, CodeableConcept code, String role, Instant at) {
    Coding chosen = null;
    for (String preferred : List.of(ICD10CM, SNOMED)) {
      for (Coding c : code.getCoding()) {
        if (chosen == null && preferred.equals(c.getSystem()) && c.hasCode()) chosen = c;
      }
    }
    if (chosen == null) {
      chosen = code.getCoding().stream().filter(Coding::hasCode).findFirst().orElse(null);
    }
    if (chosen == null) {
      return new CodedEntry(id, null, null, code.getText(), role, at);
    }
    String display = chosen.hasDisplay() ? chosen.getDisplay() : code.getText();
    return new CodedEntry(id, chosen.getSystem(), chosen.getCode(), display, role, at);
  }

  private String attending(List<Chart.Participant> participants) {
    for (Chart.Participant p : participants) {
      if (p.practitionerId() != null && p.types().stream().anyMatch(attendingTypes::contains)) {
        return p.practitionerId();
      }
    }
    if (untypedIsAttending) {
      for (Chart.Participant p : participants) {
        if (p.practitionerId() != null && p.types().isEmpty()) return p.practitionerId();
      }
    }
    return null;
  }

  private List<Chart.Document> documents(String encounterId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select r.id, cast(r.resource as text) from encounter_document d"
                    + " join fhir_resource r on r.resource_type = 'DocumentReference'"
                    + " and r.id = d.document_id"
                    + " where d.encounter_id = ?1 and r.deleted_at is null order by r.id")
            .setParameter(1, encounterId)
            .getResultList();
    List<Chart.Document> out = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      DocumentReference d = parse(DocumentReference.class, (String) r[1]);
      List<Chart.Code> types = new ArrayList<>();
      for (Coding c : d.getType().getCoding()) {
        if (c.hasCode()) types.add(new Chart.Code(c.getSystem(), c.getCode()));
      }
      out.add(
          new Chart.Document(
              (String) r[0],
              types,
              d.hasStatus() ? d.getStatus().toCode() : null,
              d.hasDocStatus() ? d.getDocStatus().toCode() : null,
              Signing.isSigned(d),
              Signing.author(d)));
    }
    return out;
  }

  private <T extends Resource> Optional<T> byId(Class<T> type, String id) {
    List<?> rows =
        em.createNativeQuery(
                "select cast(resource as text) from fhir_resource where resource_type = ?1"
                    + " and id = ?2 and deleted_at is null")
            .setParameter(1, type.getSimpleName())
            .setParameter(2, id)
            .getResultList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(parse(type, (String) rows.get(0)));
  }

  private <T extends Resource> T parse(Class<T> type, String json) {
    return fhir.context().newJsonParser().parseResource(type, json);
  }

  private static String firstCode(CodeableConcept cc) {
    return cc.getCoding().stream()
        .filter(Coding::hasCode)
        .map(Coding::getCode)
        .findFirst()
        .orElse(null);
  }
}
