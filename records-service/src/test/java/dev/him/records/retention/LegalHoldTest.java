package dev.him.records.retention;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Legal holds: placing and releasing them, and the deletes they refuse. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class LegalHoldTest {
  static final String FHIR = "application/fhir+json; charset=UTF-8";
  static final String API = "/api/records/legal-holds";

  @Inject AgroalDataSource db;

  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  static String patient() {
    return given()
        .contentType(FHIR)
        .body(
            "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Hold"
                + unique()
                + "\"}],\"birthDate\":\"1950-02-03\"}")
        .post("/fhir/r4/Patient")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  static String encounter(String patientId) {
    return given()
        .contentType(FHIR)
        .body(
            """
            {"resourceType":"Encounter","status":"finished",
             "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
             "subject":{"reference":"Patient/%s"},
             "period":{"start":"2020-03-01T08:00:00Z","end":"2020-03-01T09:00:00Z"}}
            """
                .formatted(patientId))
        .post("/fhir/r4/Encounter")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  static ValidatableResponse post(String path, String body) {
    return given().contentType(ContentType.JSON).body(body).post(path).then();
  }

  static String hold(String field, String id, String matter) {
    return """
        {"%s":"%s","matter":"%s","reason":"litigation hold notice from counsel"}
        """
        .formatted(field, id, matter);
  }

  String deletedAt(String patientId) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement("select deleted_at from patient where id = ?")) {
      q.setString(1, patientId);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aHeldPatientCannotBeDeletedUntilTheHoldIsReleased() throws Exception {
    String pid = patient();
    String matter = "Doe v. General Hospital " + unique();
    String holdId =
        post(API, hold("patientId", pid, matter))
            .statusCode(201)
            .header("Location", containsString(API + "/"))
            .body("scope", equalTo("PATIENT"))
            .body("patientId", equalTo(pid))
            .body("active", equalTo(true))
            .body("placedBy", equalTo("admin"))
            .extract()
            .path("id");

    given()
        .header("X-Change-Reason", "registered in error")
        .delete("/fhir/r4/Patient/" + pid)
        .then()
        .statusCode(409)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("conflict"))
        .body("issue[0].diagnostics", containsString("on legal hold " + matter));
    given().get("/fhir/r4/Patient/" + pid).then().statusCode(200);
    assertThat(deletedAt(pid)).isNull();

    post(API + "/" + holdId + "/release", "{}")
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("reason"));
    post(API + "/" + holdId + "/release", "{\"reason\":\"case settled\"}")
        .statusCode(200)
        .body("active", equalTo(false))
        .body("releasedBy", equalTo("admin"))
        .body("releaseReason", equalTo("case settled"));
    post(API + "/" + holdId + "/release", "{\"reason\":\"again\"}").statusCode(409);

    given().delete("/fhir/r4/Patient/" + pid).then().statusCode(204);
    given().get("/fhir/r4/Patient/" + pid).then().statusCode(410);
    assertThat(deletedAt(pid)).isNotNull();
    // the released hold is kept
    given()
        .get(API + "/" + holdId)
        .then()
        .statusCode(200)
        .body("matter", equalTo(matter))
        .body("active", equalTo(false));
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aHoldOnAnEncounterAlsoKeepsItsPatient() {
    String pid = patient();
    String enc = encounter(pid);
    String matter = "Subpoena " + unique();
    post(API, hold("encounterId", enc, matter))
        .statusCode(201)
        .body("scope", equalTo("ENCOUNTER"))
        .body("encounterId", equalTo(enc))
        .body("patientId", equalTo(pid));
    given()
        .delete("/fhir/r4/Patient/" + pid)
        .then()
        .statusCode(409)
        .body("issue[0].diagnostics", containsString(matter));

    String other = "Second matter " + unique();
    post(API, hold("patientId", pid, other)).statusCode(201);
    given()
        .queryParam("patient", pid)
        .get(API)
        .then()
        .statusCode(200)
        .body("total", equalTo(2))
        .body("items.matter", containsInAnyOrder(matter, other));
    given()
        .queryParam("encounter", enc)
        .get(API)
        .then()
        .body("total", equalTo(1))
        .body("items[0].matter", equalTo(matter));
    given()
        .queryParam("patient", pid)
        .queryParam("active", "false")
        .get(API)
        .then()
        .body("total", equalTo(0));
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aHoldNamesExactlyOneKnownTarget() {
    String pid = patient();
    String enc = encounter(pid);
    post(API, "{\"matter\":\"m\",\"reason\":\"r\"}")
        .statusCode(400)
        .contentType("application/problem+json")
        .body("invalid-params.name", containsInAnyOrder("patientId", "encounterId"));
    post(
            API,
            "{\"patientId\":\""
                + pid
                + "\",\"encounterId\":\""
                + enc
                + "\",\"matter\":\"m\",\"reason\":\"r\"}")
        .statusCode(400)
        .body("invalid-params.name", hasItem("encounterId"));
    post(API, hold("patientId", "no-such-patient", "m"))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("patientId"));
    post(API, hold("encounterId", "no-such-encounter", "m"))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("encounterId"));
    post(API, "{\"patientId\":\"" + pid + "\",\"reason\":\"r\"}")
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("matter"));

    String matter = "Once " + unique();
    post(API, hold("patientId", pid, matter)).statusCode(201);
    post(API, hold("patientId", pid, matter))
        .statusCode(409)
        .body("detail", containsString("already on legal hold"));
    given().get(API + "/" + UUID.randomUUID()).then().statusCode(404);
    given().queryParam("activ", "true").get(API).then().statusCode(400);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aClerkReadsHoldsButCannotPlaceThem() {
    String pid = patient();
    post(API, hold("patientId", pid, "m")).statusCode(403).body("title", equalTo("Forbidden"));
    given()
        .queryParam("patient", pid)
        .get(API)
        .then()
        .statusCode(200)
        .body("total", equalTo(0))
        .body("items.size()", equalTo(0));
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void aCoderSeesNoHolds() {
    given().get(API).then().statusCode(403).body("detail", containsString("roles"));
  }
}
