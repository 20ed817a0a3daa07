package dev.him.audit.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.Topics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * Gets access events into the log the way production does (Kafka, then the ingester) and reads the
 * service's own outbox, for tests.
 */
public final class AccessEvents {
  private final String bootstrap;
  private final ObjectMapper json;
  private final DataSource db;

  public AccessEvents(String bootstrap, ObjectMapper json, DataSource db) {
    this.bootstrap = bootstrap;
    this.json = json;
    this.db = db;
  }

  /** Publishes the events to him.access-events and waits until each is in audit_entry. */
  public void ingest(List<AccessEvent> events) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (AccessEvent e : events) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.ACCESS_EVENTS, e.partitionKey(), json.writeValueAsString(e)))
            .get();
      }
    }
    for (AccessEvent e : events) {
      awaitLogged(e.eventId());
    }
  }

  public void awaitLogged(UUID eventId) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                count(
                        "select count(*) from audit_entry where event_id = cast(? as uuid)",
                        eventId.toString())
                    == 1);
  }

  /** A count from a query with text parameters (cast in the SQL where needed). */
  public long count(String sql, Object... args) {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        q.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The outbox rows (payload JSON text) written for a request's X-Request-Id. */
  public List<String> outboxByCorrelationId(String requestId) {
    return texts(
        "select cast(payload as text) from outbox_event where payload->>'correlationId' = ?"
            + " order by seq",
        requestId);
  }

  /** The highest outbox sequence so far (0 when empty). */
  public long outboxSeq() {
    return count("select coalesce(max(seq), 0) from outbox_event");
  }

  public List<String> texts(String sql, Object... args) {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        q.setObject(i + 1, args[i]);
      }
      List<String> out = new java.util.ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
