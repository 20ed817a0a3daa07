package dev.him.records.retention;

import dev.him.common.problem.ProblemException;
import dev.him.records.resource.DeletionRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;

/**
 * Refuses any deletion or destruction that an active legal hold covers, inside the deleting
 * transaction (which the refusal rolls back). A patient is covered by a hold on them or on any of
 * their encounters (deleting the patient takes the encounter's record with it); another resource by
 * a hold on its patient or on its encounter.
 */
@ApplicationScoped
public class LegalHoldGuard {
  @Inject EntityManager em;

  void on(@Observes DeletionRequested e) {
    List<?> matters;
    if ("Patient".equals(e.type())) {
      matters =
          em.createNativeQuery(
                  "select matter from legal_hold where released_at is null and patient_id = ?1"
                      + " order by placed_at")
              .setParameter(1, e.id())
              .getResultList();
    } else {
      String encounter = "Encounter".equals(e.type()) ? e.id() : e.encounterId();
      matters =
          em.createNativeQuery(
                  "select matter from legal_hold where released_at is null"
                      + " and ((scope = 'PATIENT' and patient_id = cast(?1 as varchar))"
                      + " or encounter_id = cast(?2 as varchar))"
                      + " order by placed_at")
              .setParameter(1, e.patientId())
              .setParameter(2, encounter)
              .getResultList();
    }
    if (matters.isEmpty()) {
      return;
    }
    throw new ProblemException(
        409,
        "On legal hold",
        e.type()
            + "/"
            + e.id()
            + " is on legal hold "
            + String.join("; ", matters.stream().map(String::valueOf).toList())
            + ": nothing it covers may be deleted until the hold is released",
        List.of());
  }
}
