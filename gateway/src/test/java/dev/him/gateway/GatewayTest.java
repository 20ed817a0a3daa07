package dev.him.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.KafkaTopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The gateway on its own (the end-to-end suite in deploy/ covers routing to real services). */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class GatewayTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void withoutATokenPatientDataIs401AndTheAttemptIsPublished() throws Exception {
    String requestId = "gw-" + UUID.randomUUID();
    given()
        .header("X-Request-Id", requestId)
        .get("/fhir/r4/Patient/p-123")
        .then()
        .statusCode(401)
        .header("X-Request-Id", requestId)
        .header("WWW-Authenticate", containsString("Bearer"))
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("login"));

    JsonNode event = findEvent(requestId);
    assertThat(event).as("access event for " + requestId).isNotNull();
    assertThat(event.path("outcome").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(event.path("action").asText()).isEqualTo("READ");
    assertThat(event.path("patientIds").get(0).asText()).isEqualTo("p-123");
    assertThat(event.path("sourceService").asText()).isEqualTo("gateway");
  }

  @Test
  void apiPathsAnswer401AsProblemJsonAndMakeACorrelationId() {
    given()
        .get("/api/requests/roi/abc")
        .then()
        .statusCode(401)
        .contentType(containsString("application/problem+json"))
        .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"))
        .body("status", equalTo(401))
        .body("title", equalTo("Unauthorized"))
        .body("requestId", matchesPattern("[0-9a-f-]{36}"));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void anUnreachableServiceIs502AndAnUnknownPathIs404() {
    given()
        .get("/fhir/r4/Patient/p-1")
        .then()
        .statusCode(502)
        .body("resourceType", equalTo("OperationOutcome"));
    given()
        .get("/api/nowhere/x")
        .then()
        .statusCode(404)
        .contentType(containsString("application/problem+json"));
  }

  JsonNode findEvent(String requestId) throws Exception {
    String value =
        KafkaTopicReader.find(
            bootstrap, "him.access-events", v -> v.contains(requestId), Duration.ofSeconds(20));
    return value == null ? null : JSON.readTree(value);
  }
}
