package dev.him.gateway.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, the gateway continues the caller's trace and passes it on to the service (its
 * own client span as the parent); its JSON log lines carry the correlation id and the trace id.
 */
@QuarkusTest
@TestProfile(GatewayTracingTest.TracingAndJsonLogs.class)
@QuarkusTestResource(KafkaResource.class)
class GatewayTracingTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path LOG = Path.of("target", "gateway-json-log-test.log");

  public static class TracingAndJsonLogs implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.otel.sdk.disabled", "false",
          "quarkus.otel.simple", "true",
          "quarkus.log.file.enabled", "true",
          "quarkus.log.file.path", LOG.toString(),
          "quarkus.log.file.json.enabled", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(UpstreamEcho.class));
    }
  }

  @Inject InMemorySpanExporter spans;

  static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  Optional<SpanData> span(String spanId) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getSpanId().equals(spanId))
        .findFirst();
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void theCallersTraceGoesOnToTheServiceThroughTheGatewaysClientSpan() throws Exception {
    String traceId = hex(16);
    String callerSpan = hex(8);
    String requestId = "gw-trace-" + UUID.randomUUID();
    JsonNode upstream =
        JSON.readTree(
            given()
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .header("X-Request-Id", requestId)
                .get("/fhir/r4/Patient/p-1")
                .then()
                .statusCode(200)
                .extract()
                .asString());

    assertThat(upstream.path("requestId").asText()).isEqualTo(requestId);
    String passedOn = upstream.path("traceparent").asText();
    assertThat(passedOn).startsWith("00-" + traceId + "-").endsWith("-01");
    String clientSpanId = passedOn.split("-")[2];
    assertThat(clientSpanId).isNotEqualTo(callerSpan);

    // the service's parent is the gateway's client span, a child of its server span for the call
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> span(clientSpanId).isPresent());
    SpanData client = span(clientSpanId).orElseThrow();
    assertThat(client.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(client.getTraceId()).isEqualTo(traceId);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> span(client.getParentSpanId()).isPresent());
    SpanData server = span(client.getParentSpanId()).orElseThrow();
    assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(server.getParentSpanId()).isEqualTo(callerSpan);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aLogLineAboutARequestIsJsonWithItsCorrelationAndTraceIds() throws Exception {
    String traceId = hex(16);
    String requestId = "gw-log-" + UUID.randomUUID();
    given()
        .header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
        .header("X-Request-Id", requestId)
        .get("/api/coding/icd10cm/search") // coding-service is not there in tests: 502, logged
        .then()
        .statusCode(502);

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(LOG) && Files.readString(LOG).contains(requestId));
    JsonNode line =
        Files.readAllLines(LOG).stream()
            .filter(l -> l.contains(requestId))
            .map(GatewayTracingTest::json)
            .filter(n -> n.path("message").asText().contains("did not answer"))
            .findFirst()
            .orElseThrow();
    assertThat(line.path("level").asText()).isEqualTo("WARN");
    assertThat(line.path("mdc").path("requestId").asText()).isEqualTo(requestId);
    assertThat(line.path("mdc").path("traceId").asText()).isEqualTo(traceId);
  }

  static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not a JSON log line: " + line, e);
    }
  }
}
