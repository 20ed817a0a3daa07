package dev.him.common.outbox;

import dev.him.common.metrics.PolledValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code him_outbox_backlog}: events written but not yet acknowledged by Kafka. Near 0 while the
 * relay keeps up; a backlog that grows means Kafka is away or refuses the events, and consumers
 * (the audit trail among them) fall behind. Counted on the partial index of unsent rows.
 */
@Startup
@ApplicationScoped
@IfBuildProperty(name = "him.outbox.enabled", stringValue = "true")
public class OutboxMetrics {
  @Inject DataSource db;
  @Inject MeterRegistry registry;

  @ConfigProperty(name = "him.metrics.stale-after", defaultValue = "60s")
  Duration staleAfter;

  private PolledValues backlog;

  @PostConstruct
  void register() {
    backlog =
        PolledValues.single("outbox backlog", staleAfter, this::unsent)
            .gauge(
                registry,
                "him.outbox.backlog",
                "Events in the outbox not yet acknowledged by Kafka",
                PolledValues.SINGLE,
                Tags.empty());
  }

  @Scheduled(
      every = "${him.metrics.refresh:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    backlog.refresh();
  }

  private long unsent() throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement("select count(*) from outbox_event where published_at is null")) {
      q.setQueryTimeout(5);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
