package dev.him.audit.monitoring;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Keeps {@code him_privacy_alerts_open} (alerts not closed: OPEN or INVESTIGATING; registered by
 * {@link PrivacyAlerts}, which recounts it on each change it makes) right when the change was made
 * elsewhere: by another instance of this service, or by the monitor of another instance opening
 * alerts. One count on the queue index every {@code him.metrics.refresh}, never on a scrape; while
 * the database is away the gauge keeps its last value.
 */
@ApplicationScoped
public class AlertMetrics {
  private static final Logger LOG = Logger.getLogger(AlertMetrics.class);

  @Inject PrivacyAlerts alerts;

  private volatile boolean failing;

  @Scheduled(
      every = "${him.metrics.refresh:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    try {
      alerts.refreshGauge();
      if (failing) {
        failing = false;
        LOG.info("open privacy alerts can be counted again");
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        LOG.warnf(
            "open privacy alerts cannot be counted (%s); the gauge keeps its last value",
            e.getClass().getSimpleName());
      }
    }
  }
}
