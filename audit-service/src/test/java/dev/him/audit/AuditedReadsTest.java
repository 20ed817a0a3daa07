package dev.him.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.audit.testing.AccessEvents;
import dev.him.audit.testing.AuditDatabaseResource;
import dev.him.infra.testing.KafkaResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Reads of the audit log by people are themselves recorded, once each, and never loop. */
@QuarkusTest
@QuarkusTestResource(value = AuditDatabaseResource.class)
@QuarkusTestResource(KafkaResource.class)
class AuditedReadsTest {
  @Inject AgroalDataSource db;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  AccessEvents events() {
    return new AccessEvents(bootstrap, json, db);
  }

  static String requestId() {
    return "req-" + UUID.randomUUID();
  }

  /** The one access event the request wrote (fails if there is none or more than one). */
  JsonNode onlyEvent(String requestId) throws Exception {
    List<String> written = events().outboxByCorrelationId(requestId);
    assertThat(written).as("access events of request " + requestId).hasSize(1);
    return json.readTree(written.get(0));
  }

  static List<String> patients(JsonNode event) {
    return list(event.get("patientIds"));
  }

  static List<String> list(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void aPrivacyOfficersQueryIsOneAccessEventThatDoesNotLoop() throws Exception {
    String patient = "p-" + UUID.randomUUID();
    String request = requestId();
    long before = events().outboxSeq();

    given()
        .header("X-Request-Id", request)
        .queryParam("patient", patient)
        .queryParam("from", "2026-01-01")
        .get("/api/audit/entries")
        .then()
        .statusCode(200);

    JsonNode event = onlyEvent(request);
    assertThat(event.get("eventType").asText()).isEqualTo("AccessEvent");
    assertThat(event.get("action").asText()).isEqualTo("SEARCH");
    assertThat(event.get("resourceType").asText()).isEqualTo("AuditEvent");
    assertThat(event.get("outcome").asText()).isEqualTo("SUCCESS");
    assertThat(patients(event)).containsExactly(patient);
    assertThat(event.get("actor").get("username").asText()).isEqualTo("privacy");
    assertThat(list(event.get("actor").get("roles"))).containsExactly("privacy-officer");
    assertThat(event.get("sourceService").asText()).isEqualTo("audit-service");
    // parameter names only, never their values
    assertThat(event.get("detail").asText())
        .isEqualTo("access log query; parameters from, patient")
        .doesNotContain(patient);

    // it reaches the log like any access; ingesting it produces no further event
    UUID id = UUID.fromString(event.get("eventId").asText());
    events().awaitLogged(id);
    Awaitility.await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> events().outboxSeq() == before + 1);
    // and the officer sees their own query in the log
    given()
        .queryParam("patient", patient)
        .queryParam("resourceType", "AuditEvent")
        .get("/api/audit/entries")
        .then()
        .statusCode(200)
        .body("total", org.hamcrest.Matchers.equalTo(1))
        .body("entries[0].user", org.hamcrest.Matchers.equalTo("privacy"))
        .body("entries[0].action", org.hamcrest.Matchers.equalTo("SEARCH"));
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void exportsReportsAndFhirSearchesAreRecorded() throws Exception {
    String patient = "p-" + UUID.randomUUID();

    String export = requestId();
    given()
        .header("X-Request-Id", export)
        .queryParam("patient", patient)
        .get("/api/audit/entries/export")
        .then()
        .statusCode(200);
    JsonNode e = onlyEvent(export);
    assertThat(e.get("action").asText()).isEqualTo("SEARCH");
    assertThat(e.get("detail").asText()).startsWith("export (CSV) of access log");
    assertThat(patients(e)).containsExactly(patient);

    String report = requestId();
    given()
        .header("X-Request-Id", report)
        .get("/api/audit/patients/" + patient + "/access-report")
        .then()
        .statusCode(200);
    JsonNode r = onlyEvent(report);
    assertThat(r.get("action").asText()).isEqualTo("READ");
    assertThat(r.get("resourceType").asText()).isEqualTo("AuditEvent");
    assertThat(patients(r)).containsExactly(patient);

    String fhir = requestId();
    given()
        .header("X-Request-Id", fhir)
        .queryParam("patient", patient)
        .get("/fhir/r4/AuditEvent")
        .then()
        .statusCode(200);
    JsonNode f = onlyEvent(fhir);
    assertThat(f.get("action").asText()).isEqualTo("SEARCH");
    assertThat(patients(f)).containsExactly(patient);
    assertThat(f.get("detail").asText()).startsWith("FHIR AuditEvent search");

    String agentOnly = requestId();
    given()
        .header("X-Request-Id", agentOnly)
        .queryParam("agent", "someone")
        .get("/fhir/r4/AuditEvent")
        .then()
        .statusCode(200);
    assertThat(patients(onlyEvent(agentOnly))).isEmpty();

    String onc = requestId();
    given()
        .header("X-Request-Id", onc)
        .queryParam("from", "2026-01-01")
        .queryParam("to", "2026-01-31")
        .get("/api/audit/reports/audit-log")
        .then()
        .statusCode(200);
    JsonNode o = onlyEvent(onc);
    assertThat(o.get("action").asText()).isEqualTo("SEARCH");
    assertThat(o.get("detail").asText()).isEqualTo("ONC audit report; parameters from, to");
    assertThat(patients(o)).isEmpty();

    String oncCsv = requestId();
    given()
        .header("X-Request-Id", oncCsv)
        .queryParam("from", "2026-01-01")
        .queryParam("to", "2026-01-31")
        .get("/api/audit/reports/audit-log/export")
        .then()
        .statusCode(200);
    assertThat(onlyEvent(oncCsv).get("detail").asText()).startsWith("export (CSV) of ONC audit");

    String changes = requestId();
    given()
        .header("X-Request-Id", changes)
        .get("/api/audit/settings/changes")
        .then()
        .statusCode(200);
    JsonNode c = onlyEvent(changes);
    assertThat(c.get("resourceType").asText()).isEqualTo("AuditSettings");
    assertThat(c.get("action").asText()).isEqualTo("SEARCH");
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void verificationHealthAndRefusedQueriesRecordNothing() {
    String verify = requestId();
    given().header("X-Request-Id", verify).get("/api/audit/verify").then().statusCode(200);
    String bad = requestId();
    given()
        .header("X-Request-Id", bad)
        .queryParam("sort", "hash")
        .get("/api/audit/entries")
        .then()
        .statusCode(400);
    String health = requestId();
    given().header("X-Request-Id", health).get("/q/health/ready").then().statusCode(200);
    String settings = requestId();
    given().header("X-Request-Id", settings).get("/api/audit/settings").then().statusCode(200);
    assertThat(events().outboxByCorrelationId(verify)).isEmpty();
    assertThat(events().outboxByCorrelationId(bad)).isEmpty();
    assertThat(events().outboxByCorrelationId(health)).isEmpty();
    assertThat(events().outboxByCorrelationId(settings)).isEmpty();
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aRefusedReadOfTheLogIsRecordedAsRefused() throws Exception {
    String request = requestId();
    given()
        .header("X-Request-Id", request)
        .queryParam("patient", "p-1")
        .get("/api/audit/entries")
        .then()
        .statusCode(403);
    // recorded off the request thread, after the answer
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !events().outboxByCorrelationId(request).isEmpty());
    JsonNode e = onlyEvent(request);
    assertThat(e.get("outcome").asText()).isEqualTo("FORBIDDEN");
    assertThat(e.get("resourceType").asText()).isEqualTo("AuditEvent");
    assertThat(e.get("actor").get("username").asText()).isEqualTo("clerk");
  }
}
