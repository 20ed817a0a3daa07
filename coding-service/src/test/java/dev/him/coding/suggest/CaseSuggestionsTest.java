package dev.him.coding.suggest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.him.coding.cases.CaseIntake;
import dev.him.coding.testing.CodingReleases;
import dev.him.coding.testing.Db;
import dev.him.coding.testing.Discharge;
import dev.him.events.v1.CodedEntry;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Suggestions of a case: from its recorded sources, with evidence, decisions and the rate. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class CaseSuggestionsTest {
  @Inject AgroalDataSource ds;
  @Inject CaseIntake intake;

  @BeforeEach
  void releases() {
    CodingReleases.ensureLoaded();
  }

  String open(Discharge d) {
    intake.apply(d.event());
    return new Db(ds)
        .text("select cast(id as text) from coding_case where encounter_id = ?", d.encounterId);
  }

  /** A stay whose summary names its conditions, and one condition sent already ICD-10-CM coded. */
  Discharge stay() {
    Discharge d = new Discharge(LocalDate.of(2025, 3, 4));
    d.diagnoses.add(
        new CodedEntry(
            "cond-2",
            "http://hl7.org/fhir/sid/icd-10-cm",
            "E78.5",
            "Hyperlipidemia, unspecified",
            null,
            null));
    return d;
  }

  @Test
  @TestSecurity(user = "cora", roles = "coder")
  @SuppressWarnings("unchecked")
  void aCaseGetsSuggestionsWithEvidenceAndTheCoderDecides() {
    String id = open(stay());
    JsonPath page =
        given()
            .get("/api/coding/cases/" + id + "/suggestions")
            .then()
            .statusCode(200)
            .body("caseId", equalTo(id))
            .body("icd10cmVersion", equalTo("FY2025"))
            .extract()
            .jsonPath();
    List<String> codes = page.getList("suggestions.code");
    // the sender's ICD-10-CM code comes first, then what the words of the sources say
    assertThat(codes.get(0)).as(page.prettify()).isEqualTo("E78.5");
    assertThat(page.getString("suggestions[0].evidence[0].matchedKind")).isEqualTo("recordedCode");
    // "Admitted with urinary tract infection." in the discharge summary
    assertThat(codes).contains("N39.0");
    Map<String, Object> uti =
        page.getList("suggestions", Map.class).stream()
            .filter(s -> s.get("code").equals("N39.0"))
            .findFirst()
            .orElseThrow();
    assertThat(uti.get("status")).isEqualTo("proposed");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> evidence = (List<Map<String, Object>>) uti.get("evidence");
    assertThat(evidence)
        .anySatisfy(
            e -> {
              assertThat(e.get("source")).isEqualTo("document:doc-1");
              assertThat(e.get("label")).isEqualTo("Discharge summary");
              assertThat((List<Object>) e.get("words")).contains("urinary", "tract", "infection");
            });

    given()
        .post("/api/coding/cases/" + id + "/suggestions/N39.0/accept")
        .then()
        .statusCode(200)
        .body("status", equalTo("accepted"))
        .body("decidedBy", equalTo("cora"));
    given()
        .contentType("application/json")
        .body("{\"reason\":\"not documented as a diagnosis\"}")
        .post("/api/coding/cases/" + id + "/suggestions/E785/reject")
        .then()
        .statusCode(200)
        .body("code", equalTo("E78.5"))
        .body("status", equalTo("rejected"))
        .body("rejectReason", equalTo("not documented as a diagnosis"));

    // regenerating keeps both decisions
    given()
        .post("/api/coding/cases/" + id + "/suggestions")
        .then()
        .statusCode(200)
        .body("suggestions.find { it.code == 'N39.0' }.status", equalTo("accepted"))
        .body("suggestions.find { it.code == 'E78.5' }.status", equalTo("rejected"));

    Db db = new Db(ds);
    assertThat(
            db.count(
                "select count(*) from coding_suggestion where case_id = cast(? as uuid)"
                    + " and status = 'accepted' and decided_by = 'cora'",
                id))
        .isEqualTo(1);
    // reading suggestions is access to the patient's record
    assertThat(
            db.count(
                "select count(*) from outbox_event where event_type = 'AccessEvent'"
                    + " and payload::text like ?",
                "%" + id + "%"))
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  @TestSecurity(user = "rate-" + "coder", roles = "coder")
  void theAcceptanceRateCountsDecisionsPerCoder() {
    String id = open(stay());
    given().get("/api/coding/cases/" + id + "/suggestions").then().statusCode(200);
    given().post("/api/coding/cases/" + id + "/suggestions/N39.0/accept").then().statusCode(200);
    given()
        .contentType("application/json")
        .body("{}")
        .post("/api/coding/cases/" + id + "/suggestions/E78.5/reject")
        .then()
        .statusCode(200)
        .body("rejectReason", nullValue());
    given()
        .get("/api/coding/reports/suggestions")
        .then()
        .statusCode(200)
        .body("byCoder.coder", hasItem("rate-coder"))
        .body("byCoder.find { it.coder == 'rate-coder' }.accepted", equalTo(1))
        .body("byCoder.find { it.coder == 'rate-coder' }.rejected", equalTo(1))
        .body("byCoder.find { it.coder == 'rate-coder' }.acceptanceRate", equalTo(0.5f));
    given()
        .queryParam("from", "2026-13-01")
        .get("/api/coding/reports/suggestions")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("from"));
  }

  @Test
  @TestSecurity(user = "cora", roles = "coder")
  void unknownCaseOrSuggestionIs404AndABadIdIs400() {
    given().get("/api/coding/cases/" + UUID.randomUUID() + "/suggestions").then().statusCode(404);
    given()
        .get("/api/coding/cases/not-a-case/suggestions")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("id"));
    String id = open(stay());
    given().get("/api/coding/cases/" + id + "/suggestions").then().statusCode(200);
    given().post("/api/coding/cases/" + id + "/suggestions/Z99.89/accept").then().statusCode(404);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void onlyCodersSeeSuggestions() {
    String id = open(stay());
    given().get("/api/coding/cases/" + id + "/suggestions").then().statusCode(403);
  }
}
