package dev.him.requests.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import dev.him.requests.testing.KnownPatients;
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
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The requester's identity verified as a step of its own, with a representative's authority. */
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
class IdentityVerificationTest {
  static final String ROI = "/api/requests/roi";

  @Inject AgroalDataSource db;

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aRepresentativeIsVerifiedWithTheirAuthority() throws Exception {
    String id = newRequest(representative());

    // a representative's authority is part of the step; a full ID number is never kept
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("method", "PHOTO_ID");
    evidence.put("evidenceNote", "MA licence S12345678, photo matches");
    verify(id, 0, evidence)
        .statusCode(400)
        .body(
            "invalid-params.name",
            containsInAnyOrder("evidenceNote", "authorityDocument", "authorityVerified"));
    assertThat(count(id)).isZero();

    evidence.put("evidenceNote", "MA licence ending 5678, photo matches; expires 2029-01-31");
    evidence.put("authorityDocument", "GUARDIANSHIP_ORDER");
    evidence.put("authorityVerified", true);
    evidence.put("note", "seen at the front desk");
    verify(id, 0, evidence)
        .statusCode(200)
        .header("ETag", "\"1\"")
        .body("status", equalTo("IDENTITY_VERIFIED"))
        .body("history[1].identityMethod", equalTo("PHOTO_ID"))
        .body("history[1].note", equalTo("seen at the front desk"))
        .body("history[1].by", equalTo("rita"));

    given()
        .get(ROI + "/" + id + "/identity-verification")
        .then()
        .statusCode(200)
        .body("method", equalTo("PHOTO_ID"))
        .body("evidenceNote", equalTo("MA licence ending 5678, photo matches; expires 2029-01-31"))
        .body("authorityDocument", equalTo("GUARDIANSHIP_ORDER"))
        .body("authorityVerified", equalTo(true))
        .body("verifiedBy", equalTo("rita"))
        .body("verifiedAt", notNullValue());
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select method, authority_document, authority_verified, verified_by from"
                    + " roi_identity_verification where request_id = cast(? as uuid)")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("PHOTO_ID");
      assertThat(rs.getString(2)).isEqualTo("GUARDIANSHIP_ORDER");
      assertThat(rs.getBoolean(3)).isTrue();
      assertThat(rs.getString(4)).isEqualTo("rita");
    }

    // once only
    verify(id, 1, evidence).statusCode(409);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void otherRequestersNeedNoAuthorityAndAWrongStepLeavesNoRecord() throws Exception {
    String id = newRequest(Map.of("type", "INDIVIDUAL", "name", "Ana Souza"));
    verify(id, 0, Map.of("method", "PORTAL_ACCOUNT", "authorityDocument", "POWER_OF_ATTORNEY"))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("authorityDocument"));
    verify(id, 0, Map.of("method", "OTHER"))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("evidenceNote"));
    // a stale version: the move is refused and the record rolled back with it
    verify(id, 5, Map.of("method", "PORTAL_ACCOUNT")).statusCode(412);
    assertThat(count(id)).isZero();
    given().get(ROI + "/" + id + "/identity-verification").then().statusCode(404);

    verify(id, 0, Map.of("method", "PORTAL_ACCOUNT"))
        .statusCode(200)
        .body("status", equalTo("IDENTITY_VERIFIED"));
    given()
        .get(ROI + "/" + id + "/identity-verification")
        .then()
        .body("method", equalTo("PORTAL_ACCOUNT"))
        .body("authorityDocument", nullValue())
        .body("authorityVerified", equalTo(false));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void thePlainTransitionStillWorksAndLeavesARecord() throws Exception {
    String id = newRequest(Map.of("type", "INDIVIDUAL", "name", "Ana Souza"));
    given()
        .contentType("application/json")
        .header("If-Match", "\"0\"")
        .body(Map.of("to", "IDENTITY_VERIFIED"))
        .post(ROI + "/" + id + "/transitions")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("identityMethod"));
    given()
        .contentType("application/json")
        .header("If-Match", "\"0\"")
        .body(Map.of("to", "IDENTITY_VERIFIED", "identityMethod", "CALLBACK_TO_PHONE_ON_FILE"))
        .post(ROI + "/" + id + "/transitions")
        .then()
        .statusCode(200);
    given()
        .get(ROI + "/" + id + "/identity-verification")
        .then()
        .statusCode(200)
        .body("method", equalTo("CALLBACK_TO_PHONE_ON_FILE"))
        .body("evidenceNote", nullValue())
        .body("verifiedBy", equalTo("rita"));
    assertThat(count(id)).isEqualTo(1);
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void onlyASpecialistVerifies() throws Exception {
    String id = insertRequest();
    verify(id, 0, Map.of("method", "PHOTO_ID")).statusCode(403);
    assertThat(count(id)).isZero();
  }

  // --- helpers ---

  static Map<String, Object> representative() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("type", "PERSONAL_REPRESENTATIVE");
    r.put("name", "Maria Souza");
    r.put("relationship", "legal guardian");
    r.put("authorityDocument", "GUARDIANSHIP_ORDER");
    return r;
  }

  static String newRequest(Map<String, Object> requester) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("patientId", KnownPatients.known("pat-" + UUID.randomUUID().toString().substring(0, 8)));
    b.put("requester", requester);
    b.put("requestType", "RIGHT_OF_ACCESS");
    b.put("receivedOn", LocalDate.now().toString());
    b.put("recordsRequested", "All records");
    return given()
        .contentType("application/json")
        .body(b)
        .post(ROI)
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  static ValidatableResponse verify(String id, long version, Map<String, Object> body) {
    return given()
        .contentType("application/json")
        .header("If-Match", "\"" + version + "\"")
        .body(body)
        .post(ROI + "/" + id + "/identity-verification")
        .then();
  }

  /** A request stored directly, for a role that may not log one. */
  String insertRequest() throws Exception {
    String id = UUID.randomUUID().toString();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "insert into roi_request (id, patient_id, requester_type, requester_name,"
                    + " request_type, received_on, records_requested, delivery_format, status,"
                    + " due_on, created_at, created_by) values (cast(? as uuid), 'pat-x',"
                    + " 'INDIVIDUAL', 'Ana Souza', 'RIGHT_OF_ACCESS', current_date, 'All',"
                    + " 'ELECTRONIC', 'RECEIVED', current_date + 30, now(), 'test')")) {
      q.setString(1, id);
      q.executeUpdate();
    }
    return id;
  }

  long count(String id) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select count(*) from roi_identity_verification where request_id = cast(? as"
                    + " uuid)")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      rs.next();
      return rs.getLong(1);
    }
  }
}
