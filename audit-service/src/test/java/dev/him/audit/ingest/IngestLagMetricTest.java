package dev.him.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.audit.testing.AccessEvents;
import dev.him.audit.testing.AuditDatabaseResource;
import dev.him.audit.testing.MetricsScrape;
import dev.him.audit.testing.PrivacyStub;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import dev.him.events.v1.Topics;
import dev.him.infra.testing.KafkaResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * him_audit_ingest_lag on GET /q/metrics: what Kafka holds beyond the offsets the chains stored,
 * growing while ingestion is held up and back to 0 once it catches up.
 */
@QuarkusTest
@QuarkusTestResource(value = AuditDatabaseResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PrivacyStub.class)
class IngestLagMetricTest {
  @Inject AgroalDataSource db;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  static double lag() {
    return MetricsScrape.sample("him_audit_ingest_lag");
  }

  AccessEvent read(String patient) {
    return new AccessEvent(
        UUID.randomUUID(),
        AccessEvent.TYPE,
        AccessEvent.VERSION,
        Instant.now(),
        new Actor("sub-clerk", "clerk", List.of("him-clerk"), "him-cli"),
        AccessAction.READ,
        "Patient",
        patient,
        List.of(patient),
        AccessOutcome.SUCCESS,
        "TREAT",
        "lag-" + UUID.randomUUID(),
        "records-service",
        null);
  }

  /** Publishes to partition 0 of him.access-events (one chain). */
  void publish(List<AccessEvent> events) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (AccessEvent e : events) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.ACCESS_EVENTS, 0, e.partitionKey(), json.writeValueAsString(e)))
            .get();
      }
    }
  }

  @Test
  void theLagIsWhatKafkaHoldsBeyondWhatTheChainsStored() throws Exception {
    AccessEvents ingest = new AccessEvents(bootstrap, json, db);
    String patient = UUID.randomUUID().toString();
    AccessEvent first = read(patient);
    publish(List.of(first));
    ingest.awaitLogged(first.eventId());
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> lag() == 0);

    // hold the chain of partition 0 (as a rebalance or a slow database would): the ingester waits,
    // and what arrives meanwhile is the lag
    List<AccessEvent> waiting = List.of(read(patient), read(patient), read(patient));
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement lock =
          c.prepareStatement(
              "select chain_id from audit_chain where topic = ? and partition_no = 0 for update")) {
        lock.setString(1, Topics.ACCESS_EVENTS);
        assertThat(lock.executeQuery().next()).isTrue();
      }
      publish(waiting);
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> lag() == 3);
      c.rollback();
    }
    for (AccessEvent e : waiting) {
      ingest.awaitLogged(e.eventId());
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> lag() == 0);
  }
}
