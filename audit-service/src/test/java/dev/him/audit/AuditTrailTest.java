package dev.him.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.audit.testing.AuditDatabaseResource;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import dev.him.infra.testing.KafkaResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

@QuarkusTest
@QuarkusTestResource(
    value = AuditDatabaseResource.class,
    initArgs = @ResourceArg(name = "database", value = "audit"))
@QuarkusTestResource(KafkaResource.class)
class AuditTrailTest {
  @Inject AgroalDataSource db;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  AccessEvent event(String patient, AccessAction action, Instant at, String requestId) {
    return new AccessEvent(
        UUID.randomUUID(),
        AccessEvent.TYPE,
        AccessEvent.VERSION,
        at,
        new Actor("sub-clerk", "clerk", List.of("him-clerk"), "him-cli"),
        action,
        "Patient",
        action == AccessAction.SEARCH ? null : patient,
        List.of(patient),
        AccessOutcome.SUCCESS,
        "TREAT",
        requestId,
        "records-service",
        null);
  }

  void publish(AccessEvent... events) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (AccessEvent e : events) {
        producer
            .send(
                new ProducerRecord<>(
                    "him.access-events", e.partitionKey(), json.writeValueAsString(e)))
            .get();
      }
    }
  }

  long stored(UUID eventId) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement("select count(*) from audit_entry where event_id = ?")) {
      q.setObject(1, eventId);
      ResultSet rs = q.executeQuery();
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void eventsBecomeAuditEventsNewestFirstAndADuplicateIsStoredOnce() throws Exception {
    String patient = UUID.randomUUID().toString();
    Instant t = Instant.parse("2026-03-01T10:15:30.123456789Z");
    AccessEvent create = event(patient, AccessAction.CREATE, t, "req-create");
    AccessEvent read = event(patient, AccessAction.READ, t.plusSeconds(60), "req-read");
    publish(create, read, create); // the create is delivered twice

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> stored(read.eventId()) == 1);
    Thread.sleep(500); // let the duplicate arrive too
    assertThat(stored(create.eventId())).isEqualTo(1);

    given()
        .queryParam("entity", "Patient/" + patient)
        .get("/fhir/r4/AuditEvent")
        .then()
        .statusCode(200)
        .contentType(containsString("application/fhir+json"))
        .body("resourceType", equalTo("Bundle"))
        .body("total", equalTo(2))
        .body("entry[0].resource.resourceType", equalTo("AuditEvent"))
        .body("entry[0].resource.id", equalTo(read.eventId().toString()))
        .body("entry[0].resource.action", equalTo("R"))
        .body("entry[1].resource.action", equalTo("C"))
        .body("entry[1].resource.subtype[0].code", equalTo("create"))
        .body("entry[0].resource.agent[0].who.display", equalTo("clerk"))
        .body("entry[0].resource.agent[0].requestor", equalTo(true))
        .body("entry[0].resource.agent[1].who.display", equalTo("him-cli"))
        .body("entry[0].resource.outcome", equalTo("0"))
        .body("entry[0].resource.purposeOfEvent[0].coding[0].code", equalTo("TREAT"))
        .body("entry[0].resource.source.observer.display", equalTo("records-service"))
        .body("entry[0].resource.entity[0].what.reference", equalTo("Patient/" + patient))
        .body(
            "entry[0].resource.entity.find { it.type.code == 'XrequestId' }.what.identifier.value",
            equalTo("req-read"))
        .body("entry[1].resource.recorded", containsString("2026-03-01T10:15:30.123"));
  }

  @Test
  @TestSecurity(user = "roi", roles = "roi-specialist")
  void onlyThePrivacyOfficerReadsTheTrail() {
    given()
        .queryParam("entity", "Patient/x")
        .get("/fhir/r4/AuditEvent")
        .then()
        .statusCode(403)
        .body("resourceType", equalTo("OperationOutcome"));
    given()
        .get("/api/audit/verify")
        .then()
        .statusCode(403)
        .contentType(containsString("application/problem+json"))
        .body("status", equalTo(403));
  }

  @Test
  void withoutATokenTheTrailIsClosed() {
    given().queryParam("entity", "Patient/x").get("/fhir/r4/AuditEvent").then().statusCode(401);
    given().get("/api/audit/verify").then().statusCode(401).body("title", equalTo("Unauthorized"));
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void searchNeedsAPatient() {
    given()
        .get("/fhir/r4/AuditEvent")
        .then()
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("entity"));
    given()
        .queryParam("entity", "Patient/x")
        .queryParam("_count", "lots")
        .get("/fhir/r4/AuditEvent")
        .then()
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("_count"));
  }

  @Test
  void readinessCoversDatabaseAndKafka() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(
            "checks.name",
            org.hamcrest.Matchers.hasItems(containsString("Database"), containsString("Kafka")));
  }
}
