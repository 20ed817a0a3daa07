package dev.him.audit.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * Access events into the log the way production gets them (published to Kafka, ingested by the
 * service), and the alerts and cursors the monitor leaves, read back from the database.
 */
final class AccessLogFixture {
  // instants as ISO-8601 text, as the services publish them
  static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** A Wednesday, 10:00 in New York: inside working hours. */
  static final Instant WORKING_HOURS = Instant.parse("2026-11-25T15:00:00Z");

  private final AgroalDataSource db;
  private final String bootstrap;

  AccessLogFixture(AgroalDataSource db, String bootstrap) {
    this.db = db;
    this.bootstrap = bootstrap;
  }

  static String id(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static AccessEvent read(
      String user, String role, String purpose, Instant at, String... patients) {
    return event(user, role, purpose, at, AccessOutcome.SUCCESS, patients);
  }

  static AccessEvent event(
      String user,
      String role,
      String purpose,
      Instant at,
      AccessOutcome outcome,
      String... patients) {
    return new AccessEvent(
        UUID.randomUUID(),
        AccessEvent.TYPE,
        AccessEvent.VERSION,
        at,
        new Actor("sub-" + user, user, List.of(role), "him-console"),
        patients.length == 1 ? AccessAction.READ : AccessAction.SEARCH,
        "Patient",
        patients.length == 1 ? patients[0] : null,
        List.of(patients),
        outcome,
        purpose,
        "req-" + UUID.randomUUID(),
        "records-service",
        null);
  }

  /** Publishes the events and waits until every one is in the log. */
  void log(AccessEvent... events) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (AccessEvent e : events) {
        producer
            .send(
                new ProducerRecord<>(
                    "him.access-events", e.partitionKey(), JSON.writeValueAsString(e)))
            .get();
      }
    }
    for (AccessEvent e : events) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> position(e.eventId()) != null);
    }
  }

  /** (chain, seq) of the event's entry, or null while it is not in the log. */
  long[] position(UUID eventId) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement("select chain_id, seq from audit_entry where event_id = ?")) {
      q.setObject(1, eventId);
      ResultSet rs = q.executeQuery();
      return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
    }
  }

  /** The chain's cursor, or null before its first evaluation. */
  Long cursor(long chain) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement("select last_seq from privacy_cursor where chain_id = ?")) {
      q.setLong(1, chain);
      ResultSet rs = q.executeQuery();
      return rs.next() ? rs.getLong(1) : null;
    }
  }

  void resetCursors() throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement("update privacy_cursor set last_seq = -1")) {
      q.executeUpdate();
    }
  }

  /** The alerts opened on this event: "RULE patientId" → evidence. */
  Map<String, JsonNode> alerts(AccessEvent event) throws Exception {
    Map<String, JsonNode> found = new LinkedHashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select rule, patient_id, cast(evidence as text), status, username, chain_id, seq"
                    + " from privacy_alert where event_id = ? order by rule, patient_id")) {
      q.setObject(1, event.eventId());
      ResultSet rs = q.executeQuery();
      while (rs.next()) {
        assertThat(rs.getString(4)).isEqualTo("OPEN");
        assertThat(rs.getString(5)).isEqualTo(event.actor().username());
        found.put(rs.getString(1) + " " + rs.getString(2), JSON.readTree(rs.getString(3)));
      }
    }
    return found;
  }

  /** The rules that fired on this event (each "RULE patientId"). */
  List<String> fired(AccessEvent event) throws Exception {
    return List.copyOf(alerts(event).keySet());
  }

  long alertCount() throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement("select count(*) from privacy_alert")) {
      ResultSet rs = q.executeQuery();
      rs.next();
      return rs.getLong(1);
    }
  }
}
