package dev.him.audit.verify;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Verifies the whole log on a timer ({@code him.audit.verify.every}, daily by default) and keeps
 * the outcome of the latest verify of this instance — scheduled or asked for at GET
 * /api/audit/verify — as metrics, so an alteration raises an operations alert
 * (HimAuditVerifyFailed) without anyone asking: {@code him_audit_verify_intact} 1 or 0 (NaN until
 * the first verify) and {@code him_audit_verify_last_run_seconds} (epoch seconds of its end).
 */
@ApplicationScoped
public class VerifySchedule {
  private static final Logger LOG = Logger.getLogger(VerifySchedule.class);

  @Inject ChainVerifier verifier;
  @Inject MeterRegistry registry;

  private volatile double intact = Double.NaN;
  private volatile double lastRun = Double.NaN;

  void registerGauges(@Observes StartupEvent start) {
    Gauge.builder("him.audit.verify.intact", this, s -> s.intact)
        .description("1 when the latest verify found every chain and checkpoint intact, else 0")
        .register(registry);
    Gauge.builder("him.audit.verify.last.run.seconds", this, s -> s.lastRun)
        .description("When the latest verify ended, in seconds since the epoch")
        .register(registry);
  }

  @Scheduled(
      every = "${him.audit.verify.every}",
      delayed = "${him.audit.verify.first-delay}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    try {
      ChainVerifier.Result r = verify();
      LOG.infof(
          "scheduled verify: %s, %d entries and %d checkpoints",
          r.intact() ? "intact" : "NOT intact", r.checkedEntries(), r.checkedCheckpoints());
    } catch (RuntimeException e) {
      // the database was away: no outcome, the gauges keep the last one
      LOG.warnf("scheduled verify could not run (%s)", e.getClass().getSimpleName());
    }
  }

  /** Verifies the log, records the outcome in the gauges and logs the first problem. */
  public ChainVerifier.Result verify() {
    ChainVerifier.Result result = verifier.verify();
    intact = result.intact() ? 1 : 0;
    lastRun = System.currentTimeMillis() / 1000.0;
    if (!result.intact()) {
      ChainVerifier.Problem p = result.firstProblem();
      LOG.errorf(
          "audit log does not verify: %s in %s/%d at entry %s, checkpoint %s",
          p.kind(), p.topic(), p.partition(), p.seq(), p.treeSize());
    }
    return result;
  }
}
