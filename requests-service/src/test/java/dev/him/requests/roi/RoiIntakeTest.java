package dev.him.requests.roi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Intake: requesters of every kind with their details, delivery rules, the new bases, scope. */
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
class RoiIntakeTest {
  static final String ROI = "/api/requests/roi";
  static final LocalDate TODAY = LocalDate.now();

  @Inject AgroalDataSource db;

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void eachKindOfRequesterIsStoredWithItsDetails() throws Exception {
    Map<String, Map<String, Object>> kinds = new LinkedHashMap<>();
    kinds.put("INDIVIDUAL", Map.of("email", "ana@example.org", "phone", "+1 617 555 0100"));
    kinds.put(
        "PERSONAL_REPRESENTATIVE",
        Map.of(
            "relationship", "mother of a minor",
            "authorityDocument", "PARENT_OF_MINOR",
            "phone", "617-555-0101"));
    kinds.put(
        "PROVIDER", Map.of("organization", "Riverside Cardiology", "fax", "+1 (617) 555-0102"));
    kinds.put("INSURER", Map.of("organization", "Blue Harbor Health Plan"));
    kinds.put("ATTORNEY", Map.of("organization", "Smith & Jones LLP", "email", "law@sj.example"));
    kinds.put("COURT", Map.of("organization", "Suffolk Superior Court"));
    kinds.put("LAW_ENFORCEMENT", Map.of("organization", "Boston Police Department"));
    kinds.put("GOVERNMENT_AGENCY", Map.of("organization", "MA Department of Public Health"));
    kinds.put("RESEARCHER", Map.of("organization", "Harbor University IRB 2024-17"));
    for (Map.Entry<String, Map<String, Object>> kind : kinds.entrySet()) {
      Map<String, Object> requester = new LinkedHashMap<>(kind.getValue());
      requester.put("type", kind.getKey());
      requester.put("name", "Requester " + kind.getKey());
      requester.put("address", address("12 Elm St", "Boston", "02118"));
      Map<String, Object> body = body(KnownPatients.known("pat-" + unique()), requester);
      ValidatableResponse created = post(body).statusCode(201);
      created
          .body("requester.type", equalTo(kind.getKey()))
          .body("requester.address.lines[0]", equalTo("12 Elm St"))
          .body("requester.address.postalCode", equalTo("02118"));
      kind.getValue().forEach((field, value) -> created.body("requester." + field, equalTo(value)));
      String id = created.extract().path("id");
      Map<String, String> row =
          row(
              id,
              "requester_type, requester_organization, requester_relationship,"
                  + " requester_authority, requester_address,"
                  + " requester_postal_address->>'postalCode'");
      assertThat(row.get("requester_type")).isEqualTo(kind.getKey());
      assertThat(row.get("requester_organization"))
          .isEqualTo((String) kind.getValue().get("organization"));
      assertThat(row.get("requester_relationship"))
          .isEqualTo((String) kind.getValue().get("relationship"));
      assertThat(row.get("requester_authority"))
          .isEqualTo((String) kind.getValue().get("authorityDocument"));
      assertThat(row.get("requester_address")).isEqualTo("12 Elm St, Boston, MA 02118, US");
      assertThat(row.get("?column?")).isEqualTo("02118");
    }
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void deliveryAndRequesterRulesNameEachWrongField() throws Exception {
    String tag = unique();
    String patientId = KnownPatients.known("pat-" + tag);

    // paper by email, and no email address to send to
    Map<String, Object> b = body(patientId, individual(tag));
    b.put("deliveryFormat", "PAPER");
    b.put("delivery", Map.of("method", "EMAIL"));
    invalid(b).body("invalid-params.name", containsInAnyOrder("delivery.method", "delivery.email"));

    // mail without a city, with a postal code that is not one, and a requester email that is not
    Map<String, Object> mail = new LinkedHashMap<>();
    mail.put("method", "MAIL");
    mail.put("address", Map.of("lines", List.of("1 Main St"), "postalCode", "!!"));
    b = body(patientId, individual(tag));
    b.put("deliveryFormat", "PAPER");
    b.put("delivery", mail);
    ((Map<String, Object>) b.get("requester")).put("email", "not-an-email");
    invalid(b)
        .body(
            "invalid-params.name",
            hasItems("delivery.address.city", "delivery.address.postalCode", "requester.email"));

    // fax without a number; mail without any address
    b = body(patientId, individual(tag));
    b.put("delivery", Map.of("method", "FAX"));
    invalid(b).body("invalid-params.name", equalTo(List.of("delivery.fax")));
    b = body(patientId, individual(tag));
    b.put("deliveryFormat", "PAPER");
    b.put("delivery", Map.of("method", "MAIL"));
    invalid(b).body("invalid-params.name", equalTo(List.of("delivery.address")));

    // unencrypted email: only the individual, and only after accepting the risk
    Map<String, Object> plain = new LinkedHashMap<>();
    plain.put("method", "EMAIL");
    plain.put("email", "ana@example.org");
    plain.put("unencryptedEmail", true);
    b = body(patientId, individual(tag));
    b.put("delivery", plain);
    invalid(b).body("invalid-params.name", equalTo(List.of("delivery.riskAccepted")));
    Map<String, Object> attorney = new LinkedHashMap<>();
    attorney.put("type", "ATTORNEY");
    attorney.put("name", "Counsel " + tag);
    b = body(patientId, attorney);
    b.put("delivery", plain);
    invalid(b).body("invalid-params.name", equalTo(List.of("delivery.unencryptedEmail")));

    // what each kind must give; THIRD_PARTY only on old rows
    Map<String, Object> rep = new LinkedHashMap<>();
    rep.put("type", "PERSONAL_REPRESENTATIVE");
    rep.put("name", "Rep " + tag);
    invalid(body(patientId, rep))
        .body(
            "invalid-params.name",
            containsInAnyOrder("requester.relationship", "requester.authorityDocument"));
    invalid(body(patientId, Map.of("type", "PROVIDER", "name", "Dr " + tag)))
        .body("invalid-params.name", equalTo(List.of("requester.organization")));
    invalid(body(patientId, Map.of("type", "THIRD_PARTY", "name", "Someone " + tag)))
        .body("invalid-params.name", equalTo(List.of("requester.type")));

    // nothing of the above was stored
    assertThat(count("select count(*) from roi_request where patient_id = '" + patientId + "'"))
        .isZero();

    // the individual who accepted the risk gets plain email, and the flags are kept
    plain.put("riskAccepted", true);
    b = body(patientId, individual(tag));
    b.put("delivery", plain);
    String id =
        post(b)
            .statusCode(201)
            .body("delivery.method", equalTo("EMAIL"))
            .body("delivery.unencryptedEmail", equalTo(true))
            .body("delivery.riskAccepted", equalTo(true))
            .extract()
            .path("id");
    Map<String, String> row =
        row(
            id,
            "delivery_method, delivery_email, delivery_unencrypted_email, delivery_risk_accepted");
    assertThat(row.get("delivery_method")).isEqualTo("EMAIL");
    assertThat(row.get("delivery_email")).isEqualTo("ana@example.org");
    assertThat(row.get("delivery_unencrypted_email")).isEqualTo("t");
    assertThat(row.get("delivery_risk_accepted")).isEqualTo("t");

    // paper by mail with a full address
    b = body(patientId, individual(tag));
    b.put("deliveryFormat", "PAPER");
    b.put("delivery", Map.of("method", "MAIL", "address", address("9 Oak Rd", "Salem", "01970")));
    post(b)
        .statusCode(201)
        .body("delivery.method", equalTo("MAIL"))
        .body("delivery.address.city", equalTo("Salem"));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void treatmentAndRequiredByLawHaveTheirOwnChecksAndDeadlines() {
    String patientId = KnownPatients.known("pat-" + unique());
    Map<String, Object> provider =
        Map.of("type", "PROVIDER", "name", "Dr Lee", "organization", "Riverside Cardiology");
    Map<String, Object> b = body(patientId, provider);
    b.put("requestType", "TREATMENT");
    b.put("purpose", "Continuity of care after discharge");
    String treatment =
        post(b)
            .statusCode(201)
            .body("dueOn", equalTo(TODAY.plusDays(14).toString())) // %test due-days.treatment
            .extract()
            .path("id");
    check(treatment).body("valid", equalTo(true)).body("defects", equalTo(List.of()));

    b = body(patientId, Map.of("type", "INSURER", "name", "Claims", "organization", "Blue Plan"));
    b.put("requestType", "TREATMENT");
    String notProvider = post(b).statusCode(201).extract().path("id");
    check(notProvider)
        .body("valid", equalTo(false))
        .body("defects.code", equalTo(List.of("TREATMENT_REQUESTER_NOT_PROVIDER")))
        .body("defects[0].field", equalTo("requester.type"));

    Map<String, Object> agency =
        Map.of("type", "GOVERNMENT_AGENCY", "name", "Registrar", "organization", "MA DPH");
    b = body(patientId, agency);
    b.put("requestType", "REQUIRED_BY_LAW");
    String uncited = post(b).statusCode(201).extract().path("id");
    check(uncited)
        .body("valid", equalTo(false))
        .body("defects.code", equalTo(List.of("LEGAL_AUTHORITY_MISSING")))
        .body("defects[0].field", equalTo("legalAuthorityCited"));

    b = body(patientId, agency);
    b.put("requestType", "REQUIRED_BY_LAW");
    b.put("legalAuthorityCited", "M.G.L. c. 111, s. 6 (communicable disease reporting)");
    String cited =
        post(b)
            .statusCode(201)
            .body(
                "legalAuthorityCited",
                equalTo("M.G.L. c. 111, s. 6 (communicable disease reporting)"))
            .body("dueOn", equalTo(TODAY.plusDays(30).toString()))
            .extract()
            .path("id");
    check(cited).body("valid", equalTo(true));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void whatIsAskedForIsStoredWithTheScopeColumns() throws Exception {
    String patientId = KnownPatients.known("pat-" + unique());
    Map<String, Object> b = body(patientId, individual("scope"));
    b.put(
        "scope",
        Map.of(
            "recordTypes",
            List.of("DISCHARGE_SUMMARY", "LAB_RESULTS"),
            "sensitiveCategories",
            List.of("HIV"),
            "from",
            "2024-01-01",
            "to",
            "2024-06-30"));
    String id =
        post(b)
            .statusCode(201)
            .body("scope.recordTypes", equalTo(List.of("DISCHARGE_SUMMARY", "LAB_RESULTS")))
            .body("scope.sensitiveCategories", equalTo(List.of("HIV")))
            .body("scope.from", equalTo("2024-01-01"))
            .extract()
            .path("id");
    Map<String, String> row =
        row(id, "requested_record_types, requested_categories, requested_from, requested_to");
    assertThat(row.get("requested_record_types")).contains("DISCHARGE_SUMMARY", "LAB_RESULTS");
    assertThat(row.get("requested_categories")).contains("HIV");
    assertThat(row.get("requested_from")).isEqualTo("2024-01-01");
    assertThat(row.get("requested_to")).isEqualTo("2024-06-30");
    // the legal-basis view reads the same columns
    given()
        .get(ROI + "/" + id + "/legal-basis")
        .then()
        .statusCode(200)
        .body("scope.sensitiveCategories", hasItem("HIV"));

    b.put("scope", Map.of("from", "2024-06-30", "to", "2024-01-01"));
    invalid(b).body("invalid-params.name", equalTo(List.of("scope.to")));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aClerkMayNotLogARequest() {
    post(body(KnownPatients.known("pat-" + unique()), individual("clerk")))
        .statusCode(403)
        .body("title", equalTo("Forbidden"))
        .body("id", nullValue())
        .body(not(equalTo("")));
  }

  // --- helpers ---

  static Map<String, Object> address(String line, String city, String postalCode) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("lines", List.of(line));
    a.put("city", city);
    a.put("state", "MA");
    a.put("postalCode", postalCode);
    a.put("country", "US");
    return a;
  }

  static Map<String, Object> individual(String tag) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("type", "INDIVIDUAL");
    r.put("name", "Ana " + tag);
    return r;
  }

  static Map<String, Object> body(String patientId, Map<String, Object> requester) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("patientId", patientId);
    b.put("requester", new LinkedHashMap<>(requester));
    b.put("requestType", "RIGHT_OF_ACCESS");
    b.put("receivedOn", TODAY.toString());
    b.put("recordsRequested", "Records of 2024");
    return b;
  }

  static ValidatableResponse post(Map<String, Object> body) {
    return given().contentType("application/json").body(body).post(ROI).then();
  }

  static ValidatableResponse invalid(Map<String, Object> body) {
    return post(body)
        .statusCode(400)
        .contentType("application/problem+json")
        .body("title", equalTo("Invalid request"));
  }

  static ValidatableResponse check(String id) {
    return given().get(ROI + "/" + id + "/legal-basis/check").then().statusCode(200);
  }

  Map<String, String> row(String id, String columns) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select " + columns + " from roi_request where id = cast(? as uuid)")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
      }
      return row;
    }
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
