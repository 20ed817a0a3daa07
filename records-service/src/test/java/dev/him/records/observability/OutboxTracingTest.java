package dev.him.records.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, an event's Kafka record continues the trace of the request that wrote it,
 * although the outbox relay sends it later from its own thread: the row keeps the request's trace
 * context, the record carries a traceparent of that trace (and the request's correlation id).
 */
@QuarkusTest
@TestProfile(OutboxTracingTest.TracingOn.class)
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class OutboxTracingTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The SDK on, spans exported one by one to the in-memory exporter ({@link InMemorySpans}). */
  public static class TracingOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.simple", "true");
    }
  }

  @Inject AgroalDataSource db;
  @Inject InMemorySpanExporter spans;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The access-event record of this request, read from Kafka with its headers. */
  ConsumerRecord<String, String> accessRecord(String requestId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("him.access-events"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
          if (r.value().contains(requestId) && requestId.equals(correlationId(r.value()))) {
            return r;
          }
        }
      }
    }
    throw new AssertionError("no access event for " + requestId);
  }

  static String correlationId(String event) {
    try {
      return JSON.readTree(event).path("correlationId").asText();
    } catch (Exception e) {
      return null;
    }
  }

  static String header(ConsumerRecord<String, String> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  String storedHeaders(String requestId) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select cast(headers as text) from outbox_event"
                    + " where payload->>'correlationId' = ? and event_type = 'AccessEvent'")) {
      q.setString(1, requestId);
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void theAccessEventOfARequestCarriesTheRequestsTraceToKafka() throws Exception {
    String traceId = hex(16);
    String callerSpan = hex(8);
    String requestId = "trace-" + UUID.randomUUID();
    given()
        .contentType("application/fhir+json")
        .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
        .header("X-Request-Id", requestId)
        .body(
            """
            {"resourceType":"Patient","name":[{"family":"Tracy","given":["Tess"]}],
             "birthDate":"1990-04-01","gender":"female"}
            """)
        .post("/fhir/r4/Patient")
        .then()
        .statusCode(201);

    // the row kept the request's trace context and correlation id
    JsonNode kept = JSON.readTree(storedHeaders(requestId));
    assertThat(kept.path("traceparent").asText()).startsWith("00-" + traceId + "-");
    assertThat(kept.path("correlation-id").asText()).isEqualTo(requestId);

    // the record carries the same trace, from the producer span the relay made in it
    ConsumerRecord<String, String> record = accessRecord(requestId);
    String traceparent = header(record, "traceparent");
    assertThat(traceparent).startsWith("00-" + traceId + "-").endsWith("-01");
    assertThat(header(record, "correlation-id")).isEqualTo(requestId);

    String producerSpanId = traceparent.split("-")[2];
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                spans.getFinishedSpanItems().stream()
                    .anyMatch(s -> s.getSpanId().equals(producerSpanId)));
    SpanData producer =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getSpanId().equals(producerSpanId))
            .findFirst()
            .orElseThrow();
    assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(producer.getTraceId()).isEqualTo(traceId);
    // its parent is the request's server span, itself the caller's child
    SpanData server =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getSpanId().equals(producer.getParentSpanId()))
            .findFirst()
            .orElseThrow();
    assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(server.getParentSpanId()).isEqualTo(callerSpan);
  }
}
