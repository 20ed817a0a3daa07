package dev.him.records.mpi;

import dev.him.records.fhir.FhirParser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.jboss.logging.Logger;

/**
 * Indexes patients registered before the master patient index existed (or restored without it), a
 * batch per transaction, and compares each with those already indexed, so the queue covers every
 * patient and not only those changed since. New and changed patients are indexed as they are
 * written, so once a pass finds nothing left, the job stops looking until the next start.
 */
@ApplicationScoped
public class MpiBackfill {
  private static final Logger LOG = Logger.getLogger(MpiBackfill.class);
  static final int BATCH = 200;

  @Inject EntityManager em;
  @Inject FhirParser fhir;
  @Inject DuplicateDetector detector;

  private volatile boolean done;

  @Scheduled(
      every = "${him.mpi.backfill-every}",
      delayed = "${him.mpi.backfill-delay}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    int total = 0;
    int n;
    while (!done && (n = QuarkusTransaction.requiringNew().call(this::indexBatch)) > 0) {
      total += n;
    }
    if (total > 0) {
      LOG.infof("master patient index: indexed %d patients registered before it", total);
    }
  }

  /**
   * Indexes up to {@link #BATCH} patients that have no match profile yet, oldest first.
   *
   * @return how many were indexed; 0 when none is left
   */
  @Transactional
  public int indexBatch() {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select p.id, cast(p.resource as text) from patient p where p.deleted_at is null"
                    + " and not exists (select 1 from mpi_profile m where m.patient_id = p.id)"
                    + " order by p.created_at, p.id limit "
                    + BATCH)
            .getResultList();
    for (Object[] r : rows) {
      detector.refresh(
          (String) r[0],
          fhir.context().newJsonParser().parseResource(Patient.class, (String) r[1]));
    }
    if (rows.isEmpty()) {
      done = true;
    }
    return rows.size();
  }
}
