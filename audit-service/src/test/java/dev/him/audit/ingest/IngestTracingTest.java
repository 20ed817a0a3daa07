package dev.him.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.audit.testing.AccessEvents;
import dev.him.audit.testing.AuditDatabaseResource;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import dev.him.events.v1.Topics;
import dev.him.infra.testing.KafkaResource;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, storing a record that carries a producer's trace context is a CONSUMER span in
 * that trace (the ingester's own Kafka consumer is not instrumented by anything else).
 */
@QuarkusTest
@TestProfile(IngestTracingTest.TracingOn.class)
@QuarkusTestResource(value = AuditDatabaseResource.class)
@QuarkusTestResource(KafkaResource.class)
class IngestTracingTest {
  public static class TracingOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.simple", "true");
    }
  }

  @Inject AgroalDataSource db;
  @Inject ObjectMapper json;
  @Inject InMemorySpanExporter spans;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Test
  void storingARecordContinuesTheTraceItCarries() throws Exception {
    String traceId = hex(16);
    String producerSpan = hex(8);
    String requestId = "ingest-trace-" + UUID.randomUUID();
    String patient = UUID.randomUUID().toString();
    AccessEvent read =
        new AccessEvent(
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
            requestId,
            "records-service",
            null);

    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      ProducerRecord<String, String> record =
          new ProducerRecord<>(
              Topics.ACCESS_EVENTS, read.partitionKey(), json.writeValueAsString(read));
      record
          .headers()
          .add("traceparent", ("00-" + traceId + "-" + producerSpan + "-01").getBytes())
          .add("event-id", read.eventId().toString().getBytes(StandardCharsets.UTF_8))
          .add("correlation-id", requestId.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }
    new AccessEvents(bootstrap, json, db).awaitLogged(read.eventId());

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                spans.getFinishedSpanItems().stream()
                    .anyMatch(s -> s.getTraceId().equals(traceId)));
    SpanData stored =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getTraceId().equals(traceId))
            .findFirst()
            .orElseThrow();
    assertThat(stored.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(stored.getParentSpanId()).isEqualTo(producerSpan);
    assertThat(stored.getName()).isEqualTo(Topics.ACCESS_EVENTS + " process");
    assertThat(stored.getAttributes().get(AttributeKey.stringKey("messaging.message.id")))
        .isEqualTo(read.eventId().toString());
    assertThat(stored.getAttributes().get(AttributeKey.stringKey("him.correlation_id")))
        .isEqualTo(requestId);
  }
}
