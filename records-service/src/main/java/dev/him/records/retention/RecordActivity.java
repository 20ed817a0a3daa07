package dev.him.records.retention;

import dev.him.records.patient.PatientChanged;
import dev.him.records.resource.DeletionRequested;
import dev.him.records.resource.ResourceChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Timestamp;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Resource;

/**
 * Keeps record_activity (each patient's latest record change and latest encounter end) current, in
 * the transaction of the change, so the retention report reads one small indexed table. A bundle
 * touches a patient once per transaction, not once per resource.
 */
@ApplicationScoped
public class RecordActivity {
  private static final String TOUCHED = RecordActivity.class.getName() + ".touched";

  @Inject EntityManager em;
  @Inject TransactionSynchronizationRegistry transaction;

  void onPatient(@Observes PatientChanged e) {
    touch(e.patientId());
  }

  /** A delete is a change too (if a hold refuses it, this rolls back with it). */
  void onDeletion(@Observes DeletionRequested e) {
    if (e.patientId() != null) {
      touch(e.patientId());
    }
  }

  void onResource(@Observes ResourceChanged e) {
    if (e.patientId() != null) {
      touch(e.patientId());
    }
    if (!(e.resource() instanceof Encounter encounter)) {
      return;
    }
    if ("POST".equals(e.method())) {
      Timestamp end = endOf(encounter.getPeriod());
      if (e.patientId() != null && end != null) {
        em.createNativeQuery(
                "update record_activity set last_encounter_end = greatest(last_encounter_end, ?1)"
                    + " where patient_id = ?2")
            .setParameter(1, end)
            .setParameter(2, e.patientId())
            .executeUpdate();
      }
      return;
    }
    // a change may shorten or move an encounter: recompute from the search index
    recomputeEncounterEnd(e.patientId());
    String before = patientOf(e.previous());
    if (before != null && !before.equals(e.patientId())) {
      touch(before);
      recomputeEncounterEnd(before);
    }
  }

  private void touch(String patientId) {
    @SuppressWarnings("unchecked")
    Set<String> touched = (Set<String>) transaction.getResource(TOUCHED);
    if (touched == null) {
      touched = new HashSet<>();
      transaction.putResource(TOUCHED, touched);
    }
    if (!touched.add(patientId)) {
      return;
    }
    em.createNativeQuery(
            "insert into record_activity (patient_id, last_change) values (?1, now())"
                + " on conflict (patient_id) do update"
                + " set last_change = greatest(record_activity.last_change, excluded.last_change)")
        .setParameter(1, patientId)
        .executeUpdate();
  }

  private void recomputeEncounterEnd(String patientId) {
    if (patientId == null) {
      return;
    }
    em.createNativeQuery(
            "update record_activity set last_encounter_end = (select max(i.date_end)"
                + " from fhir_resource r join fhir_search_index i"
                + " on i.resource_type = r.resource_type and i.id = r.id and i.param = 'date'"
                + " where r.patient_id = ?1 and r.resource_type = 'Encounter'"
                + " and r.deleted_at is null)"
                + " where patient_id = ?1")
        .setParameter(1, patientId)
        .executeUpdate();
  }

  /** The end of an encounter, or its start while it has no end (as the search index has it). */
  private static Timestamp endOf(Period p) {
    if (p == null) return null;
    if (p.hasEnd()) return Timestamp.from(p.getEnd().toInstant());
    if (p.hasStart()) return Timestamp.from(p.getStart().toInstant());
    return null;
  }

  private static String patientOf(Resource previous) {
    if (previous instanceof Encounter enc
        && enc.getSubject().hasReference()
        && enc.getSubject().getReference().startsWith("Patient/")) {
      return enc.getSubject().getReference().substring("Patient/".length());
    }
    return null;
  }
}
