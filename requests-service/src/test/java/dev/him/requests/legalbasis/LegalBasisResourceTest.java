package dev.him.requests.legalbasis;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import dev.him.requests.testing.KnownPatients;
import dev.him.requests.testing.RecordsServiceStub;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
class LegalBasisResourceTest {
  static final String ROI = "/api/requests/roi";
  static final String PROBLEM = "application/problem+json";
  static final ObjectMapper JSON = new ObjectMapper();
  static final LocalDate TODAY = LocalDate.now();

  @Inject AgroalDataSource db;

  // --- authorizations ---

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aCompleteAuthorizationIsStoredAndPassesAndEveryCallIsRecorded() throws Exception {
    String patientId = "pat-" + unique();
    String id = newRequest(patientId, "AUTHORIZATION");
    String putId = "lb-put-" + unique();
    given()
        .contentType("application/json")
        .header("X-Request-Id", putId)
        .body(completeAuthorization())
        .put(ROI + "/" + id + "/authorization")
        .then()
        .statusCode(200)
        .body("requestId", equalTo(id))
        .body("requestType", equalTo("AUTHORIZATION"))
        .body("authorization.document.recipient", equalTo("Smith & Jones LLP"))
        .body("authorization.document.signerType", equalTo("PERSONAL_REPRESENTATIVE"))
        .body("authorization.document.coversOtherRecords", equalTo(true))
        .body("authorization.updatedBy", equalTo("rita"))
        .body("authorization.revocation", nullValue())
        .body("check.valid", equalTo(true))
        .body("check.defects", empty());

    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select recipient, signed, signed_on, signer_type, statement_redisclosure,"
                    + " updated_by from roi_authorization where request_id = cast(? as uuid)")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("Smith & Jones LLP");
      assertThat(rs.getBoolean(2)).isTrue();
      assertThat(rs.getObject(3, LocalDate.class)).isEqualTo(TODAY.minusDays(2));
      assertThat(rs.getString(4)).isEqualTo("PERSONAL_REPRESENTATIVE");
      assertThat(rs.getBoolean(5)).isTrue();
      assertThat(rs.getString(6)).isEqualTo("rita");
    }

    JsonNode put = awaitOutboxEvent(putId);
    assertThat(put.path("action").asText()).isEqualTo("UPDATE");
    assertThat(put.path("resourceType").asText()).isEqualTo("RoiRequest");
    assertThat(put.path("resourceId").asText()).isEqualTo(id);
    assertThat(put.path("patientIds").toString()).contains(patientId);
    assertThat(put.path("outcome").asText()).isEqualTo("SUCCESS");
    assertThat(put.toString()).doesNotContain("Smith & Jones");

    String checkId = "lb-check-" + unique();
    given()
        .header("X-Request-Id", checkId)
        .get(ROI + "/" + id + "/legal-basis/check")
        .then()
        .statusCode(200)
        .body("requestId", equalTo(id))
        .body("basis", equalTo("AUTHORIZATION"))
        .body("checkedOn", equalTo(TODAY.toString()))
        .body("valid", equalTo(true))
        .body("defects", empty())
        .body("exclusions", empty());
    JsonNode read = awaitOutboxEvent(checkId);
    assertThat(read.path("action").asText()).isEqualTo("READ");
    assertThat(read.path("resourceId").asText()).isEqualTo(id);
    assertThat(read.path("actor").path("username").asText()).isEqualTo("rita");
  }

  @ParameterizedTest(name = "{0} missing gives {1}")
  @CsvSource({
    "informationDescription, AUTH_DESCRIPTION_MISSING, authorization.informationDescription",
    "discloser, AUTH_DISCLOSER_MISSING, authorization.discloser",
    "recipient, AUTH_RECIPIENT_MISSING, authorization.recipient",
    "purpose, AUTH_PURPOSE_MISSING, authorization.purpose",
    "expiresOn|expirationEvent, AUTH_EXPIRATION_MISSING, authorization.expiresOn",
    "signed, AUTH_UNSIGNED, authorization.signed",
    "signedOn, AUTH_SIGNATURE_DATE_MISSING, authorization.signedOn",
    "signerType, AUTH_SIGNER_MISSING, authorization.signerType",
    "representativeAuthority, AUTH_REPRESENTATIVE_AUTHORITY_MISSING,"
        + " authorization.representativeAuthority",
    "statementRightToRevoke, AUTH_STATEMENT_REVOKE_MISSING, authorization.statementRightToRevoke",
    "statementConditioning, AUTH_STATEMENT_CONDITIONING_MISSING,"
        + " authorization.statementConditioning",
    "statementRedisclosure, AUTH_STATEMENT_REDISCLOSURE_MISSING,"
        + " authorization.statementRedisclosure",
  })
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void anAuthorizationMissingOneElementHasExactlyThatDefect(
      String removed, String code, String field) {
    String id = newRequest("pat-" + unique(), "AUTHORIZATION");
    Map<String, Object> auth = completeAuthorization();
    for (String key : removed.split("\\|")) {
      auth.remove(key);
    }
    putAuthorization(id, auth).statusCode(200).body("check.valid", equalTo(false));
    check(id)
        .body("valid", equalTo(false))
        .body("defects.size()", equalTo(1))
        .body("defects[0].code", equalTo(code))
        .body("defects[0].field", equalTo(field))
        .body("defects[0].message", notNullValue());
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void severalDefectsAtOnceAreAllReturned() {
    String id = newRequest("pat-" + unique(), "AUTHORIZATION");
    Map<String, Object> auth = completeAuthorization();
    auth.remove("informationDescription");
    auth.remove("recipient");
    auth.remove("statementConditioning");
    auth.remove("representativeAuthority");
    auth.put("signedOn", TODAY.plusDays(3).toString());
    putAuthorization(id, auth).statusCode(200);
    check(id)
        .body("valid", equalTo(false))
        .body(
            "defects.code",
            contains(
                "AUTH_DESCRIPTION_MISSING",
                "AUTH_RECIPIENT_MISSING",
                "AUTH_SIGNATURE_DATE_FUTURE",
                "AUTH_REPRESENTATIVE_AUTHORITY_MISSING",
                "AUTH_STATEMENT_CONDITIONING_MISSING"))
        .body("defects.field", hasItem("authorization.signedOn"));
    // the stored documents show the same check
    given()
        .get(ROI + "/" + id + "/legal-basis")
        .then()
        .statusCode(200)
        .body("authorization.document.informationDescription", nullValue())
        .body("check.defects.size()", equalTo(5));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void anAuthorizationExpiredByDateOrByEventIsDefective() {
    String byDate = newRequest("pat-" + unique(), "AUTHORIZATION");
    Map<String, Object> auth = completeAuthorization();
    auth.put("expiresOn", TODAY.minusDays(1).toString());
    putAuthorization(byDate, auth).statusCode(200);
    check(byDate)
        .body("valid", equalTo(false))
        .body("defects.code", contains("AUTH_EXPIRED"))
        .body("defects[0].field", equalTo("authorization.expiresOn"));

    String byEvent = newRequest("pat-" + unique(), "AUTHORIZATION");
    Map<String, Object> event = completeAuthorization();
    event.remove("expiresOn");
    event.put("expirationEvent", "End of the litigation");
    putAuthorization(byEvent, event).statusCode(200).body("check.valid", equalTo(true));
    event.put("expirationEventOccurred", true);
    putAuthorization(byEvent, event).statusCode(200);
    check(byEvent)
        .body("valid", equalTo(false))
        .body("defects.code", contains("AUTH_EXPIRATION_EVENT_OCCURRED"))
        .body("defects[0].field", equalTo("authorization.expirationEventOccurred"))
        .body("defects[0].message", containsString("End of the litigation"));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aRevokedAuthorizationStopsReleasesAndStaysOnFile() throws Exception {
    String patientId = "pat-" + unique();
    String id = newRequest(patientId, "AUTHORIZATION");
    putAuthorization(id, completeAuthorization()).statusCode(200);
    check(id).body("valid", equalTo(true));

    String revokeId = "lb-revoke-" + unique();
    given()
        .contentType("application/json")
        .header("X-Request-Id", revokeId)
        .body(
            Map.of(
                "revokedBy", "Maria Souza (guardian)",
                "reason", "Changed attorneys",
                "receivedOn", TODAY.toString()))
        .post(ROI + "/" + id + "/authorization/revocation")
        .then()
        .statusCode(200)
        .body("authorization.revocation.receivedOn", equalTo(TODAY.toString()))
        .body("authorization.revocation.revokedBy", equalTo("Maria Souza (guardian)"))
        .body("authorization.revocation.recordedBy", equalTo("rita"))
        .body("authorization.revocation.recordedAt", notNullValue())
        .body("check.valid", equalTo(false));
    check(id)
        .body("valid", equalTo(false))
        .body("defects.code", contains("AUTH_REVOKED"))
        .body("defects[0].field", equalTo("authorization.revocation"));

    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select revoked_at, revoked_on, revocation_reason, revocation_recorded_by"
                    + " from roi_authorization where request_id = cast(? as uuid)")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getTimestamp(1)).isNotNull();
      assertThat(rs.getObject(2, LocalDate.class)).isEqualTo(TODAY);
      assertThat(rs.getString(3)).isEqualTo("Changed attorneys");
      assertThat(rs.getString(4)).isEqualTo("rita");
    }
    JsonNode event = awaitOutboxEvent(revokeId);
    assertThat(event.path("action").asText()).isEqualTo("UPDATE");
    assertThat(event.path("patientIds").toString()).contains(patientId);

    // the release step's own entry point sees the revocation too
    assertThat(checks.check(UUID.fromString(id)).orElseThrow().valid()).isFalse();

    // a revocation cannot be undone by revoking again or replacing the authorization
    given()
        .contentType("application/json")
        .body(Map.of("receivedOn", TODAY.toString()))
        .post(ROI + "/" + id + "/authorization/revocation")
        .then()
        .statusCode(409)
        .contentType(PROBLEM);
    putAuthorization(id, completeAuthorization()).statusCode(409).contentType(PROBLEM);
    check(id).body("defects.code", contains("AUTH_REVOKED"));
  }

  @Inject LegalBasisChecks checks;

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void psychotherapyNotesNeedAnAuthorizationOfTheirOwn() {
    String id = newRequest("pat-" + unique(), "AUTHORIZATION");
    putScope(id, Map.of("sensitiveCategories", List.of("PSYCHOTHERAPY_NOTES"))).statusCode(200);

    putAuthorization(id, completeAuthorization()).statusCode(200);
    check(id)
        .body("valid", equalTo(false))
        .body("defects.code", contains("PSYCHOTHERAPY_NOTES_NOT_AUTHORIZED"));

    Map<String, Object> combined = completeAuthorization();
    combined.put("coversPsychotherapyNotes", true);
    putAuthorization(id, combined).statusCode(200);
    check(id)
        .body("valid", equalTo(false))
        .body("defects.code", contains("PSYCHOTHERAPY_NOTES_COMBINED"))
        .body("defects[0].field", equalTo("authorization.coversOtherRecords"));

    combined.put("coversOtherRecords", false);
    putAuthorization(id, combined).statusCode(200);
    check(id).body("valid", equalTo(true)).body("defects", empty());
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void substanceUseRecordsNeedThePart2ConsentElements() {
    String id = newRequest("pat-" + unique(), "AUTHORIZATION");
    putScope(id, Map.of("sensitiveCategories", List.of("SUBSTANCE_USE_DISORDER")))
        .statusCode(200)
        .body("scope.sensitiveCategories", contains("SUBSTANCE_USE_DISORDER"));

    putAuthorization(id, completeAuthorization()).statusCode(200);
    check(id)
        .body("valid", equalTo(false))
        .body(
            "defects.code",
            contains(
                "PART2_NOT_COVERED",
                "PART2_PATIENT_NAME_MISSING",
                "PART2_RECIPIENT_MISSING",
                "PART2_PURPOSE_MISSING",
                "PART2_AMOUNT_AND_KIND_MISSING",
                "PART2_EXPIRATION_MISSING",
                "PART2_STATEMENT_REVOKE_MISSING",
                "PART2_REDISCLOSURE_NOTICE_MISSING"))
        .body("defects.field", hasItem("authorization.part2.amountAndKind"));

    Map<String, Object> part2 = completeAuthorization();
    part2.put("coversSubstanceUseRecords", true);
    Map<String, Object> consent = completePart2();
    consent.remove("amountAndKind");
    consent.remove("redisclosureNotice");
    part2.put("part2", consent);
    putAuthorization(id, part2).statusCode(200);
    check(id)
        .body(
            "defects.code",
            contains("PART2_AMOUNT_AND_KIND_MISSING", "PART2_REDISCLOSURE_NOTICE_MISSING"));

    part2.put("part2", completePart2());
    putAuthorization(id, part2)
        .statusCode(200)
        .body("authorization.document.part2.recipient", equalTo("Smith & Jones LLP"));
    check(id).body("valid", equalTo(true)).body("defects", empty());
  }

  // --- legal process ---

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aCourtOrderReleasesOnlyWhatItNames() throws Exception {
    String id = newRequest("pat-" + unique(), "COURT_ORDER");
    check(id).body("valid", equalTo(false)).body("defects.code", contains("COURT_ORDER_MISSING"));

    putScope(
            id,
            Map.of(
                "recordTypes",
                List.of("DISCHARGE_SUMMARY", "LAB_RESULTS", "IMAGING"),
                "sensitiveCategories",
                List.of("HIV"),
                "from",
                "2023-01-01",
                "to",
                "2024-12-31"))
        .statusCode(200);
    given()
        .contentType("application/json")
        .body(
            Map.of(
                "issuingCourt", "Suffolk County Superior Court",
                "issuedOn", TODAY.minusDays(5).toString(),
                "recordTypes", List.of("DISCHARGE_SUMMARY", "LAB_RESULTS"),
                "dateFrom", "2024-01-01",
                "dateTo", "2024-12-31"))
        .put(ROI + "/" + id + "/court-order")
        .then()
        .statusCode(200)
        .body("courtOrder.document.issuingCourt", equalTo("Suffolk County Superior Court"))
        .body("courtOrder.document.sensitiveCategories", empty());
    check(id)
        .body("valid", equalTo(false))
        .body(
            "defects.code",
            contains(
                "COURT_ORDER_RECORD_TYPE_OUTSIDE",
                "COURT_ORDER_CATEGORY_OUTSIDE",
                "COURT_ORDER_DATE_RANGE_OUTSIDE"))
        .body("defects[0].message", containsString("IMAGING"))
        .body(
            "defects.field",
            contains("scope.recordTypes", "scope.sensitiveCategories", "scope.from"))
        .body("releasableScope.recordTypes", contains("DISCHARGE_SUMMARY", "LAB_RESULTS"))
        .body("releasableScope.sensitiveCategories", empty())
        .body("releasableScope.from", equalTo("2024-01-01"))
        .body("releasableScope.to", equalTo("2024-12-31"));

    putScope(
            id,
            Map.of("recordTypes", List.of("LAB_RESULTS"), "from", "2024-03-01", "to", "2024-06-30"))
        .statusCode(200);
    check(id)
        .body("valid", equalTo(true))
        .body("defects", empty())
        .body("releasableScope.recordTypes", contains("LAB_RESULTS"))
        .body("releasableScope.from", equalTo("2024-03-01"))
        .body("releasableScope.to", equalTo("2024-06-30"));

    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select cast(record_types as text), date_from, updated_by from roi_court_order"
                    + " where request_id = cast(? as uuid)")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).contains("DISCHARGE_SUMMARY").doesNotContain("IMAGING");
      assertThat(rs.getObject(2, LocalDate.class)).isEqualTo(LocalDate.parse("2024-01-01"));
      assertThat(rs.getString(3)).isEqualTo("rita");
    }
    assertThat(
            count(
                "select count(*) from roi_request where requested_record_types @>"
                    + " '[\"LAB_RESULTS\"]' and id = '"
                    + id
                    + "'"))
        .isEqualTo(1);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aSubpoenaWithoutACourtOrderNeedsSatisfactoryAssurance() throws Exception {
    String id = newRequest("pat-" + unique(), "SUBPOENA");
    check(id).body("defects.code", contains("SUBPOENA_MISSING"));

    Map<String, Object> subpoena = new LinkedHashMap<>();
    subpoena.put("issuedOn", TODAY.minusDays(20).toString());
    putSubpoena(id, subpoena)
        .statusCode(200)
        .body("subpoena.document.protectiveOrder", equalTo("NONE"));
    check(id)
        .body("valid", equalTo(false))
        .body("defects.code", contains("SUBPOENA_NO_SATISFACTORY_ASSURANCE"))
        .body("defects[0].field", equalTo("subpoena.noticeGivenOn"));

    subpoena.put("noticeGivenOn", TODAY.minusDays(10).toString());
    subpoena.put("objectionPeriodEndsOn", TODAY.plusDays(4).toString());
    putSubpoena(id, subpoena).statusCode(200);
    check(id)
        .body("valid", equalTo(false))
        .body("defects.code", contains("SUBPOENA_OBJECTION_PERIOD_OPEN"))
        .body("defects[0].message", containsString(TODAY.plusDays(4).toString()));

    subpoena.put("objectionPeriodEndsOn", TODAY.minusDays(1).toString());
    putSubpoena(id, subpoena).statusCode(200);
    check(id).body("valid", equalTo(true)).body("defects", empty());

    String withQpo = newRequest("pat-" + unique(), "SUBPOENA");
    putSubpoena(
            withQpo, Map.of("issuedOn", TODAY.minusDays(3).toString(), "protectiveOrder", "SOUGHT"))
        .statusCode(200);
    check(withQpo).body("valid", equalTo(true));
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select protective_order, notice_given_on from roi_subpoena"
                    + " where request_id = cast(? as uuid)")) {
      q.setString(1, withQpo);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("SOUGHT");
      assertThat(rs.getObject(2)).isNull();
    }
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void rightOfAccessNeedsNoAuthorizationAndExcludesPsychotherapyNotes() {
    String id = newRequest("pat-" + unique(), "RIGHT_OF_ACCESS");
    putScope(
            id,
            Map.of(
                "recordTypes", List.of("DISCHARGE_SUMMARY"),
                "sensitiveCategories", List.of("PSYCHOTHERAPY_NOTES", "LEGAL_PROCEEDINGS")))
        .statusCode(200);
    check(id)
        .body("valid", equalTo(true))
        .body("defects", empty())
        .body("exclusions.category", containsInAnyOrder("PSYCHOTHERAPY_NOTES", "LEGAL_PROCEEDINGS"))
        .body("exclusions[0].reason", containsString("164.524"))
        .body("releasableScope", nullValue());
    given()
        .get(ROI + "/" + id + "/legal-basis")
        .then()
        .statusCode(200)
        .body("authorization", nullValue())
        .body("scope.recordTypes", contains("DISCHARGE_SUMMARY"))
        .body("check.valid", equalTo(true))
        .body("check.exclusions.size()", equalTo(2));
  }

  // --- errors and roles ---

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void invalidInputIs400NamingEachField() {
    String id = newRequest("pat-" + unique(), "AUTHORIZATION");
    Map<String, Object> auth = completeAuthorization();
    auth.put("signerType", "NEIGHBOUR");
    putAuthorization(id, auth)
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("signerType"))
        .body("invalid-params[0].reason", containsString("PERSONAL_REPRESENTATIVE"));

    Map<String, Object> long_ = completeAuthorization();
    long_.put("informationDescription", "x".repeat(2001));
    long_.put("part2", Map.of("patientName", "y".repeat(201)));
    putAuthorization(id, long_)
        .statusCode(400)
        .contentType(PROBLEM)
        .body(
            "invalid-params.name",
            containsInAnyOrder("informationDescription", "part2.patientName"));

    Map<String, Object> typo = completeAuthorization();
    typo.put("recipent", "someone");
    putAuthorization(id, typo).statusCode(400).body("invalid-params[0].name", equalTo("recipent"));

    given()
        .contentType("application/json")
        .body(Map.of("issuedOn", TODAY.plusDays(1).toString(), "recordTypes", List.of()))
        .put(ROI + "/" + id + "/court-order")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params.name", containsInAnyOrder("issuingCourt", "issuedOn", "recordTypes"));

    given()
        .contentType("application/json")
        .body(
            Map.of(
                "issuingCourt", "Court",
                "issuedOn", TODAY.toString(),
                "recordTypes", List.of("LAB_RESULTS"),
                "dateFrom", "2024-06-01",
                "dateTo", "2024-01-01"))
        .put(ROI + "/" + id + "/court-order")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("dateTo"));

    putScope(id, Map.of("recordTypes", List.of("lab results")))
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", startsWith("recordTypes"));

    Map<String, Object> nullCategory = new LinkedHashMap<>();
    nullCategory.put("sensitiveCategories", java.util.Arrays.asList("HIV", null));
    putScope(id, nullCategory)
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", startsWith("sensitiveCategories"));

    putSubpoena(
            id,
            Map.of(
                "issuedOn", TODAY.toString(),
                "noticeGivenOn", TODAY.toString(),
                "objectionPeriodEndsOn", TODAY.minusDays(3).toString()))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("objectionPeriodEndsOn"));

    given()
        .contentType("application/json")
        .body(Map.of("reason", "no date"))
        .post(ROI + "/" + id + "/authorization/revocation")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("receivedOn"));

    // nothing was stored by the refused calls
    given()
        .get(ROI + "/" + id + "/legal-basis")
        .then()
        .body("authorization", nullValue())
        .body("courtOrder", nullValue())
        .body("subpoena", nullValue())
        .body("scope.recordTypes", nullValue());
  }

  @Test
  @TestSecurity(user = "carl", roles = "coder")
  void aCoderIsRefusedAndTheRefusalIsRecorded() throws Exception {
    String someId = UUID.randomUUID().toString();
    String putId = "lb-coder-" + unique();
    given()
        .contentType("application/json")
        .header("X-Request-Id", putId)
        .body(completeAuthorization())
        .put(ROI + "/" + someId + "/authorization")
        .then()
        .statusCode(403)
        .contentType(PROBLEM)
        .body("title", equalTo("Forbidden"));
    JsonNode event = awaitOutboxEvent(putId);
    assertThat(event.path("outcome").asText()).isEqualTo("FORBIDDEN");
    assertThat(event.path("action").asText()).isEqualTo("UPDATE");
    assertThat(event.path("resourceId").asText()).isEqualTo(someId);
    assertThat(event.path("actor").path("username").asText()).isEqualTo("carl");

    String checkId = "lb-coder-check-" + unique();
    given()
        .header("X-Request-Id", checkId)
        .get(ROI + "/" + someId + "/legal-basis/check")
        .then()
        .statusCode(403);
    assertThat(awaitOutboxEvent(checkId).path("action").asText()).isEqualTo("READ");
  }

  @Test
  @TestSecurity(user = "olga", roles = "privacy-officer")
  void aPrivacyOfficerMayReadButNotWrite() throws Exception {
    String id = insertRequest("pat-" + unique(), "RIGHT_OF_ACCESS");
    given().get(ROI + "/" + id + "/legal-basis").then().statusCode(200);
    check(id).body("valid", equalTo(true));
    putAuthorization(id, completeAuthorization()).statusCode(403);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void anUnknownRequestIs404() {
    String unknown = UUID.randomUUID().toString();
    given()
        .get(ROI + "/" + unknown + "/legal-basis/check")
        .then()
        .statusCode(404)
        .contentType(PROBLEM)
        .body("detail", containsString(unknown));
    putAuthorization(unknown, completeAuthorization()).statusCode(404).contentType(PROBLEM);
    given().get(ROI + "/not-a-uuid/legal-basis").then().statusCode(404).contentType(PROBLEM);
    assertThat(checks.check(UUID.fromString(unknown))).isEmpty();
  }

  @Test
  void withoutATokenIs401() {
    given()
        .get(ROI + "/" + UUID.randomUUID() + "/legal-basis/check")
        .then()
        .statusCode(401)
        .contentType(PROBLEM);
  }

  // --- helpers ---

  static Map<String, Object> completeAuthorization() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("informationDescription", "Discharge summaries and lab results, 2024");
    a.put("discloser", "General Hospital HIM department");
    a.put("recipient", "Smith & Jones LLP");
    a.put("purpose", "Personal injury claim");
    a.put("expiresOn", TODAY.plusMonths(6).toString());
    a.put("signed", true);
    a.put("signedOn", TODAY.minusDays(2).toString());
    a.put("signerType", "PERSONAL_REPRESENTATIVE");
    a.put("representativeAuthority", "Court-appointed guardian");
    a.put("statementRightToRevoke", true);
    a.put("statementConditioning", true);
    a.put("statementRedisclosure", true);
    return a;
  }

  static Map<String, Object> completePart2() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("patientName", "Ana Souza");
    p.put("recipient", "Smith & Jones LLP");
    p.put("purpose", "Personal injury claim");
    p.put("amountAndKind", "Treatment summary of the 2024 admission");
    p.put("expiration", "End of the litigation");
    p.put("statementRightToRevoke", true);
    p.put("redisclosureNotice", true);
    return p;
  }

  String newRequest(String patientId, String requestType) {
    KnownPatients.known(patientId); // intake checks the id in records-service
    String body =
        """
        {"patientId": "%s",
         "requester": {"type": "ATTORNEY", "name": "Smith & Jones LLP"},
         "requestType": "%s", "receivedOn": "%s", "recordsRequested": "Records of 2024"}
        """
            .formatted(patientId, requestType, TODAY);
    return given()
        .contentType("application/json")
        .body(body)
        .post(ROI)
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** A request stored directly, for roles that may not log one. */
  String insertRequest(String patientId, String requestType) throws Exception {
    String id = UUID.randomUUID().toString();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "insert into roi_request (id, patient_id, requester_type, requester_name,"
                    + " request_type, received_on, records_requested, delivery_format, status,"
                    + " due_on, created_at, created_by) values (cast(? as uuid), ?, 'INDIVIDUAL',"
                    + " 'Ana Souza', ?, current_date, 'All', 'ELECTRONIC', 'RECEIVED',"
                    + " current_date + 30, now(), 'test')")) {
      q.setString(1, id);
      q.setString(2, patientId);
      q.setString(3, requestType);
      q.executeUpdate();
    }
    return id;
  }

  ValidatableResponse putAuthorization(String id, Map<String, Object> body) {
    return given()
        .contentType("application/json")
        .body(body)
        .put(ROI + "/" + id + "/authorization")
        .then();
  }

  ValidatableResponse putScope(String id, Map<String, Object> body) {
    return given().contentType("application/json").body(body).put(ROI + "/" + id + "/scope").then();
  }

  ValidatableResponse putSubpoena(String id, Map<String, Object> body) {
    return given()
        .contentType("application/json")
        .body(body)
        .put(ROI + "/" + id + "/subpoena")
        .then();
  }

  ValidatableResponse check(String id) {
    Response r = given().get(ROI + "/" + id + "/legal-basis/check");
    return r.then().statusCode(200).contentType(containsString("application/json"));
  }

  JsonNode awaitOutboxEvent(String correlationId) throws Exception {
    return JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(correlationId));
  }

  long count(String sql) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(sql);
        ResultSet rs = q.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
