package dev.him.requests.disclosure;

import static dev.him.requests.disclosure.Releases.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.him.infra.testing.KafkaResource;
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
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Accounting requests: 60 + 30 days, the free first one in 12 months, fulfilment and report. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "requests"))
@QuarkusTestResource(KafkaResource.class)
class AccountingRequestTest {
  static final String REQUESTS = "/api/requests/disclosures/accounting-requests";
  static final String PROBLEM = "application/problem+json";
  static final LocalDate TODAY = LocalDate.now();

  @Inject AgroalDataSource db;

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void dueIn60DaysAndTheFirstIn12MonthsIsFree() throws Exception {
    String patientId = "pat-" + unique();
    LocalDate first = TODAY.minusDays(400);
    String a =
        log(patientId, first)
            .statusCode(201)
            .header("Location", containsString("/api/requests/disclosures/accounting-requests/"))
            .extract()
            .path("id");
    read(a)
        .body("dueOn", equalTo(first.plusDays(60).toString()))
        .body("originalDueOn", equalTo(first.plusDays(60).toString()))
        .body("free", equalTo(true))
        .body("fee", equalTo(0.0f))
        .body("status", equalTo("OPEN"))
        .body("extension", nullValue())
        .body("createdBy", equalTo("rita"));
    // more than 12 months later: free again
    String b = log(patientId, TODAY.minusDays(30)).statusCode(201).extract().path("id");
    read(b).body("free", equalTo(true)).body("fee", equalTo(0.0f));
    // within 12 months of the last: the configured cost-based fee, stored
    String c =
        log(patientId, TODAY)
            .statusCode(201)
            .body("free", equalTo(false))
            .body("fee", equalTo(25.0f))
            .extract()
            .path("id");
    try (Connection conn = db.getConnection();
        PreparedStatement q =
            conn.prepareStatement(
                "select cast(fee as text), free from roi_accounting_request where id = cast(? as uuid)")) {
      q.setString(1, c);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("25.00");
      assertThat(rs.getBoolean(2)).isFalse();
    }
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aNoticeSentOnDay60ExtendsOnceBy30DaysAtMost() {
    LocalDate received = TODAY.minusDays(60);
    LocalDate original = received.plusDays(60); // today: day 60 itself
    String id = log("pat-" + unique(), received).statusCode(201).extract().path("id");

    extend(id, "Records in off-site storage", original, original.plusDays(31))
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("newDueOn"))
        .body("invalid-params[0].reason", containsString(original.plusDays(30).toString()));
    extend(id, "Records in off-site storage", original, original)
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("newDueOn"));
    extend(id, " ", original, original.plusDays(10))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("reason"));
    extend(id, "Later", received.minusDays(1), original.plusDays(10))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("noticeSentOn"));

    extend(id, "Records in off-site storage", original, original.plusDays(30))
        .statusCode(200)
        .body("dueOn", equalTo(original.plusDays(30).toString()))
        .body("originalDueOn", equalTo(original.toString()))
        .body("extension.reason", equalTo("Records in off-site storage"))
        .body("extension.noticeSentOn", equalTo(original.toString()))
        .body("extension.recordedBy", equalTo("rita"));
    // only one
    extend(id, "Still in storage", original, original.plusDays(5))
        .statusCode(409)
        .body("invalid-params[0].name", equalTo("extension"));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aNoticeSentAfterDay60IsRefused() {
    LocalDate received = TODAY.minusDays(61);
    LocalDate original = received.plusDays(60); // yesterday
    String id = log("pat-" + unique(), received).statusCode(201).extract().path("id");
    extend(id, "Backlog", TODAY, original.plusDays(30))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("noticeSentOn"))
        .body("invalid-params[0].reason", containsString(original.toString()));
    read(id).body("dueOn", equalTo(original.toString())).body("extension", nullValue());
    // the notice sent on day 60 (yesterday), recorded today, is good
    extend(id, "Backlog", original, original.plusDays(30)).statusCode(200);
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void fulfilmentProducesTheReportForSixYearsBeforeReceiptAndKeepsIt() throws Exception {
    String patientId = "pat-" + unique();
    LocalDate received = TODAY.minusDays(10);
    AccountingTest.manual(
            patientId, received.minusYears(6), "Edge Agency", "HEALTH_OVERSIGHT", "Audit")
        .statusCode(201);
    AccountingTest.manual(
            patientId,
            received.minusYears(6).minusDays(1),
            "Too Old Agency",
            "HEALTH_OVERSIGHT",
            "Audit")
        .statusCode(201);
    Map<String, Object> excluded =
        AccountingTest.disclosure(
            patientId, received.minusDays(5), "Dr Treating", "TREATMENT", "Care");
    excluded.put("exclusion", "TREATMENT_PAYMENT_OPERATIONS");
    AccountingTest.post(excluded).statusCode(201);
    // made after the request was received: not part of this accounting
    AccountingTest.manual(patientId, TODAY, "After Agency", "PUBLIC_HEALTH", "Report")
        .statusCode(201);

    String id = log(patientId, received).statusCode(201).extract().path("id");
    given()
        .get(REQUESTS + "/" + id + "/report")
        .then()
        .statusCode(409)
        .body("invalid-params[0].name", equalTo("status"));
    given()
        .post(REQUESTS + "/" + id + "/fulfilment")
        .then()
        .statusCode(200)
        .body("accountingRequestId", equalTo(id))
        .body("patientId", equalTo(patientId))
        .body("periodFrom", equalTo(received.minusYears(6).toString()))
        .body("periodTo", equalTo(received.toString()))
        .body("entries.recipientName", equalTo(List.of("Edge Agency")))
        .body("generatedBy", equalTo("admin"));
    read(id)
        .body("status", equalTo("FULFILLED"))
        .body("fulfilledBy", equalTo("admin"))
        .body("periodFrom", equalTo(received.minusYears(6).toString()));

    // the stored report is what is downloaded later, as JSON and as PDF
    given()
        .accept("application/json")
        .get(REQUESTS + "/" + id + "/report")
        .then()
        .statusCode(200)
        .body("entries.recipientName", equalTo(List.of("Edge Agency")));
    byte[] pdf =
        given()
            .accept("application/pdf")
            .get(REQUESTS + "/" + id + "/report")
            .then()
            .statusCode(200)
            .contentType("application/pdf")
            .extract()
            .asByteArray();
    assertThat(AccountingTest.text(pdf))
        .contains("Patient: " + patientId)
        .contains(received.minusYears(6) + " - Edge Agency")
        .doesNotContain("Too Old Agency")
        .doesNotContain("Dr Treating")
        .doesNotContain("After Agency");

    given()
        .post(REQUESTS + "/" + id + "/fulfilment")
        .then()
        .statusCode(409)
        .body("invalid-params[0].name", equalTo("status"));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aFeeMustBeToldInAdvanceBeforeFulfilment() {
    String patientId = "pat-" + unique();
    String free = log(patientId, TODAY.minusDays(20)).statusCode(201).extract().path("id");
    given()
        .contentType("application/json")
        .body(Map.of("sentOn", TODAY.toString()))
        .post(REQUESTS + "/" + free + "/fee-notice")
        .then()
        .statusCode(409)
        .body("invalid-params[0].name", equalTo("fee"));
    String paid = log(patientId, TODAY).statusCode(201).extract().path("id");
    given()
        .post(REQUESTS + "/" + paid + "/fulfilment")
        .then()
        .statusCode(409)
        .body("invalid-params[0].name", equalTo("feeNoticeSentOn"))
        .body("invalid-params[0].reason", containsString("25.00"));
    given()
        .contentType("application/json")
        .body(Map.of("sentOn", TODAY.plusDays(1).toString()))
        .post(REQUESTS + "/" + paid + "/fee-notice")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("sentOn"));
    given()
        .contentType("application/json")
        .body(Map.of("sentOn", TODAY.toString()))
        .post(REQUESTS + "/" + paid + "/fee-notice")
        .then()
        .statusCode(200)
        .body("feeNoticeSentOn", equalTo(TODAY.toString()));
    given().post(REQUESTS + "/" + paid + "/fulfilment").then().statusCode(200);
  }

  @Test
  @TestSecurity(user = "pia", roles = "privacy-officer")
  void aPrivacyOfficerMayReadButNotLogOrFulfil() throws Exception {
    log("pat-" + unique(), TODAY).statusCode(403).contentType(PROBLEM);
    String id = java.util.UUID.randomUUID().toString();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "insert into roi_accounting_request (id, patient_id, requester_name, received_on,"
                    + " due_on, original_due_on, fee, free, status, created_at, created_by)"
                    + " values (cast(? as uuid), 'pat-seed', 'Ana Souza', current_date,"
                    + " current_date + 60, current_date + 60, 0, true, 'OPEN', now(), 'seed')")) {
      q.setString(1, id);
      q.executeUpdate();
    }
    read(id).body("requesterName", equalTo("Ana Souza"));
    given().post(REQUESTS + "/" + id + "/fulfilment").then().statusCode(403);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void badInputIs400NamingTheFieldsAndAnUnknownRequest404() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("patientId", "");
    body.put("receivedOn", TODAY.plusDays(1).toString());
    given()
        .contentType("application/json")
        .body(body)
        .post(REQUESTS)
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params.name", equalTo(List.of("patientId", "receivedOn", "requesterName")));
    given().get(REQUESTS + "/" + java.util.UUID.randomUUID()).then().statusCode(404);
    given().get(REQUESTS + "/not-an-id").then().statusCode(404);
  }

  // --- helpers ---

  static ValidatableResponse log(String patientId, LocalDate receivedOn) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("patientId", patientId);
    m.put("requesterName", "Ana Souza");
    m.put("requesterAddress", "1 Main St, Boston, MA");
    m.put("receivedOn", receivedOn.toString());
    return given().contentType("application/json").body(m).post(REQUESTS).then();
  }

  static ValidatableResponse read(String id) {
    return given().get(REQUESTS + "/" + id).then().statusCode(200);
  }

  static ValidatableResponse extend(
      String id, String reason, LocalDate noticeSentOn, LocalDate newDueOn) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reason", reason);
    m.put("noticeSentOn", noticeSentOn.toString());
    m.put("newDueOn", newDueOn.toString());
    return given()
        .contentType("application/json")
        .body(m)
        .post(REQUESTS + "/" + id + "/extension")
        .then();
  }
}
