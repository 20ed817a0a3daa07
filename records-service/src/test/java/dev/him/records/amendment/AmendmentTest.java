package dev.him.records.amendment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Amendment requests: the 164.526 steps in order, their refusals, the worklist and the roles. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class AmendmentTest {
  static final String FHIR = "application/fhir+json; charset=UTF-8";
  static final String API = "/api/records/amendments";
  static final ObjectMapper JSON = new ObjectMapper();

  @Inject AgroalDataSource db;

  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  static String patientJson(String id, String family, String birthDate) {
    return """
        {"resourceType":"Patient",%s"name":[{"family":"%s","given":["Ann"]}],"birthDate":"%s"}
        """
        .formatted(id == null ? "" : "\"id\":\"" + id + "\",", family, birthDate);
  }

  String patient(String family) {
    return given()
        .contentType(FHIR)
        .body(patientJson(null, family, "1970-01-01"))
        .post("/fhir/r4/Patient")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  String condition(String patientId, String code) {
    return given()
        .contentType(FHIR)
        .body(
            """
            {"resourceType":"Condition","subject":{"reference":"Patient/%s"},
             "code":{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]}}
            """
                .formatted(patientId, code))
        .post("/fhir/r4/Condition")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  static String request(String patientId, String type, String id, LocalDate receivedOn) {
    return """
        {"patientId":"%s","target":{"type":"%s","id":"%s"},
         "requester":{"type":"INDIVIDUAL","name":"Ann Example"},
         "requestedChange":"My birth date is the 2nd of January, not the 1st",
         "reason":"the admission desk misheard"%s}
        """
        .formatted(
            patientId,
            type,
            id,
            receivedOn == null ? "" : ",\"receivedOn\":\"" + receivedOn + "\"");
  }

  ValidatableResponse post(String path, String body) {
    return given().contentType(ContentType.JSON).body(body).post(path).then();
  }

  String record(String patientId, LocalDate receivedOn) {
    return post(API, request(patientId, "Patient", patientId, receivedOn))
        .statusCode(201)
        .extract()
        .path("id");
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-clerk", "him-admin"})
  void recordExtendAndAcceptMakesANewPatientVersionThatNamesTheRequest() throws Exception {
    String tag = unique();
    String pid = patient("Amend" + tag);
    LocalDate received = LocalDate.now().minusDays(10);

    ValidatableResponse created =
        post(API, request(pid, "Patient", pid, received))
            .statusCode(201)
            .body("status", equalTo("RECEIVED"))
            .body("receivedOn", equalTo(received.toString()))
            .body("dueOn", equalTo(received.plusDays(60).toString()))
            .body("target.versionAtRequest", equalTo(1))
            .body("allowedSteps", contains("extension", "accept", "deny"))
            .body("daysOverdue", nullValue());
    String id = created.extract().path("id");
    created.header("Location", endsWith(API + "/" + id));

    post(
            API + "/" + id + "/extension",
            "{\"reason\":\"the attending is on leave\",\"noticeSentOn\":\""
                + LocalDate.now()
                + "\"}")
        .statusCode(200)
        .body("status", equalTo("EXTENDED"))
        .body("originalDueOn", equalTo(received.plusDays(60).toString()))
        .body("dueOn", equalTo(received.plusDays(90).toString()))
        .body("extension.noticeSentOn", equalTo(LocalDate.now().toString()))
        .body("allowedSteps", contains("accept", "deny"));

    String requestId = "amend-" + tag;
    given()
        .contentType(ContentType.JSON)
        .header("If-Match", "W/\"1\"")
        .header("X-Request-Id", requestId)
        .body(
            "{\"resource\":"
                + patientJson(pid, "Amend" + tag, "1970-01-02")
                + ",\"note\":\"birth date corrected\"}")
        .post(API + "/" + id + "/accept")
        .then()
        .statusCode(200)
        .body("status", equalTo("ACCEPTED"))
        .body("acceptance.amendedVersion", equalTo(2))
        .body("acceptance.versionReference", equalTo("Patient/" + pid + "/_history/2"))
        .body("acceptance.decidedBy", equalTo("admin"))
        .body("allowedSteps.size()", equalTo(0));

    // the record's history shows the correction and points to the request
    given()
        .get("/fhir/r4/Patient/" + pid + "/_history")
        .then()
        .statusCode(200)
        .body("entry[0].response.etag", equalTo("W/\"2\""))
        .body("entry[0].resource.birthDate", equalTo("1970-01-02"))
        .body(
            "entry[0].request.extension.find { it.url.endsWith('change-reason') }.valueString",
            equalTo("Amendment " + id + ": birth date corrected"));
    given().get("/fhir/r4/Patient/" + pid).then().body("birthDate", equalTo("1970-01-02"));

    given()
        .get(API + "/" + id)
        .then()
        .statusCode(200)
        .body("trail.action", contains("record", "extension", "accept"))
        .body("trail.toStatus", contains("RECEIVED", "EXTENDED", "ACCEPTED"))
        .body("trail[2].by", equalTo("admin"))
        .body("trail[2].detail", equalTo("Patient/" + pid + " version 2"))
        .body("requestedChange", containsString("2nd of January"));

    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select status, amended_version, decided_by,"
                    + " (select count(*) from amendment_event e where e.amendment_id = a.id)"
                    + " from amendment_request a where id = ?")) {
      q.setObject(1, UUID.fromString(id));
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("ACCEPTED");
      assertThat(rs.getInt(2)).isEqualTo(2);
      assertThat(rs.getString(3)).isEqualTo("admin");
      assertThat(rs.getInt(4)).isEqualTo(3);
    }
    // the step is an access to the patient's record; the individual's words stay out of it
    String event = accessEvent(requestId, "AmendmentRequest");
    JsonNode access = JSON.readTree(event);
    assertThat(access.path("action").asText()).isEqualTo("UPDATE");
    assertThat(access.path("patientIds").get(0).asText()).isEqualTo(pid);
    assertThat(event).doesNotContain("January").doesNotContain("misheard");

    // decided: nothing more to do
    post(API + "/" + id + "/deny", "{\"ground\":\"ACCURATE_AND_COMPLETE\",\"explanation\":\"x\"}")
        .statusCode(409)
        .body("detail", containsString("Allowed next steps: none"));
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-clerk", "him-admin"})
  void aSecondExtensionIs409AndALateNoticeIs400() {
    String pid = patient("Ext" + unique());
    String id = record(pid, null);
    String extension =
        "{\"reason\":\"records are off site\",\"noticeSentOn\":\"" + LocalDate.now() + "\"}";
    post(API + "/" + id + "/extension", extension).statusCode(200);
    post(API + "/" + id + "/extension", extension)
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("only one extension"))
        .body("detail", containsString("Allowed next steps: accept, deny"));

    // received 70 days ago: due 10 days ago, so a notice sent today came too late
    String late = record(pid, LocalDate.now().minusDays(70));
    post(API + "/" + late + "/extension", extension)
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("noticeSentOn"));
    post(API + "/" + late + "/extension", "{\"noticeSentOn\":\"" + LocalDate.now() + "\"}")
        .statusCode(400)
        .body("invalid-params.name", hasItem("reason"));
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-clerk", "him-admin"})
  void denyNeedsAGroundAndTheTrailGoesOnToDisagreementAndRebuttal() {
    String pid = patient("Deny" + unique());
    String id = record(pid, null);

    post(API + "/" + id + "/deny", "{\"explanation\":\"the record is accurate\"}")
        .statusCode(400)
        .contentType("application/problem+json")
        .body("invalid-params[0].name", equalTo("ground"));
    post(API + "/" + id + "/deny", "{\"ground\":\"I_SAY_NO\",\"explanation\":\"x\"}")
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("ground"))
        .body("invalid-params[0].reason", containsString("ACCURATE_AND_COMPLETE"));
    post(API + "/" + id + "/deny", "{\"ground\":\"ACCURATE_AND_COMPLETE\"}")
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("explanation"));
    given().get(API + "/" + id).then().body("status", equalTo("RECEIVED"));

    post(
            API + "/" + id + "/deny",
            "{\"ground\":\"ACCURATE_AND_COMPLETE\",\"explanation\":\"The birth certificate on file"
                + " shows the 1st.\"}")
        .statusCode(200)
        .body("status", equalTo("DENIED"))
        .body("denial.ground", equalTo("ACCURATE_AND_COMPLETE"))
        .body("allowedSteps", contains("disagreement"));
    // the rebuttal answers a disagreement, which has not come yet
    post(API + "/" + id + "/rebuttal", "{\"text\":\"x\",\"author\":\"Dr Who\"}")
        .statusCode(409)
        .body("detail", containsString("Allowed next steps: disagreement"));
    post(
            API + "/" + id + "/disagreement",
            "{\"text\":\"The certificate was amended in 1971.\",\"author\":\"Ann Example\"}")
        .statusCode(200)
        .body("status", equalTo("DISAGREED"))
        .body("disagreement.date", equalTo(LocalDate.now().toString()));
    post(
            API + "/" + id + "/rebuttal",
            "{\"text\":\"No amended certificate was provided.\",\"author\":\"HIM director\"}")
        .statusCode(200)
        .body("status", equalTo("REBUTTED"));

    // the patient's list carries the whole exchange, for later disclosures
    given()
        .queryParam("patient", pid)
        .get(API)
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("items[0].id", equalTo(id))
        .body("items[0].requestedChange", containsString("2nd of January"))
        .body("items[0].denial.explanation", containsString("birth certificate"))
        .body("items[0].disagreement.text", containsString("amended in 1971"))
        .body("items[0].rebuttal.author", equalTo("HIM director"))
        .body("items[0].trail", nullValue());
    given()
        .get(API + "/" + id)
        .then()
        .body("trail.action", contains("record", "deny", "disagreement", "rebuttal"));
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-clerk", "him-admin"})
  void aDisagreementBeforeADenialIs409NamingTheAllowedSteps() {
    String pid = patient("Early" + unique());
    String id = record(pid, null);
    post(API + "/" + id + "/disagreement", "{\"text\":\"I disagree\",\"author\":\"Ann\"}")
        .statusCode(409)
        .contentType("application/problem+json")
        .body("title", equalTo("Step not allowed"))
        .body("detail", containsString("is RECEIVED"))
        .body("detail", containsString("Allowed next steps: extension, accept, deny"));
    given()
        .get(API + "/" + id)
        .then()
        .body("status", equalTo("RECEIVED"))
        .body("disagreement", nullValue())
        .body("trail.size()", equalTo(1));
    post(
            API + "/" + UUID.randomUUID() + "/deny",
            "{\"ground\":\"ACCURATE_AND_COMPLETE\",\"explanation\":\"x\"}")
        .statusCode(404);
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-clerk", "him-admin"})
  void theOverdueListShowsOpenRequestsPastTheirDueDateOnly() {
    String pid = patient("Late" + unique());
    String old = record(pid, LocalDate.now().minusDays(61));
    String fresh = record(pid, LocalDate.now());
    String decided = record(pid, LocalDate.now().minusDays(75));
    post(
            API + "/" + decided + "/deny",
            "{\"ground\":\"NOT_IN_DESIGNATED_RECORD_SET\",\"explanation\":\"billing file\"}")
        .statusCode(200);

    ValidatableResponse list =
        given()
            .queryParam("overdue", "true")
            .queryParam("size", 100)
            .get(API)
            .then()
            .statusCode(200);
    List<String> ids = list.extract().path("items.id");
    assertThat(ids).contains(old).doesNotContain(fresh, decided);
    list.body("items.find { it.id == '" + old + "' }.daysOverdue", equalTo(1))
        .body(
            "items.find { it.id == '" + old + "' }.dueOn",
            equalTo(LocalDate.now().minusDays(1).toString()));
    // most overdue first
    List<String> due = list.extract().path("items.dueOn");
    List<String> sorted = new ArrayList<>(due);
    sorted.sort(null);
    assertThat(due).isEqualTo(sorted);

    given()
        .queryParam("overdue", "true")
        .queryParam("status", "EXTENDED")
        .queryParam("size", 100)
        .get(API)
        .then()
        .statusCode(200)
        .body("items.id", not(hasItem(old)));
    given()
        .queryParam("overdue", "yes")
        .get(API)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("overdue"));
    given()
        .queryParam("overdu", "true")
        .get(API)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("overdu"));
    given()
        .queryParam("status", "OPEN")
        .get(API)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("status"));
    given()
        .queryParam("size", 0)
        .get(API)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("size"));
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-clerk", "him-admin", "clinician"})
  void aConditionIsAmendedThroughTheResourceStoreAndAStaleVersionIs412() throws Exception {
    String tag = unique();
    String pid = patient("Cond" + tag);
    String other = patient("Other" + tag);
    String cid = condition(pid, "44054006");
    String id =
        post(API, request(pid, "Condition", cid, null)).statusCode(201).extract().path("id");
    String corrected =
        """
        {"resource":{"resourceType":"Condition","id":"%s","subject":{"reference":"Patient/%s"},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]}}}
        """;

    // someone changed the condition since the correction was prepared from version 1
    given()
        .contentType(FHIR)
        .body(
            """
            {"resourceType":"Condition","id":"%s","subject":{"reference":"Patient/%s"},
             "code":{"coding":[{"system":"http://snomed.info/sct","code":"73211009"}]}}
            """
                .formatted(cid, pid))
        .put("/fhir/r4/Condition/" + cid)
        .then()
        .statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .header("If-Match", "W/\"1\"")
        .body(corrected.formatted(cid, pid, "46635009"))
        .post(API + "/" + id + "/accept")
        .then()
        .statusCode(412)
        .body("detail", containsString("version 2"));
    given().get(API + "/" + id).then().body("status", equalTo("RECEIVED"));

    // a correction may not move the condition to another patient's record
    given()
        .contentType(ContentType.JSON)
        .body(corrected.formatted(cid, other, "46635009"))
        .post(API + "/" + id + "/accept")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("resource"));
    // nor be another type
    given()
        .contentType(ContentType.JSON)
        .body("{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\"}}")
        .post(API + "/" + id + "/accept")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("resourceType"));
    given().get("/fhir/r4/Condition/" + cid).then().header("ETag", "W/\"2\"");

    given()
        .contentType(ContentType.JSON)
        .header("If-Match", "W/\"2\"")
        .body(corrected.formatted(cid, pid, "46635009"))
        .post(API + "/" + id + "/accept")
        .then()
        .statusCode(200)
        .body("acceptance.amendedVersion", equalTo(3))
        .body("acceptance.versionReference", equalTo("Condition/" + cid + "/_history/3"));
    given()
        .get("/fhir/r4/Condition/" + cid + "/_history/3")
        .then()
        .statusCode(200)
        .body("code.coding[0].code", equalTo("46635009"));
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select reason from fhir_resource_version where resource_type = 'Condition'"
                    + " and id = ? and version_id = 3")) {
      q.setString(1, cid);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).startsWith("Amendment " + id + ": ");
    }
  }

  @Test
  @TestSecurity(
      user = "clerk",
      roles = {"him-clerk", "hospital-system"})
  void aRequestNeedsAKnownPatientATargetInTheirRecordAndAPastReceiptDate() {
    String tag = unique();
    String pid = patient("Bad" + tag);
    String other = patient("Else" + tag);
    String othersCondition = condition(other, "38341003");

    post(API, request("no-such-patient", "Patient", "no-such-patient", null))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("patientId"));
    post(API, request(pid, "Patient", other, null))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("target.id"));
    post(API, request(pid, "Condition", othersCondition, null))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("target.id"))
        .body("invalid-params[0].reason", containsString("not part of the record"));
    post(API, request(pid, "Patient", pid, LocalDate.now().plusDays(1)))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("receivedOn"));
    post(
            API,
            request(pid, "Patient", pid, null)
                .replace("\"INDIVIDUAL\"", "\"PERSONAL_REPRESENTATIVE\""))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("requester.relationship"));
    post(API, request(pid, "Patient", pid, null).replace("\"reason\"", "\"reasons\""))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("reasons"));
    post(API, "{\"patientId\":\"" + pid + "\"}")
        .statusCode(400)
        .body("invalid-params.name", hasItem("requestedChange"))
        .body("invalid-params.name", hasItem("target"));

    // a representative with the relationship is fine, and the request defaults to today
    post(
            API,
            request(pid, "Patient", pid, null)
                .replace(
                    "\"type\":\"INDIVIDUAL\",\"name\":\"Ann Example\"",
                    "\"type\":\"PERSONAL_REPRESENTATIVE\",\"name\":\"Bo Example\","
                        + "\"relationship\":\"parent\""))
        .statusCode(201)
        .body("receivedOn", equalTo(LocalDate.now().toString()))
        .body("requester.relationship", equalTo("parent"));
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void aCoderIsRefused() {
    given()
        .queryParam("overdue", "true")
        .get(API)
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    post(API, request("p", "Patient", "p", null)).statusCode(403);
    given().get(API + "/" + UUID.randomUUID()).then().statusCode(403);
  }

  @Test
  @TestSecurity(
      user = "doctor",
      roles = {"clinician"})
  void aClinicianDecidesButDoesNotLogRequests() {
    post(API, request("p", "Patient", "p", null)).statusCode(403);
    given().queryParam("overdue", "true").get(API).then().statusCode(200);
  }

  String accessEvent(String correlationId, String resourceType) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select cast(payload as text) from outbox_event where payload->>'correlationId' = ?"
                    + " and payload->>'resourceType' = ?")) {
      q.setString(1, correlationId);
      q.setString(2, resourceType);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).as("access event for " + resourceType).isTrue();
      return rs.getString(1);
    }
  }
}
