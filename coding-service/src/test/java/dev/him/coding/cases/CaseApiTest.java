package dev.him.coding.cases;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.coding.testing.CodingReleases;
import dev.him.coding.testing.Db;
import dev.him.coding.testing.Discharge;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.KafkaTopicReader;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The case API as coders use it: queue, drafts with edits, finalize, reopen, queries, DRG. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class CaseApiTest {
  @AfterAll
  static void unloadReleases() {
    CodingReleases.unloadWhatTestsLoaded();
  }

  static final LocalDate DAY = LocalDate.of(2025, 11, 12);
  static final String CLEAN =
      """
      {"principalDiagnosis":"N39.0",
       "secondaryDiagnoses":[{"code":"E78.5","poa":"Y"},{"code":"E11.65","poa":"1"}],
       "procedures":[{"code":"0T9B70Z","performedOn":"2025-11-10"}],
       "msDrg":"690"}
      """;

  @Inject AgroalDataSource ds;
  @Inject ObjectMapper json;
  @Inject CaseIntake intake;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

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

  int version(String id) {
    return (int) db().count("select version from coding_case where id = cast(? as uuid)", id);
  }

  ValidatableResponse save(String id, String body) {
    return given()
        .contentType("application/json")
        .header("If-Match", "\"" + version(id) + "\"")
        .body(body)
        .put("/api/coding/cases/" + id + "/codes")
        .then();
  }

  @Test
  @TestSecurity(user = "cora", roles = "coder")
  void theQueueFiltersSortsAndPages() throws Exception {
    String cls = "Q" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    LocalDate today = LocalDate.now();
    Discharge recent = new Discharge(today.minusDays(2));
    Discharge week = new Discharge(today.minusDays(10));
    Discharge old = new Discharge(today.minusDays(20));
    for (Discharge d : new Discharge[] {recent, week, old}) {
      d.encounterClass = cls;
    }
    String recentId = open(recent);
    String weekId = open(week);
    String oldId = open(old);
    given()
        .contentType("application/json")
        .body("{\"assignee\":\"alice\"}")
        .post("/api/coding/cases/" + weekId + "/assignment")
        .then()
        .statusCode(200)
        .body("assignedTo", equalTo("alice"));

    given()
        .queryParam("encounterClass", cls.toLowerCase())
        .get("/api/coding/cases")
        .then()
        .statusCode(200)
        .body("total", equalTo(3))
        .body("items.id", org.hamcrest.Matchers.contains(oldId, weekId, recentId))
        .body("items[0].ageDays", equalTo(20))
        .body("items[0].status", equalTo("open"))
        .body("items[0].errors", equalTo(0));
    given()
        .queryParam("encounterClass", cls)
        .queryParam("sort", "-discharged")
        .queryParam("count", 1)
        .queryParam("offset", 1)
        .get("/api/coding/cases")
        .then()
        .statusCode(200)
        .body("total", equalTo(3))
        .body("count", equalTo(1))
        .body("items.id", org.hamcrest.Matchers.contains(weekId));
    given()
        .queryParam("encounterClass", cls)
        .queryParam("assignedTo", "alice")
        .get("/api/coding/cases")
        .then()
        .body("total", equalTo(1))
        .body("items[0].assignedTo", equalTo("alice"));
    given()
        .queryParam("encounterClass", cls)
        .queryParam("assignedTo", "unassigned")
        .get("/api/coding/cases")
        .then()
        .body("total", equalTo(2));
    given()
        .queryParam("encounterClass", cls)
        .queryParam("minAgeDays", 5)
        .get("/api/coding/cases")
        .then()
        .body("items.id", org.hamcrest.Matchers.contains(oldId, weekId));
    given()
        .queryParam("encounterClass", cls)
        .queryParam("status", "final")
        .get("/api/coding/cases")
        .then()
        .body("total", equalTo(0));
    given()
        .queryParam("status", "open,done")
        .queryParam("minAgeDays", "-1")
        .get("/api/coding/cases")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("'invalid-params'.name", hasItems("status", "minAgeDays"));
    // a queue read is access to every patient on the page
    JsonNode access = json.readTree(new OutboxProbe(ds).awaitPublished(old.patientId, "SEARCH"));
    assertThat(access.get("resourceType").asText()).isEqualTo("CodingCase");
    assertThat(access.get("actor").get("username").asText()).isEqualTo("cora");
    assertThat(access.get("patientIds").toString()).contains(recent.patientId, week.patientId);
  }

  @Test
  @TestSecurity(user = "cora", roles = "coder")
  void aDraftIsCheckedForShapeAndVersionThenSavedWithItsEdits() throws Exception {
    Discharge d = new Discharge(DAY);
    String id = open(d);
    save(
            id,
            "{\"principalDiagnosis\":\"E11..9\",\"secondaryDiagnoses\":[{\"code\":\"E78.5\",\"poa\":\"Y\"},"
                + "{\"code\":\"R69\",\"poa\":\"X\"}],\"procedures\":[{\"code\":\"0T9B7\"},"
                + "{\"code\":\"0T9B70Z\"}],\"msDrg\":\"6901\"}")
        .statusCode(400)
        .contentType("application/problem+json")
        .body(
            "'invalid-params'.name",
            hasItems(
                "principalDiagnosis",
                "secondaryDiagnoses[1].poa",
                "procedures[0].code",
                "procedures[0].performedOn",
                "procedures[1].performedOn",
                "msDrg"))
        .body(
            "'invalid-params'.find { it.name == 'secondaryDiagnoses[1].poa' }.reason",
            containsString("Y, N, U, W or 1"));
    save(id, "{\"principalDiagnosis\":\"N39.0\",\"secondaryDiagnosis\":[]}")
        .statusCode(400)
        .body("'invalid-params'[0].name", equalTo("secondaryDiagnosis"));
    save(id, "{\"principalDiagnosis\":\"N39.0\",\"msDrg\":\"000\"}")
        .statusCode(400)
        .body("'invalid-params'[0].name", equalTo("msDrg"))
        .body("'invalid-params'[0].reason", containsString("not in the MS-DRG v43 table"));
    given()
        .contentType("application/json")
        .body("{\"principalDiagnosis\":\"N39.0\"}")
        .put("/api/coding/cases/" + id + "/codes")
        .then()
        .statusCode(428)
        .body("'invalid-params'[0].name", equalTo("version"));
    given()
        .contentType("application/json")
        .header("If-Match", "\"99\"")
        .body("{\"principalDiagnosis\":\"N39.0\"}")
        .put("/api/coding/cases/" + id + "/codes")
        .then()
        .statusCode(412);
    given()
        .contentType("application/json")
        .body("{\"version\":99,\"principalDiagnosis\":\"N39.0\"}")
        .put("/api/coding/cases/" + id + "/codes")
        .then()
        .statusCode(409)
        .body("'invalid-params'[0].name", equalTo("version"));
    assertThat(version(id)).isEqualTo(1);

    // well shaped but not a code of FY2025: saved, and the edit says so
    given()
        .contentType("application/json")
        .body(
            "{\"version\":1,\"principalDiagnosis\":\"e11.99\",\"secondaryDiagnoses\":"
                + "[{\"code\":\"E785\",\"poa\":\"\"}]}")
        .put("/api/coding/cases/" + id + "/codes")
        .then()
        .statusCode(200)
        .header("ETag", "\"2\"")
        .body("version", equalTo(2))
        .body("status", equalTo("in-progress"))
        .body("principalDiagnosis.code", equalTo("E11.99"))
        .body("principalDiagnosis.description", nullValue())
        .body("secondaryDiagnoses[0].code", equalTo("E78.5"))
        .body("secondaryDiagnoses[0].poa", nullValue())
        .body("secondaryDiagnoses[0].description", equalTo("Hyperlipidemia, unspecified"))
        .body("edits.code", hasItems("INVALID_CODE", "POA_MISSING"))
        .body("edits.find { it.code == 'INVALID_CODE' }.field", equalTo("principalDiagnosis"))
        .body("edits.find { it.code == 'INVALID_CODE' }.severity", equalTo("error"))
        .body("edits.find { it.code == 'INVALID_CODE' }.message", containsString("E11.99"))
        .body("edits.find { it.code == 'POA_MISSING' }.field", equalTo("secondaryDiagnoses[0].poa"))
        .body("errors", equalTo(2))
        .body("history.action", hasItem("saved"))
        .body("history[-1].actor", equalTo("cora"));
    assertThat(
            db().count(
                    "select count(*) from coding_case_edit where case_id = cast(? as uuid)"
                        + " and code in ('INVALID_CODE', 'POA_MISSING') and severity = 'error'",
                    id))
        .isEqualTo(2);
    assertThat(
            json.readTree(new OutboxProbe(ds).awaitPublished(d.patientId, "UPDATE"))
                .get("detail")
                .asText())
        .isEqualTo("codes saved");
  }

  @Test
  @TestSecurity(user = "cora", roles = "coder")
  void finalizeIsRefusedWhileErrorsStandThenPublishesEncounterCodedAndReopenNeedsAReason()
      throws Exception {
    Discharge d = new Discharge(DAY);
    String id = open(d);
    save(id, "{\"principalDiagnosis\":\"V00.01XA\",\"secondaryDiagnoses\":[{\"code\":\"E78.5\"}]}")
        .statusCode(200);
    given()
        .post("/api/coding/cases/" + id + "/finalize")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("title", equalTo("Edits stand"))
        .body("detail", containsString("EXTERNAL_CAUSE_PRINCIPAL"))
        .body("'invalid-params'.name", hasItems("principalDiagnosis", "secondaryDiagnoses[0].poa"))
        .body("'invalid-params'.reason", hasItem(startsWith("POA_MISSING: E78.5")));
    assertThat(db().text("select status from coding_case where id = cast(? as uuid)", id))
        .isEqualTo("in-progress");
    assertThat(
            db().count(
                    "select count(*) from outbox_event where event_type = 'EncounterCoded' and payload->>'caseId' = ?",
                    id))
        .isZero();

    save(id, CLEAN)
        .statusCode(200)
        .body("errors", equalTo(0))
        .body("drg.msDrg", equalTo("690"))
        .body("drg.version", equalTo("v43"))
        .body("drg.mdc", equalTo("11"))
        .body("drg.type", equalTo("MED"))
        .body("drg.title", equalTo("KIDNEY AND URINARY TRACT INFECTIONS WITHOUT MCC"))
        .body("drg.weight", equalTo(0.8095f))
        .body("drg.source", equalTo("coder"))
        .body("procedures[0].description", containsString("Bladder"));
    given()
        .post("/api/coding/cases/" + id + "/finalize")
        .then()
        .statusCode(200)
        .body("status", equalTo("final"))
        .body("caseVersion", equalTo(1))
        .body("finalizedBy", equalTo("cora"))
        .body("history.action", hasItem("finalized"));

    OutboxProbe outbox = new OutboxProbe(ds);
    JsonNode coded = json.readTree(outbox.awaitEvent("EncounterCoded", "caseId", id));
    assertThat(coded.get("encounterId").asText()).isEqualTo(d.encounterId);
    assertThat(coded.get("patientId").asText()).isEqualTo(d.patientId);
    assertThat(coded.get("codeSetVersion").asText()).isEqualTo("FY2025");
    assertThat(coded.get("principalDiagnosis").asText()).isEqualTo("N39.0");
    assertThat(coded.get("secondaryDiagnoses"))
        .isEqualTo(
            json.readTree(
                "[{\"code\":\"E78.5\",\"poa\":\"Y\"},{\"code\":\"E11.65\",\"poa\":\"1\"}]"));
    assertThat(coded.get("procedures"))
        .isEqualTo(json.readTree("[{\"code\":\"0T9B70Z\",\"performedOn\":\"2025-11-10\"}]"));
    assertThat(coded.get("msDrg").asText()).isEqualTo("690");
    assertThat(coded.get("drgWeight").decimalValue()).isEqualByComparingTo("0.8095");
    assertThat(coded.get("caseVersion").asInt()).isEqualTo(1);
    assertThat(coded.get("finalizedBy").asText()).isEqualTo("cora");
    assertThat(
            db().text(
                    "select topic || ' ' || event_key from outbox_event where event_type = 'EncounterCoded'"
                        + " and payload->>'caseId' = ?",
                    id))
        .isEqualTo("him.coding-events " + d.patientId);
    String published =
        KafkaTopicReader.find(
            bootstrap, "him.coding-events", v -> v.contains(id), Duration.ofSeconds(30));
    assertThat(published).isNotNull();
    assertThat(json.readTree(published)).isEqualTo(coded);

    save(id, CLEAN).statusCode(409).body("detail", containsString("reopen"));
    given()
        .contentType("application/json")
        .body("{}")
        .post("/api/coding/cases/" + id + "/reopen")
        .then()
        .statusCode(400)
        .body("'invalid-params'[0].name", equalTo("reason"));
    given()
        .contentType("application/json")
        .body("{\"reason\":\"Pathology report changed the principal diagnosis\"}")
        .post("/api/coding/cases/" + id + "/reopen")
        .then()
        .statusCode(200)
        .body("status", equalTo("reopened"))
        .body(
            "history.find { it.action == 'reopened' }.reason",
            equalTo("Pathology report changed the principal diagnosis"))
        .body("history.find { it.action == 'reopened' }.actor", equalTo("cora"));
    given()
        .contentType("application/json")
        .body("{\"reason\":\"again\"}")
        .post("/api/coding/cases/" + id + "/reopen")
        .then()
        .statusCode(409);
    given()
        .post("/api/coding/cases/" + id + "/finalize")
        .then()
        .statusCode(200)
        .body("caseVersion", equalTo(2));
    assertThat(outbox.countEvents("EncounterCoded", "caseId", id)).isEqualTo(2);
    assertThat(
            db().count(
                    "select count(*) from outbox_event where event_type = 'EncounterCoded'"
                        + " and payload->>'caseId' = ? and payload->>'caseVersion' = '2'",
                    id))
        .isEqualTo(1);
    assertThat(
            db().count(
                    "select count(*) from coding_case_finalization where case_id = cast(? as uuid)",
                    id))
        .isEqualTo(2);
    given().post("/api/coding/cases/" + id + "/finalize").then().statusCode(409);
  }

  @Test
  @TestSecurity(user = "cora", roles = "coder")
  void anOpenPhysicianQueryHoldsTheCase() {
    String id = open(new Discharge(DAY));
    // the coder takes the case (no body: self-assign), gives it back, takes it again
    given()
        .post("/api/coding/cases/" + id + "/assignment")
        .then()
        .statusCode(200)
        .body("assignedTo", equalTo("cora"))
        .body("history[-1].action", equalTo("assigned"));
    given()
        .header("If-Match", "\"1\"")
        .delete("/api/coding/cases/" + id + "/assignment")
        .then()
        .statusCode(412);
    given()
        .delete("/api/coding/cases/" + id + "/assignment")
        .then()
        .statusCode(200)
        .body("assignedTo", nullValue())
        .body("history[-1].action", equalTo("unassigned"));
    given()
        .contentType("application/json")
        .body("{}")
        .post("/api/coding/cases/" + id + "/assignment")
        .then()
        .statusCode(200)
        .body("assignedTo", equalTo("cora"));
    save(id, CLEAN).statusCode(200);
    given()
        .contentType("application/json")
        .body("{\"toPractitioner\":\"Practitioner/dr-who\"}")
        .post("/api/coding/cases/" + id + "/queries")
        .then()
        .statusCode(400)
        .body("'invalid-params'[0].name", equalTo("question"));
    String q1 =
        given()
            .contentType("application/json")
            .body(
                "{\"question\":\"Was the UTI present on admission?\",\"toPractitioner\":\"Practitioner/dr-who\"}")
            .post("/api/coding/cases/" + id + "/queries")
            .then()
            .statusCode(201)
            .header("Location", containsString("/api/coding/cases/" + id + "/queries/"))
            .body("status", equalTo("open"))
            .body("toPractitioner", equalTo("dr-who"))
            .body("askedBy", equalTo("cora"))
            .extract()
            .path("id");
    given()
        .get("/api/coding/cases/" + id)
        .then()
        .body("status", equalTo("on-hold"))
        .body("queries[0].id", equalTo(q1));
    given()
        .post("/api/coding/cases/" + id + "/finalize")
        .then()
        .statusCode(409)
        .body("title", equalTo("Query open"));
    given().post("/api/coding/cases/" + id + "/queries/" + q1 + "/close").then().statusCode(409);
    given()
        .contentType("application/json")
        .body("{\"answer\":\"Yes, present on admission.\"}")
        .post("/api/coding/cases/" + id + "/queries/" + q1 + "/answer")
        .then()
        .statusCode(200)
        .body("status", equalTo("answered"))
        .body("answeredBy", equalTo("cora"));
    given().get("/api/coding/cases/" + id).then().body("status", equalTo("in-progress"));
    given()
        .post("/api/coding/cases/" + id + "/queries/" + q1 + "/close")
        .then()
        .statusCode(200)
        .body("status", equalTo("closed"));
    given()
        .contentType("application/json")
        .body("{\"answer\":\"late\"}")
        .post("/api/coding/cases/" + id + "/queries/" + q1 + "/answer")
        .then()
        .statusCode(409);

    String q2 =
        given()
            .contentType("application/json")
            .body("{\"question\":\"Sepsis ruled out?\",\"toPractitioner\":\"dr-who\"}")
            .post("/api/coding/cases/" + id + "/queries")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    given()
        .contentType("application/json")
        .body("{\"reason\":\"answered in the progress note\"}")
        .post("/api/coding/cases/" + id + "/queries/" + q2 + "/withdraw")
        .then()
        .statusCode(200)
        .body("status", equalTo("withdrawn"))
        .body("closeReason", equalTo("answered in the progress note"));
    given()
        .get("/api/coding/cases/" + id + "/queries")
        .then()
        .statusCode(200)
        .body("status", org.hamcrest.Matchers.contains("closed", "withdrawn"));
    given()
        .post("/api/coding/cases/" + id + "/finalize")
        .then()
        .statusCode(200)
        .body("status", equalTo("final"));
    given()
        .get("/api/coding/cases/" + id)
        .then()
        .body(
            "history.action",
            hasItems(
                "query-opened", "query-answered", "query-closed", "query-withdrawn", "finalized"));
  }

  @Test
  @TestSecurity(user = "grouper-client", roles = "hospital-system")
  void anExternalGrouperSetsTheDrg() {
    String id = open(new Discharge(DAY));
    given()
        .contentType("application/json")
        .body("{\"msDrg\":\"000\",\"grouper\":\"3M CGS 43.0\"}")
        .put("/api/coding/cases/" + id + "/drg")
        .then()
        .statusCode(400)
        .body("'invalid-params'[0].name", equalTo("msDrg"));
    given()
        .contentType("application/json")
        .body("{\"msDrg\":\"871\",\"grouper\":\"3M CGS 43.0\"}")
        .put("/api/coding/cases/" + id + "/drg")
        .then()
        .statusCode(200)
        .body("drg.msDrg", equalTo("871"))
        .body("drg.mdc", equalTo("18"))
        .body("drg.source", equalTo("grouper:3M CGS 43.0"))
        .body("drg.gmlos", equalTo(4.8f));
    // the grouper cannot read or code cases
    given().get("/api/coding/cases/" + id).then().statusCode(403);
  }

  @Test
  @TestSecurity(user = "cora", roles = "coder")
  void onlyGroupersSetADrgDirectly() {
    String id = open(new Discharge(DAY));
    given()
        .contentType("application/json")
        .body("{\"msDrg\":\"871\",\"grouper\":\"mine\"}")
        .put("/api/coding/cases/" + id + "/drg")
        .then()
        .statusCode(403);
  }

  @Test
  @TestSecurity(user = "cora", roles = "coder")
  void anOldDischargeIsCodedWithTheNearestReleaseAndAWarning() {
    Discharge d = new Discharge(LocalDate.of(2019, 3, 2));
    String id = open(d);
    save(
            id,
            "{\"principalDiagnosis\":\"N39.0\",\"secondaryDiagnoses\":[{\"code\":\"E78.5\",\"poa\":\"Y\"}]}")
        .statusCode(200)
        .body("codeSets.icd10cm", equalTo("FY2025"))
        .body("codeSets.mce", equalTo("v37"))
        .body("errors", equalTo(0))
        .body("edits.code", hasItem("NEAREST_RELEASE"))
        .body("edits.find { it.code == 'NEAREST_RELEASE' }.severity", equalTo("warning"))
        .body("edits.find { it.code == 'NEAREST_RELEASE' }.field", equalTo("dischargedAt"))
        .body(
            "edits.find { it.code == 'NEAREST_RELEASE' }.message",
            containsString("No ICD-10-CM release is in force on 2019-03-02"));
    given().post("/api/coding/cases/" + id + "/finalize").then().statusCode(200);
  }

  @Test
  @TestSecurity(user = "clara", roles = "him-clerk")
  void aClerkReadsButDoesNotCode() {
    String id = open(new Discharge(DAY));
    given().get("/api/coding/cases/" + id).then().statusCode(200).body("id", equalTo(id));
    given()
        .contentType("application/json")
        .header("If-Match", "\"1\"")
        .body("{\"principalDiagnosis\":\"N39.0\"}")
        .put("/api/coding/cases/" + id + "/codes")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    given().post("/api/coding/cases/" + id + "/finalize").then().statusCode(403);
    given().get("/api/coding/cases/" + UUID.randomUUID()).then().statusCode(404);
  }

  @Test
  @TestSecurity(user = "cli", roles = "clinician")
  void aClinicianIsRefusedAndTheRefusalIsRecorded() throws Exception {
    String id = open(new Discharge(DAY));
    given().get("/api/coding/cases").then().statusCode(403);
    given().get("/api/coding/cases/" + id).then().statusCode(403).body("status", equalTo(403));
    JsonNode refused =
        json.readTree(new OutboxProbe(ds).awaitEvent("AccessEvent", "resourceId", id));
    assertThat(refused.get("outcome").asText()).isEqualTo("FORBIDDEN");
    assertThat(refused.get("resourceType").asText()).isEqualTo("CodingCase");
    assertThat(refused.get("actor").get("username").asText()).isEqualTo("cli");
  }

  @Test
  void withoutATokenIs401() {
    given().get("/api/coding/cases").then().statusCode(401).body("status", equalTo(401));
    given().get("/api/coding/reports/backlog").then().statusCode(401);
    given()
        .get("/api/coding/cases/" + UUID.randomUUID())
        .then()
        .statusCode(401)
        .body("title", not(nullValue()));
  }
}
