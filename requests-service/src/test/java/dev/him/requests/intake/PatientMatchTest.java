package dev.him.requests.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import dev.him.requests.records.RecordsClient;
import dev.him.requests.testing.RecordsServiceStub;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Matching the request's patient in records-service, and a person deciding when it is not exact.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "requests"))
@QuarkusTestResource(KafkaResource.class)
// A Quarkus app of its own (the init arg): not the app of RecordsClientTest, whose circuit-breaker
// tests need
// breakers no other test has used
@QuarkusTestResource(
    value = RecordsServiceStub.class,
    initArgs = @ResourceArg(name = "app", value = "roi"))
class PatientMatchTest {
  static final String ROI = "/api/requests/roi";
  static final ObjectMapper JSON = new ObjectMapper();

  @Inject AgroalDataSource db;
  @Inject RecordsClient records;

  String tag;

  @BeforeEach
  void fresh() {
    RecordsServiceStub.reset();
    // a test that made records-service fail may have opened the search circuit (1 s in the test
    // profile): start each test with it closed
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> records.searchPatients("none", null, null, null, 1) != null);
    RecordsServiceStub.reset();
    // letters only: family names are searched by prefix
    tag =
        new java.util.Random()
            .ints(8, 'a', 'z' + 1)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void oneCandidateAgreeingOnEverythingIsLinked() throws Exception {
    String mrn = "MRN-" + tag;
    String id = patient("p-" + tag, "Quintero" + tag, "Ana", "1971-04-02", mrn);

    String requestId =
        create(described("Quintero" + tag, "Ana", "1971-04-02", mrn))
            .statusCode(201)
            .body("patientId", equalTo(id))
            .body("patientMatchStatus", equalTo("EXACT"))
            .body("patient.family", equalTo("Quintero" + tag))
            .body("patient.identifier", equalTo(mrn))
            .extract()
            .path("id");
    // the identifier was searched first
    assertThat(RecordsServiceStub.calls().get(0).query()).contains("identifier=" + mrn);

    matchOf(requestId)
        .body("status", equalTo("EXACT"))
        .body("patientId", equalTo(id))
        .body("candidates", hasSize(1))
        .body("candidates[0].mrn", equalTo(mrn))
        .body("candidates[0].birthDate", equalTo("1971-04-02"))
        .body(
            "candidates[0].agreeing",
            containsInAnyOrder("family", "given", "birthDate", "identifier"));
    // the match is an access of this patient's data, recorded for the request
    JsonNode search = JSON.readTree(new OutboxProbe(db).awaitPublished(id, "SEARCH"));
    assertThat(search.path("resourceId").asText()).isEqualTo(requestId);
    assertThat(search.path("detail").asText()).contains("EXACT");
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aPartialMatchWaitsForAPersonWhoConfirmsIt() throws Exception {
    String right = patient("p1-" + tag, "Okafor" + tag, "Chidi", "1990-03-04", "M1-" + tag);
    patient("p2-" + tag, "Okafor" + tag + "bello", "Chidinma", "1990-03-04", "M2-" + tag);

    String requestId =
        create(described("Okafor" + tag, "Chi", "1990-03-04", null))
            .statusCode(201)
            .body("patientId", nullValue())
            .body("patientMatchStatus", equalTo("NEEDS_REVIEW"))
            .extract()
            .path("id");
    assertThat(column(requestId, "patient_match_status")).isEqualTo("NEEDS_REVIEW");
    matchOf(requestId)
        .body("status", equalTo("NEEDS_REVIEW"))
        .body("candidates.patientId", containsInAnyOrder(right, "p2-" + tag))
        .body(
            "candidates.find { it.patientId == '" + right + "' }.agreeing",
            containsInAnyOrder("family", "birthDate"))
        .body(
            "candidates.find { it.patientId == 'p2-" + tag + "' }.agreeing",
            equalTo(List.of("birthDate")));

    // identity may be verified, but nothing goes further without the patient
    move(requestId, 0, Map.of("to", "IDENTITY_VERIFIED", "identityMethod", "PHOTO_ID"))
        .statusCode(200);
    move(requestId, 1, Map.of("to", "BASIS_VALIDATED"))
        .statusCode(409)
        .body("invalid-params[0].name", equalTo("patientId"))
        .body("detail", containsString("NEEDS_REVIEW"));
    assertThat(column(requestId, "status")).isEqualTo("IDENTITY_VERIFIED");

    // a person decides: neither or both is wrong, an unknown id is wrong
    decide(requestId, Map.of())
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("patientId"));
    decide(requestId, Map.of("patientId", right, "noMatch", true)).statusCode(400);
    decide(requestId, Map.of("patientId", "nobody-" + tag))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("patientId"));

    decide(requestId, Map.of("patientId", right, "note", "Birth date and address agree"))
        .statusCode(200)
        .body("status", equalTo("CONFIRMED"))
        .body("patientId", equalTo(right))
        .body("confirmedBy", equalTo("rita"))
        .body("confirmedAt", notNullValue())
        .body("note", equalTo("Birth date and address agree"));
    ValidatableResponse read =
        given().get(ROI + "/" + requestId).then().statusCode(200).body("patientId", equalTo(right));
    read.body("history[2].event", equalTo("PATIENT_CONFIRMED"))
        .body("history[2].by", equalTo("rita"))
        .body("history[2].at", notNullValue())
        .body("history[2].note", containsString(right));
    assertThat(column(requestId, "patient_confirmed_by")).isEqualTo("rita");
    JsonNode update = JSON.readTree(new OutboxProbe(db).awaitPublished(right, "UPDATE"));
    assertThat(update.path("resourceId").asText()).isEqualTo(requestId);

    // now the basis can be validated (right of access needs no document)
    long version = read.extract().jsonPath().getLong("version");
    move(requestId, version, Map.of("to", "BASIS_VALIDATED")).statusCode(200);
    // and the patient no longer changes
    decide(requestId, Map.of("noMatch", true)).statusCode(409);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void noRecordOfThePatientIsRecordedAndBlocksRelease() {
    String requestId =
        create(described("Nobody" + tag, "Zed", "2001-01-01", null))
            .statusCode(201)
            .body("patientMatchStatus", equalTo("NEEDS_REVIEW"))
            .extract()
            .path("id");
    matchOf(requestId).body("candidates", hasSize(0));
    decide(requestId, Map.of("noMatch", true, "note", "Not a patient here; searched by phone too"))
        .statusCode(200)
        .body("status", equalTo("NO_MATCH"))
        .body("patientId", nullValue())
        .body("confirmedBy", equalTo("rita"));
    given()
        .get(ROI + "/" + requestId)
        .then()
        .body("history[1].event", equalTo("PATIENT_NO_MATCH"))
        .body("history[1].by", equalTo("rita"));
    move(requestId, 1, Map.of("to", "IDENTITY_VERIFIED", "identityMethod", "PHOTO_ID"))
        .statusCode(200);
    move(requestId, 2, Map.of("to", "BASIS_VALIDATED"))
        .statusCode(409)
        .body("invalid-params[0].name", equalTo("patientId"));
    // the requester is told: a denial needs no patient
    move(requestId, 2, Map.of("to", "DENIED", "reason", "We hold no records of this person"))
        .statusCode(200)
        .body("status", equalTo("DENIED"));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void whenRecordsServiceIsDownTheRequestIsStoredPendingAndMatchedLater() throws Exception {
    String id = patient("p-" + tag, "Mbeki" + tag, "Thabo", "1965-07-12", null);
    RecordsServiceStub.failNext(100, 503);
    String requestId;
    try {
      requestId =
          create(described("Mbeki" + tag, "Thabo", "1965-07-12", null))
              .statusCode(201)
              .body("patientId", nullValue())
              .body("patientMatchStatus", equalTo("PENDING"))
              .extract()
              .path("id");
      assertThat(column(requestId, "patient_match_status")).isEqualTo("PENDING");
      // still down: the re-run says so and changes nothing
      given()
          .post(ROI + "/" + requestId + "/patient-match/run")
          .then()
          .statusCode(503)
          .body("invalid-params[0].name", equalTo("records-service"));
    } finally {
      RecordsServiceStub.reset();
    }
    assertThat(column(requestId, "patient_match_status")).isEqualTo("PENDING");
    String finalId = requestId;

    // the failures above may have opened the circuit (1 s in the test profile): wait it out
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                given()
                        .post(ROI + "/" + finalId + "/patient-match/run")
                        .then()
                        .extract()
                        .statusCode()
                    != 503);
    matchOf(requestId)
        .body("status", equalTo("EXACT"))
        .body("patientId", equalTo(id))
        .body("runAt", notNullValue());
    given()
        .get(ROI + "/" + requestId)
        .then()
        .body("patientId", equalTo(id))
        .body("history[1].event", equalTo("PATIENT_MATCH_RUN"))
        .body("history[1].note", containsString("EXACT"));
    assertThat(column(requestId, "patient_id")).isEqualTo(id);
    // a settled match is not run again
    given().post(ROI + "/" + requestId + "/patient-match/run").then().statusCode(409);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aGivenPatientIdIsChecked() {
    String id = patient("p-" + tag, "Haddad" + tag, "Rami", "1980-05-05", null);
    Map<String, Object> body = base();
    body.put("patientId", id);
    given()
        .contentType("application/json")
        .body(body)
        .post(ROI)
        .then()
        .statusCode(201)
        .body("patientId", equalTo(id))
        .body("patientMatchStatus", equalTo("EXACT"));
    body.put("patientId", "unknown-" + tag);
    given()
        .contentType("application/json")
        .body(body)
        .post(ROI)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("patientId"))
        .body("invalid-params[0].reason", containsString("records-service"));
    // without an id the description must be complete
    body.remove("patientId");
    body.put("patient", Map.of("family", "Haddad" + tag));
    given()
        .contentType("application/json")
        .body(body)
        .post(ROI)
        .then()
        .statusCode(400)
        .body("invalid-params.name", containsInAnyOrder("patient.given", "patient.birthDate"));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aClerkMayNotSeeOrDecideAMatch() {
    String some = UUID.randomUUID().toString();
    given().get(ROI + "/" + some + "/patient-match").then().statusCode(403);
    decide(some, Map.of("noMatch", true)).statusCode(403);
  }

  // --- helpers ---

  static String patient(String id, String family, String given, String birthDate, String mrn) {
    Patient p = new Patient();
    p.setId(id);
    p.addName(RecordsServiceStub.name(family, given));
    p.setBirthDateElement(new DateType(birthDate));
    if (mrn != null) {
      p.addIdentifier().setSystem(PatientMatcher.MRN_SYSTEM).setValue(mrn);
    }
    RecordsServiceStub.put(p, List.of());
    return id;
  }

  static Map<String, Object> base() {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("requester", Map.of("type", "INDIVIDUAL", "name", "The patient"));
    b.put("requestType", "RIGHT_OF_ACCESS");
    b.put("receivedOn", LocalDate.now().toString());
    b.put("recordsRequested", "All records");
    return b;
  }

  static Map<String, Object> described(String family, String given, String birth, String id) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("family", family);
    p.put("given", given);
    p.put("birthDate", birth);
    if (id != null) {
      p.put("identifier", id);
    }
    Map<String, Object> b = base();
    b.put("patient", p);
    return b;
  }

  static ValidatableResponse create(Map<String, Object> body) {
    return given().contentType("application/json").body(body).post(ROI).then();
  }

  static ValidatableResponse matchOf(String requestId) {
    return given().get(ROI + "/" + requestId + "/patient-match").then().statusCode(200);
  }

  static ValidatableResponse decide(String requestId, Map<String, Object> body) {
    return given()
        .contentType("application/json")
        .body(body)
        .post(ROI + "/" + requestId + "/patient-match")
        .then();
  }

  static ValidatableResponse move(String id, long version, Map<String, Object> body) {
    return given()
        .contentType("application/json")
        .header("If-Match", "\"" + version + "\"")
        .body(body)
        .post(ROI + "/" + id + "/transitions")
        .then();
  }

  String column(String id, String column) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select " + column + " from roi_request where id = cast(? as uuid)")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
