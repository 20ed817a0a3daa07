package dev.him.records.retention;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The retention report: which records are past retention (adult and minor rules) and not held; the
 * activity it is computed from; and its cost over 100,000 patients.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class RetentionReportTest {
  private static final Logger LOG = Logger.getLogger(RetentionReportTest.class);
  static final String FHIR = "application/fhir+json; charset=UTF-8";
  static final String REPORT = "/api/records/retention/report";

  @Inject AgroalDataSource db;

  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  static String patient(String birthDate) {
    return given()
        .contentType(FHIR)
        .body(
            "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Keep"
                + unique()
                + "\"}],\"birthDate\":\""
                + birthDate
                + "\"}")
        .post("/fhir/r4/Patient")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  static String encounter(String patientId, String start, String end) {
    return given()
        .contentType(FHIR)
        .body(
            """
            {"resourceType":"Encounter","status":"finished",
             "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
             "subject":{"reference":"Patient/%s"},
             "period":{"start":"%sT08:00:00Z","end":"%sT09:00:00Z"}}
            """
                .formatted(patientId, start, end))
        .post("/fhir/r4/Encounter")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Makes a record look as if nothing happened to it after {@code day}. */
  void backdate(String patientId, String day) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement patient =
            c.prepareStatement(
                "update patient set created_at = cast(? as timestamptz),"
                    + " updated_at = cast(? as timestamptz) where id = ?");
        PreparedStatement activity =
            c.prepareStatement(
                "update record_activity set last_change = cast(? as timestamptz),"
                    + " last_encounter_end = least(last_encounter_end, cast(? as timestamptz))"
                    + " where patient_id = ?")) {
      for (PreparedStatement ps : List.of(patient, activity)) {
        ps.setString(1, day + "T12:00:00Z");
        ps.setString(2, day + "T12:00:00Z");
        ps.setString(3, patientId);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
    }
  }

  static JsonPath report(String asOf, boolean includeHeld) {
    var req = given().queryParam("asOf", asOf).queryParam("size", 100);
    if (includeHeld) req.queryParam("includeHeld", "true");
    return req.get(REPORT).then().statusCode(200).extract().jsonPath();
  }

  static Map<String, Object> itemOf(JsonPath report, String patientId) {
    return report.getMap("items.find { it.patientId == '" + patientId + "' }");
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void anOldRecordIsListedAHeldOneAndARecentOneAreNot() throws Exception {
    String old = patient("1940-01-01");
    String oldVisit = encounter(old, "1990-06-14", "1990-06-15");
    String held = patient("1940-01-01");
    String recent = patient("1940-01-01");
    backdate(old, "1990-06-15");
    backdate(held, "1990-06-15");
    backdate(recent, "1995-01-01");
    String matter = "Estate of Roe " + unique();
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"patientId\":\"" + held + "\",\"matter\":\"" + matter + "\",\"reason\":\"probate\"}")
        .post("/api/records/legal-holds")
        .then()
        .statusCode(201);

    // ten years after the last activity, on the day
    JsonPath before = report("2000-06-14", false);
    assertThat(before.getList("items.patientId", String.class)).doesNotContain(old);
    JsonPath report = report("2000-06-15", false);
    assertThat(report.getList("items.patientId", String.class))
        .contains(old)
        .doesNotContain(held, recent);
    Map<String, Object> item = itemOf(report, old);
    assertThat(item)
        .containsEntry("lastActivity", "1990-06-15")
        .containsEntry("retentionEndsOn", "2000-06-15")
        .containsEntry("rule", "ADULT")
        .containsEntry("pastRetention", true)
        .containsEntry("held", false);
    assertThat((String) item.get("why"))
        .isEqualTo("10 years after the last activity on 1990-06-15");
    assertThat(report.getList("items.find { it.patientId == '" + old + "' }.encounters.id"))
        .containsExactly(oldVisit);
    assertThat(report.getInt("policy.adultYears")).isEqualTo(10);
    // longest untouched first
    List<String> last = report.getList("items.lastActivity");
    List<String> sorted = new ArrayList<>(last);
    sorted.sort(null);
    assertThat(last).isEqualTo(sorted);

    // asked for, the held record shows with its matter
    JsonPath withHeld = report("2000-06-15", true);
    assertThat(itemOf(withHeld, held)).containsEntry("held", true);
    assertThat(withHeld.getList("items.find { it.patientId == '" + held + "' }.holdMatters"))
        .containsExactly(matter);
    assertThat(withHeld.getList("items.patientId", String.class)).doesNotContain(recent);

    given()
        .queryParam("asOf", "2000-06-15")
        .get("/api/records/retention/patients/" + recent)
        .then()
        .statusCode(200)
        .body("retentionEndsOn", equalTo("2005-01-01"))
        .body("pastRetention", equalTo(false));
  }

  @Test
  @TestSecurity(
      user = "privacy",
      roles = {"privacy-officer", "him-clerk"})
  void aChildsRecordIsKeptUntilMajorityPlusTheMinorYears() throws Exception {
    String child = patient("2000-01-01");
    backdate(child, "2001-06-01");
    // the adult term ended in 2011; the minor one (18 + 3 years) on 2021-01-01
    given()
        .queryParam("asOf", "2020-12-31")
        .get("/api/records/retention/patients/" + child)
        .then()
        .statusCode(200)
        .body("rule", equalTo("MINOR"))
        .body("retentionEndsOn", equalTo("2021-01-01"))
        .body("pastRetention", equalTo(false));
    assertThat(report("2020-12-31", false).getList("items.patientId", String.class))
        .doesNotContain(child);
    JsonPath report = report("2021-01-01", false);
    assertThat(itemOf(report, child))
        .containsEntry("rule", "MINOR")
        .containsEntry("retentionEndsOn", "2021-01-01");
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-admin", "clinician"})
  void newResourcesAndEncounterEndsAreActivity() throws Exception {
    String pid = patient("1960-05-05");
    backdate(pid, "1990-01-01");
    String path = "/api/records/retention/patients/" + pid;
    given().get(path).then().body("lastActivity", equalTo("1990-01-01"));

    given()
        .contentType(FHIR)
        .body(
            """
            {"resourceType":"Observation","status":"final","subject":{"reference":"Patient/%s"},
             "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]}}
            """
                .formatted(pid))
        .post("/fhir/r4/Observation")
        .then()
        .statusCode(201);
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    given()
        .get(path)
        .then()
        .body("lastActivity", equalTo(today))
        .body("retentionEndsOn", equalTo(LocalDate.now(ZoneOffset.UTC).plusYears(10).toString()));

    // an encounter planned to end in the future keeps the record until ten years after that
    String enc = encounter(pid, "2040-02-01", "2040-02-03");
    given().get(path).then().body("lastActivity", equalTo("2040-02-03"));
    // corrected to an earlier end: recomputed, not kept at the old maximum
    given()
        .contentType(FHIR)
        .body(
            """
            {"resourceType":"Encounter","id":"%s","status":"finished",
             "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
             "subject":{"reference":"Patient/%s"},
             "period":{"start":"2039-02-01T08:00:00Z","end":"2039-02-02T09:00:00Z"}}
            """
                .formatted(enc, pid))
        .put("/fhir/r4/Encounter/" + enc)
        .then()
        .statusCode(200);
    given().get(path).then().body("lastActivity", equalTo("2039-02-02"));
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aLeapDayActivityEndsOnThe28thAndTheReportAgrees() throws Exception {
    String leap = patient("1950-07-07");
    backdate(leap, "2016-02-29");
    given()
        .queryParam("asOf", "2026-02-27")
        .get("/api/records/retention/patients/" + leap)
        .then()
        .body("retentionEndsOn", equalTo("2026-02-28"))
        .body("pastRetention", equalTo(false));
    assertThat(report("2026-02-27", false).getList("items.patientId", String.class))
        .doesNotContain(leap);
    assertThat(itemOf(report("2026-02-28", false), leap))
        .containsEntry("retentionEndsOn", "2026-02-28");
  }

  @Test
  void theLastDayWhoseTermHasEndedFollowsTheLeapDayRule() {
    assertThat(RetentionService.lastDayEnded(LocalDate.parse("2026-02-28"), 10))
        .isEqualTo("2016-02-29");
    assertThat(RetentionService.lastDayEnded(LocalDate.parse("2024-02-29"), 10))
        .isEqualTo("2014-02-28");
    assertThat(RetentionService.lastDayEnded(LocalDate.parse("2025-06-15"), 21))
        .isEqualTo("2004-06-15");
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void badParametersAreNamed() {
    given()
        .queryParam("asOf", "2020-13-01")
        .get(REPORT)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("invalid-params[0].name", equalTo("asOf"));
    given()
        .queryParam("as_of", "2020-01-01")
        .get(REPORT)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("as_of"));
    given()
        .queryParam("size", "101")
        .get(REPORT)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("size"));
    given().get("/api/records/retention/patients/no-such-patient").then().statusCode(404);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aClerkCannotSeeTheReport() {
    given().get(REPORT).then().statusCode(403);
  }

  /**
   * 100,000 patients past retention, one in a hundred held: the report is one query over the
   * activity table, not a loop, and answers within a few seconds even on a busy test machine.
   */
  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void theReportOver100000PatientsIsOneFastQuery() throws Exception {
    int n = 100_000;
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      long t0 = System.nanoTime();
      s.executeUpdate(
          "insert into patient (id, version_id, mrn, family, given, name_tokens, family_tokens,"
              + " given_tokens, birth_date, gender, resource, created_at, created_by, updated_at,"
              + " updated_by)"
              + " select 'perf-' || g, 1, 'PERF' || g, 'Perf', 'P', ' perf p ', ' perf ', ' p ',"
              + " date '1930-01-01' + (g % 20000), 'female', '{\"resourceType\":\"Patient\"}',"
              + " t, 'perf', t, 'perf'"
              + " from generate_series(1, "
              + n
              + ") g cross join lateral"
              + " (select timestamptz '2012-01-01' + (g % 1000) * interval '1 day' as t) x");
      s.executeUpdate(
          "insert into record_activity (patient_id, last_change)"
              + " select id, updated_at from patient where created_by = 'perf'");
      s.executeUpdate(
          "insert into legal_hold (id, scope, patient_id, matter, reason, placed_at, placed_by)"
              + " select gen_random_uuid(), 'PATIENT', 'perf-' || g, 'Perf matter', 'perf',"
              + " now(), 'perf' from generate_series(100, "
              + n
              + ", 100) g");
      s.execute("analyze patient");
      s.execute("analyze record_activity");
      s.execute("analyze legal_hold");
      LOG.infof("inserted %d patients in %d ms", n, (System.nanoTime() - t0) / 1_000_000);
    }
    try {
      String asOf = LocalDate.now(ZoneOffset.UTC).toString();
      given().queryParam("asOf", asOf).get(REPORT).then().statusCode(200); // warm up
      long t0 = System.nanoTime();
      JsonPath first = report(asOf, false);
      long firstMs = (System.nanoTime() - t0) / 1_000_000;
      t0 = System.nanoTime();
      JsonPath deep =
          given()
              .queryParam("asOf", asOf)
              .queryParam("size", 100)
              .queryParam("page", 900)
              .get(REPORT)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      long deepMs = (System.nanoTime() - t0) / 1_000_000;
      LOG.infof(
          "retention report over %d patients: first page %d ms, page 900 %d ms, total %d",
          n, firstMs, deepMs, first.getLong("total"));

      long held = n / 100;
      assertThat(first.getLong("total")).isGreaterThanOrEqualTo(n - held);
      assertThat(first.getList("items")).hasSize(100);
      assertThat(deep.getList("items")).hasSize(100);
      assertThat(deep.getList("items.patientId", String.class))
          .allMatch(id -> !id.startsWith("perf-") || Integer.parseInt(id.substring(5)) % 100 != 0);
      assertThat(firstMs).as("first page, ms").isLessThan(10_000);
      assertThat(deepMs).as("page 900, ms").isLessThan(10_000);
    } finally {
      try (Connection c = db.getConnection();
          Statement s = c.createStatement()) {
        s.executeUpdate("delete from legal_hold where placed_by = 'perf'");
        s.executeUpdate("delete from record_activity where patient_id like 'perf-%'");
        s.executeUpdate("delete from patient where created_by = 'perf'");
      }
    }
  }
}
