package dev.him.records.privacy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import dev.him.records.ChartFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GET /api/records/patients/{id}/privacy-facts: what audit-service's privacy rules read. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class PrivacyFactsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Inject AgroalDataSource db;

  @Test
  @TestSecurity(
      user = "service-account-audit-service",
      roles = {"platform-service", "hospital-system"})
  void factsOfALabelledDeceasedPatientWithAnEncounter() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String pid =
        ChartFixtures.post(
            "Patient",
            """
            {"resourceType":"Patient",
             "meta":{"security":[
               {"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"CEL"},
               {"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}]},
             "name":[{"family":"Doe%1$s","given":["Jane"]},{"use":"maiden","family":"Roe%1$s"}],
             "address":[{"line":["12 Main Street","Apt 4"],"postalCode":"02139"}],
             "deceasedDateTime":"2026-01-05T10:00:00Z"}
            """
                .formatted(suffix));
    String attending = ChartFixtures.practitioner();
    String other = ChartFixtures.practitioner();
    ChartFixtures.discharged(pid, "IMP", attending, 3);
    ChartFixtures.post(
        "Encounter",
        ChartFixtures.encounter(
            null, pid, "in-progress", "AMB", ChartFixtures.daysAgo(1), null, other, ""));
    // another patient's encounter does not count
    ChartFixtures.discharged(ChartFixtures.patient(), "IMP", ChartFixtures.practitioner(), 1);

    String requestId = "facts-" + suffix;
    given()
        .header("X-Purpose-Of-Use", "HOPERAT")
        .header("X-Request-Id", requestId)
        .get("/api/records/patients/" + pid + "/privacy-facts")
        .then()
        .statusCode(200)
        .body("patientId", equalTo(pid))
        .body("familyNames", contains("Doe" + suffix, "Roe" + suffix))
        .body("addresses[0].line", equalTo("12 Main Street"))
        .body("addresses[0].postalCode", equalTo("02139"))
        .body("vip", equalTo(true))
        .body("securityCodes", containsInAnyOrder("CEL", "R"))
        .body("deceased", equalTo(true))
        .body("deceasedAt", equalTo("2026-01-05T10:00:00Z"))
        .body("encounterPractitionerIds", containsInAnyOrder(attending, other));

    JsonNode event = JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(requestId));
    assertThat(event.path("action").asText()).isEqualTo("READ");
    assertThat(event.path("patientIds").get(0).asText()).isEqualTo(pid);
    assertThat(event.path("purposeOfUse").asText()).isEqualTo("HOPERAT");
    assertThat(event.path("actor").path("username").asText())
        .isEqualTo("service-account-audit-service");
  }

  @Test
  @TestSecurity(
      user = "service-account-audit-service",
      roles = {"platform-service", "hospital-system"})
  void aLivingUnlabelledPatientWithoutEncounters() {
    String pid =
        ChartFixtures.post(
            "Patient",
            """
            {"resourceType":"Patient",
             "meta":{"security":[{"system":"http://example.org/labels","code":"CEL"}]},
             "name":[{"family":"Alive"}],"deceasedBoolean":false}
            """);
    given()
        .get("/api/records/patients/" + pid + "/privacy-facts")
        .then()
        .statusCode(200)
        // CEL of another code system is not the HL7 celebrity label
        .body("vip", equalTo(false))
        .body("securityCodes", hasItem("CEL"))
        .body("deceased", equalTo(false))
        .body("deceasedAt", equalTo(null))
        .body("addresses.size()", equalTo(0))
        .body("encounterPractitionerIds.size()", equalTo(0));
  }

  @Test
  @TestSecurity(
      user = "service-account-audit-service",
      roles = {"platform-service", "hospital-system", "him-clerk"})
  void aMergedPatientHasTheEncountersOfItsSurvivor() {
    String source = ChartFixtures.patient();
    String survivor = ChartFixtures.patient();
    String before = ChartFixtures.practitioner();
    String after = ChartFixtures.practitioner();
    ChartFixtures.discharged(source, "IMP", before, 5);
    given()
        .contentType("application/json")
        .body(
            """
            {"sourceId":"%s","survivorId":"%s","reason":"registered twice"}
            """
                .formatted(source, survivor))
        .post("/api/records/mpi/merges")
        .then()
        .statusCode(201);
    ChartFixtures.discharged(survivor, "IMP", after, 1);

    given()
        .get("/api/records/patients/" + source + "/privacy-facts")
        .then()
        .statusCode(200)
        .body("patientId", equalTo(source))
        .body("encounterPractitionerIds", containsInAnyOrder(before, after));
  }

  @Test
  @TestSecurity(user = "service-account-audit-service", roles = "platform-service")
  void anUnknownPatientIs404() {
    given()
        .get("/api/records/patients/no-such-" + UUID.randomUUID() + "/privacy-facts")
        .then()
        .statusCode(404);
  }

  @Test
  @TestSecurity(
      user = "privacy",
      roles = {"privacy-officer", "clinician", "him-admin"})
  void otherRolesAreRefused() {
    given()
        .get("/api/records/patients/" + UUID.randomUUID() + "/privacy-facts")
        .then()
        .statusCode(403);
  }
}
