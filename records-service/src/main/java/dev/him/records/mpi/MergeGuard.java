package dev.him.records.mpi;

import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.records.patient.PatientRecord;
import dev.him.records.patient.PatientService;
import dev.him.records.resource.DeletionRequested;
import dev.him.records.resource.ResourceChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;

/**
 * Keeps merges whole. A merged patient's record lives at the survivor, so new clinical data for the
 * merged patient is refused (409 naming the survivor) rather than left where nobody looks; a merged
 * patient and the survivor of an active merge cannot be deleted (that would break the redirect and
 * make the merge impossible to undo); a deleted patient leaves the review queue.
 */
@ApplicationScoped
public class MergeGuard {
  @Inject EntityManager em;
  @Inject DuplicateDetector detector;

  void onResourceChanged(@Observes ResourceChanged change) {
    if (change.patientId() == null || "DELETE".equals(change.method())) {
      return;
    }
    // found in the persistence context when the same transaction touched the patient (bundles)
    PatientRecord patient = em.find(PatientRecord.class, change.patientId());
    if (patient != null && patient.mergedInto != null) {
      String field =
          change.type()
              + (change.resource().getNamedProperty("patient") != null ? ".patient" : ".subject");
      throw new ProblemException(
          409,
          "Patient merged",
          "Patient/"
              + patient.id
              + " was merged into Patient/"
              + patient.mergedInto
              + "; record "
              + change.type()
              + " on Patient/"
              + patient.mergedInto,
          List.of(new InvalidParam(field, "use Patient/" + patient.mergedInto)));
    }
  }

  void onDeletion(@Observes DeletionRequested deletion) {
    if (!"Patient".equals(deletion.type())) {
      return;
    }
    PatientRecord patient = em.find(PatientRecord.class, deletion.id());
    if (patient != null && patient.mergedInto != null) {
      throw PatientService.mergedAway(patient.id, patient.mergedInto);
    }
    List<?> sources =
        em.createNativeQuery(
                "select source_id from mpi_link where survivor_id = ?1 and status = 'active'"
                    + " order by merged_at limit 5")
            .setParameter(1, deletion.id())
            .getResultList();
    if (!sources.isEmpty()) {
      throw new ProblemException(
          409,
          "Survivor of a merge",
          "Patient/"
              + deletion.id()
              + " is the survivor of merges of "
              + String.join(", ", sources.stream().map(s -> "Patient/" + s).toList())
              + "; unmerge them first",
          List.of());
    }
    detector.supersedeOpen(deletion.id(), "Patient/" + deletion.id() + " was deleted");
  }
}
