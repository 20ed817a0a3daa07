package dev.him.records.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * him_outbox_backlog counts the events Kafka has not acknowledged: events the broker refuses stay
 * in the backlog, and leave it once they can be sent.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class OutboxBacklogMetricTest {
  /** Kafka refuses this name (a space), so its events cannot leave the outbox. */
  static final String REFUSED_TOPIC = "him.test refused";

  static final String TOPIC = "him.test.outbox-backlog";

  @Inject AgroalDataSource db;

  double backlog() {
    return Scrape.value("him_outbox_backlog", "");
  }

  List<UUID> addEvents(int n, String topic) throws Exception {
    List<UUID> ids = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ins =
            c.prepareStatement(
                "insert into outbox_event (id, topic, event_key, event_type, event_version,"
                    + " payload) values (?, ?, 'k', 'BacklogProbe', 1, '{}'::jsonb)")) {
      for (int i = 0; i < n; i++) {
        UUID id = UUID.randomUUID();
        ins.setObject(1, id);
        ins.setString(2, topic);
        ins.executeUpdate();
        ids.add(id);
      }
    }
    return ids;
  }

  long unsent(List<UUID> ids) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select count(*) from outbox_event where published_at is null and id = any(?)")) {
      q.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void eventsKafkaRefusesAreTheBacklogUntilTheyCanBeSent() throws Exception {
    // what other tests left in flight is sent within moments
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> backlog() == 0);

    List<UUID> stuck = addEvents(3, REFUSED_TOPIC);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> backlog() == 3);
    // the relay did try them, and keeps them for the next pass
    Thread.sleep(1500);
    assertThat(unsent(stuck)).isEqualTo(3);
    assertThat(backlog()).isEqualTo(3);

    // once they can be sent (here: to a topic Kafka accepts), the backlog empties
    try (Connection c = db.getConnection();
        PreparedStatement up =
            c.prepareStatement("update outbox_event set topic = ? where id = any(?)")) {
      up.setString(1, TOPIC);
      up.setArray(2, c.createArrayOf("uuid", stuck.toArray()));
      assertThat(up.executeUpdate()).isEqualTo(3);
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> unsent(stuck) == 0);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> backlog() == 0);
  }
}
