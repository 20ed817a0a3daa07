package dev.him.records.patient;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Versions: update with If-Match, version read, _history, logical delete. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class PatientHistoryTest {
  static final String FHIR = "application/fhir+json; charset=UTF-8";
  static final ObjectMapper JSON = new ObjectMapper();

  @Inject AgroalDataSource db;

  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  static String patient(String id, String family, String ssn, String extraIdentifier) {
    return """
        {"resourceType":"Patient",%s
         "identifier":[{"system":"http://hl7.org/fhir/sid/us-ssn","value":"%s"}%s],
         "name":[{"family":"%s","given":["Lee"]}],"birthDate":"1961-05-05"}
        """
        .formatted(id == null ? "" : "\"id\":\"" + id + "\",", ssn, extraIdentifier, family);
  }

  String create(String family, String ssn) {
    return given()
        .contentType(FHIR)
        .body(patient(null, family, ssn, ""))
        .post("/fhir/r4/Patient")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  Response update(String id, String body, String ifMatch, String reason) {
    var req = given().contentType(FHIR).body(body);
    if (ifMatch != null) req.header("If-Match", ifMatch);
    if (reason != null) req.header("X-Change-Reason", reason);
    return req.put("/fhir/r4/Patient/" + id);
  }

  int storedVersion(String id) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement("select version_id from patient where id = ?")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void anUpdateIsANewVersionWithAuthorAndReasonAndTheOldOneStaysReadable() throws Exception {
    String tag = unique();
    String id = create("Before" + tag, "ssn-" + tag);
    String requestId = "upd-" + tag;

    given()
        .contentType(FHIR)
        .header("If-Match", "W/\"1\"")
        .header("X-Change-Reason", "misspelt surname")
        .header("X-Request-Id", requestId)
        .body(patient(id, "After" + tag, "ssn-" + tag, ""))
        .put("/fhir/r4/Patient/" + id)
        .then()
        .statusCode(200)
        .header("ETag", "W/\"2\"")
        .body("meta.versionId", equalTo("2"))
        .body("name[0].family", equalTo("After" + tag))
        // the MRN was not sent back by the client, and is kept
        .body("identifier.system", hasItem("https://him.dev/fhir/sid/mrn"));

    given()
        .get("/fhir/r4/Patient/" + id)
        .then()
        .statusCode(200)
        .header("ETag", "W/\"2\"")
        .body("name[0].family", equalTo("After" + tag));
    given()
        .get("/fhir/r4/Patient/" + id + "/_history/1")
        .then()
        .statusCode(200)
        .header("ETag", "W/\"1\"")
        .body("name[0].family", equalTo("Before" + tag));
    given()
        .queryParam("family", "Before" + tag)
        .get("/fhir/r4/Patient")
        .then()
        .body("total", equalTo(0));
    given()
        .queryParam("family", "After" + tag)
        .get("/fhir/r4/Patient")
        .then()
        .body("total", equalTo(1));

    given()
        .get("/fhir/r4/Patient/" + id + "/_history")
        .then()
        .statusCode(200)
        .body("type", equalTo("history"))
        .body("total", equalTo(2))
        .body("entry[0].request.method", equalTo("PUT"))
        .body("entry[0].response.etag", equalTo("W/\"2\""))
        .body("entry[0].resource.name[0].family", equalTo("After" + tag))
        .body(
            "entry[0].request.extension.find { it.url.endsWith('change-reason') }.valueString",
            equalTo("misspelt surname"))
        .body(
            "entry[0].request.extension.find { it.url.endsWith('change-author') }.valueString",
            equalTo("clerk"))
        .body("entry[1].request.method", equalTo("POST"));

    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select method, recorded_by, reason from patient_version where patient_id = ? and version_id = 2")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("PUT");
      assertThat(rs.getString(2)).isEqualTo("clerk");
      assertThat(rs.getString(3)).isEqualTo("misspelt surname");
    }
    JsonNode event = JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(requestId));
    assertThat(event.path("action").asText()).isEqualTo("UPDATE");
    assertThat(event.toString()).doesNotContain("misspelt").doesNotContain("After" + tag);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aStaleIfMatchIs412AndChangesNothing() throws Exception {
    String tag = unique();
    String id = create("Stale" + tag, "st-" + tag);
    update(id, patient(id, "First" + tag, "st-" + tag, ""), "W/\"1\"", null).then().statusCode(200);
    update(id, patient(id, "Second" + tag, "st-" + tag, ""), "W/\"1\"", null)
        .then()
        .statusCode(412)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("conflict"))
        .body("issue[0].diagnostics", containsString("version 2"));
    assertThat(storedVersion(id)).isEqualTo(2);
    update(id, patient(id, "Third" + tag, "st-" + tag, ""), "not-an-etag", null)
        .then()
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("If-Match"));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void idAndMrnAreTheServersAndIdentifiersMoveAllOrNothing() throws Exception {
    String tag = unique();
    String id = create("Ids" + tag, "a-" + tag);
    String other = create("Other" + tag, "b-" + tag);

    update(id, patient("someone-else", "Ids" + tag, "a-" + tag, ""), null, null)
        .then()
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("Patient.id"));
    update(
            id,
            patient(
                id,
                "Ids" + tag,
                "a-" + tag,
                ",{\"system\":\"https://him.dev/fhir/sid/mrn\",\"value\":\"MRN1\"}"),
            null,
            null)
        .then()
        .statusCode(400)
        .body("issue[0].diagnostics", containsString("medical record number"));

    // claiming the other patient's identifier fails, and nothing of the update is kept
    update(id, patient(id, "Changed" + tag, "b-" + tag, ""), null, null)
        .then()
        .statusCode(409)
        .body("issue[0].diagnostics", containsString("Patient/" + other));
    assertThat(storedVersion(id)).isEqualTo(1);
    given().get("/fhir/r4/Patient/" + id).then().body("name[0].family", equalTo("Ids" + tag));

    // an identifier dropped by an update is released for others
    update(id, patient(id, "Ids" + tag, "c-" + tag, ""), null, null).then().statusCode(200);
    given()
        .contentType(FHIR)
        .body(patient(null, "Third" + tag, "a-" + tag, ""))
        .post("/fhir/r4/Patient")
        .then()
        .statusCode(201);
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aDeleteIsLogicalAndKeepsTheHistory() {
    String tag = unique();
    String id = create("Gone" + tag, "g-" + tag);
    given()
        .header("X-Change-Reason", "registered in error")
        .delete("/fhir/r4/Patient/" + id)
        .then()
        .statusCode(204);
    given()
        .get("/fhir/r4/Patient/" + id)
        .then()
        .statusCode(410)
        .body("resourceType", equalTo("OperationOutcome"));
    given()
        .queryParam("family", "Gone" + tag)
        .get("/fhir/r4/Patient")
        .then()
        .body("total", equalTo(0));
    given()
        .get("/fhir/r4/Patient/" + id + "/_history")
        .then()
        .statusCode(200)
        .body("total", equalTo(2))
        .body("entry[0].request.method", equalTo("DELETE"))
        .body("entry[1].resource.name[0].family", equalTo("Gone" + tag));
    given().get("/fhir/r4/Patient/" + id + "/_history/1").then().statusCode(200);
    given().get("/fhir/r4/Patient/" + id + "/_history/2").then().statusCode(410);
    given().get("/fhir/r4/Patient/" + id + "/_history/9").then().statusCode(404);
    update(id, patient(id, "Back" + tag, "g-" + tag, ""), null, null).then().statusCode(410);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void onlyAnAdministratorDeletes() {
    String id = create("Keep" + unique(), "k-" + unique());
    given()
        .delete("/fhir/r4/Patient/" + id)
        .then()
        .statusCode(403)
        .body("issue[0].code", equalTo("forbidden"));
    given()
        .get("/fhir/r4/Patient/" + id)
        .then()
        .statusCode(200)
        .body(not(containsString("deleted")));
  }
}
