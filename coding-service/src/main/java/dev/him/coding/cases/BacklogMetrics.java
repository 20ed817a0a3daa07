package dev.him.coding.cases;

import dev.him.common.metrics.PolledValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code him_coding_backlog{status}}: discharged encounters waiting to be coded, i.e. coding cases
 * not final, by status (open, in-progress, on-hold, reopened). The same cases as the backlog of GET
 * /api/coding/reports/backlog, without the ages; one grouped count on the queue index every
 * refresh, never on a scrape.
 */
@Startup
@ApplicationScoped
public class BacklogMetrics {
  @Inject Sql sql;
  @Inject MeterRegistry registry;

  @ConfigProperty(name = "him.metrics.stale-after", defaultValue = "60s")
  Duration staleAfter;

  private PolledValues backlog;

  @PostConstruct
  void register() {
    backlog = new PolledValues("coding backlog", staleAfter, this::notFinalByStatus);
    for (String status : CaseStatus.NOT_FINAL) {
      backlog.gauge(
          registry,
          "him.coding.backlog",
          "Discharged encounters waiting to be coded (coding cases not final), by status",
          status,
          Tags.of("status", status));
    }
  }

  @Scheduled(
      every = "${him.metrics.refresh:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    backlog.refresh();
  }

  private Map<String, Long> notFinalByStatus() {
    Map<String, Long> counts = new HashMap<>();
    sql.list(
            "select status, count(*) from coding_case where status <> 'final' group by status",
            rs -> Map.entry(rs.getString(1), rs.getLong(2)))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }
}
