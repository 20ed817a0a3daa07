package dev.him.coding.cases;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.him.coding.testing.CodingReleases;
import dev.him.coding.testing.Db;
import dev.him.coding.testing.Discharge;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backlog, productivity, edit counts and the case-mix index, from cases worked through the API. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class WorkMetricsTest {
  @AfterAll
  static void unloadReleases() {
    CodingReleases.unloadWhatTestsLoaded();
  }

  static final String CLEAN =
      "{\"principalDiagnosis\":\"N39.0\",\"secondaryDiagnoses\":[{\"code\":\"E78.5\",\"poa\":\"Y\"}]%s}";

  @Inject AgroalDataSource ds;
  @Inject CaseIntake intake;

  Db db() {
    return new Db(ds);
  }

  @BeforeEach
  void releases() {
    CodingReleases.ensureLoaded();
  }

  String open(Discharge d) {
    intake.apply(d.event());
    return db().text(
            "select cast(id as text) from coding_case where encounter_id = ?", d.encounterId);
  }

  void save(String id, String body) {
    int version =
        (int) db().count("select version from coding_case where id = cast(? as uuid)", id);
    given()
        .contentType("application/json")
        .header("If-Match", "\"" + version + "\"")
        .body(body)
        .put("/api/coding/cases/" + id + "/codes")
        .then()
        .statusCode(200);
  }

  void finalize(String id) {
    given().post("/api/coding/cases/" + id + "/finalize").then().statusCode(200);
  }

  static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  @Test
  @TestSecurity(user = "pam", roles = "coder")
  void backlogCountsAgesAndBuckets() {
    String cls = "B" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    String[] ids = new String[5];
    int[] ages = {1, 5, 9, 20, 30};
    for (int i = 0; i < ages.length; i++) {
      Discharge d = new Discharge(today().minusDays(ages[i]));
      d.encounterClass = cls;
      ids[i] = open(d);
    }
    save(ids[1], CLEAN.formatted(""));
    save(ids[4], CLEAN.formatted(""));
    finalize(ids[4]); // final: no longer in the backlog

    given()
        .queryParam("encounterClass", cls)
        .get("/api/coding/reports/backlog")
        .then()
        .statusCode(200)
        .body("asOf", equalTo(today().toString()))
        .body("count", equalTo(4))
        .body("oldestDays", equalTo(20))
        .body("averageDays", equalTo(8.8f))
        .body("buckets.'0-3'", equalTo(1))
        .body("buckets.'4-7'", equalTo(1))
        .body("buckets.'8-14'", equalTo(1))
        .body("buckets.'>14'", equalTo(1))
        .body("byStatus.open", equalTo(3))
        .body("byStatus.in-progress", equalTo(1))
        .body("byStatus.on-hold", equalTo(0));
    given()
        .queryParam("encounterClass", "NONE" + cls)
        .get("/api/coding/reports/backlog")
        .then()
        .statusCode(200)
        .body("count", equalTo(0))
        .body("oldestDays", equalTo(null));
  }

  @Test
  @TestSecurity(user = "quinn", roles = "coder")
  void finalizedPerCoderPerDayAndEditCounts() {
    JsonPath before = editCounts();
    String withWarning = open(new Discharge(today().minusDays(3)));
    // E11.9 as principal: a questionable admission (MCE v37), a warning that stays at finalize
    save(withWarning, "{\"principalDiagnosis\":\"E11.9\"}");
    finalize(withWarning);
    String second = open(new Discharge(today().minusDays(3)));
    save(second, CLEAN.formatted(""));
    finalize(second);
    String standing = open(new Discharge(today().minusDays(3)));
    save(
        standing,
        "{\"principalDiagnosis\":\"N39.0\",\"secondaryDiagnoses\":[{\"code\":\"Y65.51\",\"poa\":\"Y\"}]}");

    given()
        .queryParam("from", today().toString())
        .queryParam("to", today().toString())
        .get("/api/coding/reports/productivity")
        .then()
        .statusCode(200)
        .body("byCoder.quinn", equalTo(2))
        .body("days.find { it.coder == 'quinn' }.day", equalTo(today().toString()))
        .body("days.find { it.coder == 'quinn' }.finalized", equalTo(2));
    given()
        .queryParam("from", today().minusDays(40).toString())
        .queryParam("to", today().minusDays(1).toString())
        .get("/api/coding/reports/productivity")
        .then()
        .statusCode(200)
        .body("byCoder.quinn", equalTo(null));

    JsonPath after = editCounts();
    assertThat(after.getLong("finalizations") - before.getLong("finalizations")).isEqualTo(2);
    assertThat(
            warnings(after, "QUESTIONABLE_ADMISSION") - warnings(before, "QUESTIONABLE_ADMISSION"))
        .isEqualTo(1);
    assertThat(
            standing(after, "WRONG_PROCEDURE_PERFORMED")
                - standing(before, "WRONG_PROCEDURE_PERFORMED"))
        .isEqualTo(1);
    assertThat(after.getList("standing.code")).contains("WRONG_PROCEDURE_PERFORMED");
  }

  JsonPath editCounts() {
    return given()
        .queryParam("from", today().toString())
        .queryParam("to", today().toString())
        .get("/api/coding/reports/edits")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  static long warnings(JsonPath p, String code) {
    Object n = p.get("atFinalize.find { it.code == '" + code + "' }.count");
    return n == null ? 0 : ((Number) n).longValue();
  }

  static long standing(JsonPath p, String code) {
    Object n = p.get("standing.find { it.code == '" + code + "' }.cases");
    return n == null ? 0 : ((Number) n).longValue();
  }

  @Test
  @TestSecurity(user = "pam", roles = "coder")
  void theCaseMixIndexIsTheMeanWeightOfFinalCasesDischargedInThePeriod() {
    LocalDate day = LocalDate.of(2025, 12, 24);
    String uti = open(new Discharge(day));
    save(uti, CLEAN.formatted(",\"msDrg\":\"690\""));
    finalize(uti);
    String sepsis = open(new Discharge(day.plusDays(1)));
    save(sepsis, CLEAN.formatted(",\"msDrg\":\"871\""));
    finalize(sepsis);
    String noDrg = open(new Discharge(day.plusDays(2)));
    save(noDrg, CLEAN.formatted(""));
    finalize(noDrg);
    String notFinal = open(new Discharge(day));
    save(notFinal, CLEAN.formatted(",\"msDrg\":\"001\""));
    String outside = open(new Discharge(day.plusDays(3)));
    save(outside, CLEAN.formatted(",\"msDrg\":\"001\""));
    finalize(outside);

    given()
        .queryParam("from", "2025-12-24")
        .queryParam("to", "2025-12-26")
        .get("/api/coding/reports/case-mix")
        .then()
        .statusCode(200)
        .body("cases", equalTo(2))
        .body("caseMixIndex", equalTo(1.376f))
        .body("totalWeight", equalTo(2.752f))
        .body("finalWithoutDrg", equalTo(1));
    given()
        .queryParam("from", "2025-12-27")
        .queryParam("to", "2025-12-24")
        .get("/api/coding/reports/case-mix")
        .then()
        .statusCode(400)
        .body("'invalid-params'.name", hasItem("from"));
    given()
        .queryParam("to", "24/12/2025")
        .get("/api/coding/reports/case-mix")
        .then()
        .statusCode(400)
        .body("'invalid-params'.name", hasItem("to"));
  }

  @Test
  @TestSecurity(user = "cli", roles = "clinician")
  void reportsAreForCodingStaff() {
    given().get("/api/coding/reports/backlog").then().statusCode(403);
    given().get("/api/coding/reports/productivity").then().statusCode(403);
    given().get("/api/coding/reports/edits").then().statusCode(403);
    given().get("/api/coding/reports/case-mix").then().statusCode(403);
  }
}
