package dev.him.audit.report;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.him.audit.testing.AuditDatabaseResource;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import dev.him.infra.testing.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = AuditDatabaseResource.class,
    initArgs = @ResourceArg(name = "database", value = "audit"))
@QuarkusTestResource(KafkaResource.class)
class AccessLogQueryTest {
  static final String ENTRIES = "/api/audit/entries";

  @Inject com.fasterxml.jackson.databind.ObjectMapper json;
  @Inject io.agroal.api.AgroalDataSource db;

  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  final List<AccessEvent> published = new java.util.ArrayList<>();

  String patient;
  String nurse;
  String coder;

  /** Four accesses to one patient by two users, and one to another patient. */
  @BeforeEach
  void accesses() throws Exception {
    patient = "p-" + UUID.randomUUID();
    nurse = "nurse-" + UUID.randomUUID().toString().substring(0, 8);
    coder = "coder-" + UUID.randomUUID().toString().substring(0, 8);
    Instant day = Instant.parse("2026-05-04T09:00:00Z");
    append(
        nurse,
        "clinician",
        "him-console",
        AccessAction.READ,
        AccessOutcome.SUCCESS,
        day,
        patient,
        null);
    append(
        nurse,
        "clinician",
        "him-console",
        AccessAction.UPDATE,
        AccessOutcome.SUCCESS,
        day.plusSeconds(3600),
        patient,
        "amended, \"allergy\" list");
    append(
        coder,
        "coder",
        "him-cli",
        AccessAction.READ,
        AccessOutcome.SUCCESS,
        day.plusSeconds(86_400),
        patient,
        null);
    append(
        coder,
        "coder",
        "him-cli",
        AccessAction.READ,
        AccessOutcome.FORBIDDEN,
        day.plusSeconds(2 * 86_400),
        patient,
        null);
    append(
        nurse,
        "clinician",
        "him-console",
        AccessAction.READ,
        AccessOutcome.SUCCESS,
        day,
        "p-" + UUID.randomUUID(),
        null);
    publishAndAwait();
  }

  /** Through the real broker and ingester, as every service's events arrive. */
  void publishAndAwait() throws Exception {
    java.util.Properties p = new java.util.Properties();
    p.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
            p,
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.StringSerializer())) {
      for (AccessEvent e : published) {
        producer
            .send(
                new org.apache.kafka.clients.producer.ProducerRecord<>(
                    "him.access-events", e.partitionKey(), json.writeValueAsString(e)))
            .get();
      }
    }
    Object[] ids = published.stream().map(AccessEvent::eventId).toArray();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () -> {
              try (var c = db.getConnection();
                  var q =
                      c.prepareStatement(
                          "select count(*) from audit_entry where event_id = any(?)")) {
                q.setArray(1, c.createArrayOf("uuid", ids));
                var rs = q.executeQuery();
                rs.next();
                return rs.getLong(1) == ids.length;
              }
            });
  }

  void append(
      String user,
      String role,
      String client,
      AccessAction action,
      AccessOutcome outcome,
      Instant at,
      String patientId,
      String detail) {
    published.add(
        new AccessEvent(
            UUID.randomUUID(),
            AccessEvent.TYPE,
            AccessEvent.VERSION,
            at,
            new Actor("sub-" + user, user, List.of(role), client),
            action,
            "Patient",
            patientId,
            List.of(patientId),
            outcome,
            "TREAT",
            "req-" + UUID.randomUUID(),
            "records-service",
            detail));
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void whoAccessedThisPatientNewestFirstWithEveryColumn() {
    given()
        .queryParam("patient", patient)
        .get(ENTRIES)
        .then()
        .statusCode(200)
        .body("total", equalTo(4))
        .body("entries.user", contains(coder, coder, nurse, nurse))
        .body("entries.action", contains("READ", "READ", "UPDATE", "READ"))
        .body("entries.outcome", contains("FORBIDDEN", "SUCCESS", "SUCCESS", "SUCCESS"))
        .body("entries[2].roles", equalTo("clinician"))
        .body("entries[2].client", equalTo("him-console"))
        .body("entries[2].purposeOfUse", equalTo("TREAT"))
        .body("entries[2].patientIds", equalTo(patient))
        .body("entries[3].occurredAt", equalTo("2026-05-04T09:00:00Z"));
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void filtersCombineAndAnyColumnSorts() {
    // what did the nurse access (both patients), oldest first
    given()
        .queryParam("user", nurse)
        .queryParam("sort", "occurredAt")
        .get(ENTRIES)
        .then()
        .statusCode(200)
        .body("total", equalTo(3))
        .body("entries.action", contains("READ", "READ", "UPDATE"));
    // refused attempts on the patient, by client
    given()
        .queryParam("patient", patient)
        .queryParam("outcome", "forbidden")
        .queryParam("client", "him-cli")
        .get(ENTRIES)
        .then()
        .body("total", equalTo(1))
        .body("entries[0].user", equalTo(coder));
    // a day range: to is the whole day
    given()
        .queryParam("patient", patient)
        .queryParam("from", "2026-05-04")
        .queryParam("to", "2026-05-04")
        .queryParam("action", "READ")
        .get(ENTRIES)
        .then()
        .body("total", equalTo(1))
        .body("entries[0].user", equalTo(nurse));
    // sorted by user descending, then newest first within a user (the accesses to the record:
    // this test's own queries of the log are accesses to the patient too, of type AuditEvent)
    given()
        .queryParam("patient", patient)
        .queryParam("resourceType", "Patient")
        .queryParam("sort", "-user")
        .get(ENTRIES)
        .then()
        .body("entries.user", contains(nurse, nurse, coder, coder));
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void pagesDoNotOverlap() {
    List<String> first =
        given()
            .queryParam("patient", patient)
            .queryParam("resourceType", "Patient")
            .queryParam("count", 2)
            .get(ENTRIES)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("entries.eventId", String.class);
    List<String> second =
        given()
            .queryParam("patient", patient)
            .queryParam("resourceType", "Patient")
            .queryParam("count", 2)
            .queryParam("offset", 2)
            .get(ENTRIES)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("entries.eventId", String.class);
    assertThat(first).hasSize(2);
    assertThat(second).hasSize(2).doesNotContainAnyElementsOf(first);
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void exportsTheMatchingEntriesAsCsv() {
    Response csv =
        given()
            .queryParam("patient", patient)
            .queryParam("sort", "occurredAt")
            .get(ENTRIES + "/export");
    csv.then().statusCode(200).header("X-Total-Count", "4");
    assertThat(csv.contentType()).startsWith("text/csv");
    List<String> lines = csv.asString().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0))
        .isEqualTo(
            "eventId,occurredAt,user,roles,client,action,outcome,purposeOfUse,resourceType,"
                + "resourceId,patientIds,sourceService,correlationId,detail");
    assertThat(lines.get(1))
        .contains(",2026-05-04T09:00:00Z," + nurse + ",clinician,him-console,READ,");
    // a comma and quotes in a value stay inside one quoted field
    assertThat(lines.get(2)).endsWith(",\"amended, \"\"allergy\"\" list\"");
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void aWrongFilterIsNamed() {
    given()
        .queryParam("sort", "hash")
        .queryParam("action", "PEEK")
        .queryParam("from", "yesterday")
        .queryParam("colour", "red")
        .get(ENTRIES)
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("sort"))
        .body("invalid-params.name", hasItem("action"))
        .body("invalid-params.name", hasItem("from"))
        .body("invalid-params.name", hasItem("colour"));
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void fhirAuditEventSearchByAgentDateActionAndOutcome() {
    // what the coder did on 2026-05-05 and later: one read, one refused read
    given()
        .queryParam("agent", coder)
        .queryParam("date", "ge2026-05-05")
        .get("/fhir/r4/AuditEvent")
        .then()
        .statusCode(200)
        .body("total", equalTo(2))
        .body("entry.resource.outcome", contains("4", "0"));
    given()
        .queryParam("patient", patient)
        .queryParam("outcome", "0")
        .queryParam("action", "R")
        .queryParam("date", "lt2026-05-05")
        .get("/fhir/r4/AuditEvent")
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("entry[0].resource.agent[0].who.display", equalTo(nurse))
        .body("entry[0].resource.action", equalTo("R"));
    given()
        .queryParam("patient", patient)
        .queryParam("action", "U")
        .queryParam("date", "eq2026-05-04")
        .get("/fhir/r4/AuditEvent")
        .then()
        .body("total", equalTo(1))
        .body("entry[0].resource.action", equalTo("U"));
    given()
        .queryParam("agent", nurse)
        .queryParam("action", "X")
        .queryParam("date", "about2026")
        .get("/fhir/r4/AuditEvent")
        .then()
        .statusCode(400)
        .body("issue.expression.flatten()", hasItem("action"))
        .body("issue.expression.flatten()", hasItem("date"));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void theLogIsForThePrivacyOfficerButTheReportCanBeGivenToTheIndividual() {
    given().queryParam("patient", patient).get(ENTRIES).then().statusCode(403);
    given()
        .get("/api/audit/patients/" + patient + "/access-report")
        .then()
        .statusCode(200)
        .body("total", equalTo(3)) // the refused attempt is not an access
        .body("truncated", equalTo(false))
        .body("accesses.who", contains(coder, nurse, nurse))
        .body("accesses.role", contains("coder", "clinician", "clinician"))
        .body(
            "accesses.action",
            contains("viewed the record", "changed the record", "viewed the record"))
        .body("accesses[0].when", equalTo("2026-05-05T09:00:00Z"));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void othersGetNeither() {
    given().queryParam("patient", patient).get(ENTRIES).then().statusCode(403);
    given().queryParam("patient", patient).get(ENTRIES + "/export").then().statusCode(403);
    given().get("/api/audit/patients/" + patient + "/access-report").then().statusCode(403);
  }
}
