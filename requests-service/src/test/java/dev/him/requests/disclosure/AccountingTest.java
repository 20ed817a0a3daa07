package dev.him.requests.disclosure;

import static dev.him.requests.disclosure.Releases.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

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
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The accounting of a patient (164.528): what it leaves out, its six-year window, suspensions, the
 * PDF, roles and bad input. Entries are made with the manual endpoint so their dates can be in the
 * past; releases are covered in DisclosureLedgerTest.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "requests"))
@QuarkusTestResource(KafkaResource.class)
class AccountingTest {
  static final String DISCLOSURES = "/api/requests/disclosures";
  static final String PROBLEM = "application/problem+json";
  static final ObjectMapper JSON = new ObjectMapper();
  static final LocalDate TODAY = LocalDate.now();

  @Inject AgroalDataSource db;

  // --- what is left out ---

  @ParameterizedTest
  @EnumSource(ExclusionCategory.class)
  @TestSecurity(user = "admin", roles = "him-admin")
  void eachExcludedCategoryIsKeptInTheLedgerButLeftOutOfTheAccounting(ExclusionCategory category)
      throws Exception {
    String patientId = "pat-" + unique();
    LocalDate when = TODAY.minusDays(10);
    manual(patientId, when, "County Health Department", "PUBLIC_HEALTH", "Reportable disease")
        .statusCode(201)
        .body("accountable", equalTo(true))
        .body("source", equalTo("MANUAL"))
        .body("createdBy", equalTo("admin"));
    Map<String, Object> excluded =
        disclosure(patientId, when, "Excluded Recipient " + category, category.name(), "x");
    excluded.put("exclusion", category.name());
    post(excluded)
        .statusCode(201)
        .body("accountable", equalTo(false))
        .body("exclusion", equalTo(category.name()))
        .body("exclusionReason", equalTo(category.reason()));

    accounting(patientId, null)
        .body("entries.size()", equalTo(1))
        .body("entries[0].recipientName", equalTo("County Health Department"));
    given()
        .queryParam("patient", patientId)
        .get(DISCLOSURES)
        .then()
        .statusCode(200)
        .body("size()", equalTo(2))
        .body(
            "recipientName",
            hasItems("County Health Department", "Excluded Recipient " + category));
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aDisclosureBeforeTheComplianceDateIsExcludedWithoutBeingTold() {
    String patientId = "pat-" + unique();
    manual(patientId, LocalDate.of(2003, 4, 13), "Old Insurer", "OTHER", "Claim")
        .statusCode(201)
        .body("accountable", equalTo(false))
        .body("exclusion", equalTo("BEFORE_COMPLIANCE_DATE"));
    manual(patientId, LocalDate.of(2003, 4, 14), "Old Insurer", "OTHER", "Claim")
        .statusCode(201)
        .body("accountable", equalTo(true));
  }

  // --- the six-year window ---

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void theAccountingCoversExactlySixYearsBeforeTheRequestDate() {
    String patientId = "pat-" + unique();
    LocalDate asOf = TODAY.minusDays(20);
    LocalDate edge = asOf.minusYears(6);
    manual(patientId, edge.minusDays(1), "Too Old Agency", "HEALTH_OVERSIGHT", "Audit")
        .statusCode(201);
    manual(patientId, edge, "Edge Agency", "HEALTH_OVERSIGHT", "Audit").statusCode(201);
    manual(patientId, asOf, "Same Day Agency", "HEALTH_OVERSIGHT", "Audit").statusCode(201);
    manual(patientId, asOf.plusDays(1), "Later Agency", "HEALTH_OVERSIGHT", "Audit")
        .statusCode(201);

    accounting(patientId, asOf)
        .body("periodFrom", equalTo(edge.toString()))
        .body("periodTo", equalTo(asOf.toString()))
        .body("entries.recipientName", equalTo(List.of("Edge Agency", "Same Day Agency")))
        .body("entries[0].disclosedOn", equalTo(edge.toString()));
    // as of today the window moved on: the edge entry (6 years + 20 days ago) is out
    accounting(patientId, null)
        .body("entries.recipientName", equalTo(List.of("Same Day Agency", "Later Agency")));
  }

  // --- suspensions ---

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aSuspensionHidesDisclosuresToItsAgencyWhileInForceOnly() {
    String patientId = "pat-" + unique();
    manual(
            patientId,
            TODAY.minusDays(60),
            "State Medical Board",
            "HEALTH_OVERSIGHT",
            "Investigation")
        .statusCode(201);
    manual(patientId, TODAY.minusDays(50), "County Health Department", "PUBLIC_HEALTH", "Report")
        .statusCode(201);
    suspend(patientId, " state medical  board", "WRITTEN", TODAY.minusDays(5), TODAY.plusDays(90))
        .statusCode(201)
        .body("active", equalTo(true))
        .body("statementKind", equalTo("WRITTEN"));

    // in force: the board's entry is hidden, and the report says nothing of it
    String body =
        accounting(patientId, null)
            .body("entries.recipientName", equalTo(List.of("County Health Department")))
            .extract()
            .asString();
    assertThat(body.toLowerCase()).doesNotContain("suspen").doesNotContain("board");
    // before it started, the entry shows
    accounting(patientId, TODAY.minusDays(6))
        .body(
            "entries.recipientName",
            equalTo(List.of("State Medical Board", "County Health Department")));

    // an oral suspension that ended yesterday hides nothing any more
    String other = "pat-" + unique();
    manual(other, TODAY.minusDays(40), "Police Department", "LAW_ENFORCEMENT", "Warrant")
        .statusCode(201);
    suspend(other, "Police Department", "ORAL", TODAY.minusDays(31), TODAY.minusDays(1))
        .statusCode(201)
        .body("active", equalTo(false));
    accounting(other, TODAY.minusDays(2)).body("entries.size()", equalTo(0));
    accounting(other, null).body("entries.recipientName", equalTo(List.of("Police Department")));

    given()
        .queryParam("patient", patientId)
        .get(DISCLOSURES + "/suspensions")
        .then()
        .statusCode(200)
        .body("size()", equalTo(1))
        .body("[0].agency", equalTo("state medical  board"))
        .body("[0].endsOn", equalTo(TODAY.plusDays(90).toString()));
  }

  @Test
  @TestSecurity(user = "pia", roles = "privacy-officer")
  void anOralSuspensionLastsAtMost30Days() {
    String patientId = "pat-" + unique();
    LocalDate said = TODAY.minusDays(2);
    suspend(patientId, "Police Department", "ORAL", said, said.plusDays(31))
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("endsOn"))
        .body("invalid-params[0].reason", containsString(said.plusDays(30).toString()))
        .body("invalid-params[0].reason", containsString("written statement"));
    suspend(patientId, "Police Department", "ORAL", said, said.plusDays(30))
        .statusCode(201)
        .body("createdBy", equalTo("pia"));
    // a written statement may run longer
    suspend(patientId, "Police Department", "WRITTEN", said, said.plusDays(180)).statusCode(201);
    suspend(patientId, "Police Department", "WRITTEN", said, said.minusDays(1))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("endsOn"));
  }

  // --- the report as PDF, and the access event ---

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void thePdfListsTheAccountableEntriesOnlyAndEveryReadIsRecorded() throws Exception {
    String patientId = "pat-" + unique();
    Map<String, Object> accountable =
        disclosure(
            patientId,
            TODAY.minusDays(30),
            "County Health Department",
            "PUBLIC_HEALTH",
            "Tuberculosis report");
    accountable.put("recipientAddress", "12 Civic Plaza");
    post(accountable).statusCode(201);
    Map<String, Object> excluded =
        disclosure(patientId, TODAY.minusDays(20), "Dr Hidden Treating", "TREATMENT", "Referral");
    excluded.put("exclusion", "TREATMENT_PAYMENT_OPERATIONS");
    post(excluded).statusCode(201);
    manual(patientId, TODAY.minusDays(10), "State Medical Board", "HEALTH_OVERSIGHT", "Audit")
        .statusCode(201);
    suspend(patientId, "State Medical Board", "WRITTEN", TODAY.minusDays(1), TODAY.plusDays(10))
        .statusCode(201);

    String readId = "acct-pdf-" + unique();
    byte[] pdf =
        given()
            .accept("application/pdf")
            .header("X-Request-Id", readId)
            .queryParam("patient", patientId)
            .get(DISCLOSURES + "/accounting")
            .then()
            .statusCode(200)
            .contentType("application/pdf")
            .extract()
            .asByteArray();
    String text = text(pdf);
    assertThat(text)
        .contains("Accounting of disclosures")
        .contains("Patient: " + patientId)
        .contains("Period: " + TODAY.minusYears(6) + " to " + TODAY)
        .contains(TODAY.minusDays(30) + " - County Health Department")
        .contains("Address: 12 Civic Plaza")
        .contains("Purpose: Tuberculosis report")
        .contains("Basis: PUBLIC_HEALTH")
        .contains("by admin")
        .doesNotContain("Dr Hidden Treating")
        .doesNotContain("State Medical Board");
    assertThat(text.toLowerCase()).doesNotContain("suspen");

    JsonNode event = JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(readId));
    assertThat(event.path("action").asText()).isEqualTo("READ");
    assertThat(event.path("resourceType").asText()).isEqualTo("DisclosureAccounting");
    assertThat(event.path("patientIds").toString()).contains(patientId);
    assertThat(event.path("actor").path("username").asText()).isEqualTo("admin");
  }

  // --- roles ---

  @Test
  @TestSecurity(user = "pia", roles = "privacy-officer")
  void aPrivacyOfficerReadsTheAccountingButDoesNotRecordDisclosures() throws Exception {
    String patientId = "pat-" + unique();
    sql(
        "insert into roi_disclosure (id, patient_id, disclosed_on, recipient_name, description,"
            + " purpose, basis, accountable, source, created_at, created_by) values"
            + " (gen_random_uuid(), '"
            + patientId
            + "', current_date - 3, 'County Health Department', 'Lab results', 'Report',"
            + " 'PUBLIC_HEALTH', true, 'MANUAL', now(), 'seed')");
    accounting(patientId, null)
        .body("entries.recipientName", equalTo(List.of("County Health Department")));
    given()
        .queryParam("patient", patientId)
        .get(DISCLOSURES + "/suspensions")
        .then()
        .statusCode(200);
    manual(patientId, TODAY, "Anyone", "OTHER", "x").statusCode(403).contentType(PROBLEM);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aSpecialistMayNotEnterOrSeeSuspensions() {
    suspend("pat-" + unique(), "Police Department", "WRITTEN", TODAY, TODAY.plusDays(10))
        .statusCode(403)
        .contentType(PROBLEM);
    given().queryParam("patient", "pat-1").get(DISCLOSURES + "/suspensions").then().statusCode(403);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aClerkMayNotReadAnAccountingAndTheRefusalIsRecorded() throws Exception {
    String readId = "acct-403-" + unique();
    given()
        .header("X-Request-Id", readId)
        .queryParam("patient", "pat-1")
        .get(DISCLOSURES + "/accounting")
        .then()
        .statusCode(403)
        .contentType(PROBLEM);
    JsonNode event = JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(readId));
    assertThat(event.path("outcome").asText()).isEqualTo("FORBIDDEN");
    assertThat(event.path("resourceType").asText()).isEqualTo("DisclosureAccounting");
  }

  @Test
  void withoutATokenIs401() {
    given().queryParam("patient", "pat-1").get(DISCLOSURES + "/accounting").then().statusCode(401);
  }

  // --- bad input ---

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void badInputIs400NamingTheFields() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("patientId", "pat 1");
    body.put("disclosedOn", TODAY.plusDays(1).toString());
    body.put("recipientName", " ");
    body.put("purpose", "x");
    body.put("basis", "public health");
    post(body)
        .statusCode(400)
        .contentType(PROBLEM)
        .body(
            "invalid-params.name",
            equalTo(List.of("basis", "description", "disclosedOn", "patientId", "recipientName")));
    Map<String, Object> wrongExclusion =
        disclosure("pat-" + unique(), TODAY, "Someone", "OTHER", "x");
    wrongExclusion.put("exclusion", "BECAUSE");
    post(wrongExclusion).statusCode(400).body("invalid-params[0].name", equalTo("exclusion"));

    given()
        .get(DISCLOSURES + "/accounting")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("patient"));
    given()
        .queryParam("patient", "pat-1")
        .queryParam("asOf", "yesterday")
        .get(DISCLOSURES + "/accounting")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("asOf"));
    given()
        .queryParam("patient", "pat-1")
        .queryParam("asOf", TODAY.plusDays(1).toString())
        .get(DISCLOSURES + "/accounting")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("asOf"));
    Map<String, Object> suspension = new LinkedHashMap<>();
    suspension.put("patientId", "pat-1");
    suspension.put("statementKind", "SHOUTED");
    given()
        .contentType("application/json")
        .body(suspension)
        .post(DISCLOSURES + "/suspensions")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("statementKind"));
    suspension.put("statementKind", "ORAL");
    given()
        .contentType("application/json")
        .body(suspension)
        .post(DISCLOSURES + "/suspensions")
        .then()
        .statusCode(400)
        .body("invalid-params.name", equalTo(List.of("agency", "endsOn", "startsOn", "statement")));
  }

  // --- helpers ---

  static Map<String, Object> disclosure(
      String patientId, LocalDate on, String recipient, String basis, String purpose) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("patientId", patientId);
    m.put("disclosedOn", on.toString());
    m.put("recipientName", recipient);
    m.put("description", "Laboratory results of " + on.getYear());
    m.put("purpose", purpose);
    m.put("basis", basis);
    return m;
  }

  static ValidatableResponse post(Map<String, Object> body) {
    return given().contentType("application/json").body(body).post(DISCLOSURES).then();
  }

  static ValidatableResponse manual(
      String patientId, LocalDate on, String recipient, String basis, String purpose) {
    return post(disclosure(patientId, on, recipient, basis, purpose));
  }

  static ValidatableResponse suspend(
      String patientId, String agency, String kind, LocalDate from, LocalDate to) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("patientId", patientId);
    m.put("agency", agency);
    m.put("official", "Det. Lee");
    m.put("statement", "An accounting would impede our investigation");
    m.put("statementKind", kind);
    m.put("startsOn", from.toString());
    m.put("endsOn", to.toString());
    return given()
        .contentType("application/json")
        .body(m)
        .post(DISCLOSURES + "/suspensions")
        .then();
  }

  static ValidatableResponse accounting(String patientId, LocalDate asOf) {
    var spec = given().accept("application/json").queryParam("patient", patientId);
    if (asOf != null) {
      spec = spec.queryParam("asOf", asOf.toString());
    }
    return spec.get(DISCLOSURES + "/accounting").then().statusCode(200);
  }

  static String text(byte[] pdf) throws Exception {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(doc);
    }
  }

  void sql(String statement) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(statement)) {
      q.executeUpdate();
    }
  }
}
