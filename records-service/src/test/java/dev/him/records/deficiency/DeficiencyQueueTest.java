package dev.him.records.deficiency;

import static dev.him.records.ChartFixtures.condition;
import static dev.him.records.ChartFixtures.daysAgo;
import static dev.him.records.ChartFixtures.discharged;
import static dev.him.records.ChartFixtures.document;
import static dev.him.records.ChartFixtures.encounter;
import static dev.him.records.ChartFixtures.patient;
import static dev.him.records.ChartFixtures.post;
import static dev.him.records.ChartFixtures.practitioner;
import static dev.him.records.ChartFixtures.put;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Chart deficiencies found, queued, closed and waived on the real database, with their events. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class DeficiencyQueueTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String QUEUE = "/api/records/deficiencies";

  @Inject AgroalDataSource db;

  OutboxProbe outbox() {
    return new OutboxProbe(db);
  }

  /**
   * rule code -> row (status, responsible, document, resolution, delinquent_on) of an encounter.
   */
  Map<String, Map<String, Object>> deficiencies(String encounterId, String status)
      throws Exception {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select rule_code, status, responsible_practitioner_id, document_id, resolution,"
                    + " delinquent_on, patient_id, id from deficiency where encounter_id = ?"
                    + " and status = ? order by rule_code")) {
      ps.setString(1, encounterId);
      ps.setString(2, status);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("responsible", rs.getString(3));
          row.put("document", rs.getString(4));
          row.put("resolution", rs.getString(5));
          row.put("delinquentOn", rs.getDate(6).toLocalDate());
          row.put("patient", rs.getString(7));
          row.put("id", rs.getString(8));
          out.put(rs.getString(1), row);
        }
      }
    }
    return out;
  }

  List<String> openEvents(String encounterId) throws Exception {
    List<String> rules = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select payload->>'ruleCode' from outbox_event where event_type = ?"
                    + " and payload->>'encounterId' = ? order by seq")) {
      ps.setString(1, "DeficiencyOpened");
      ps.setString(2, encounterId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) rules.add(rs.getString(1));
      }
    }
    return rules;
  }

  @Test
  @TestSecurity(
      user = "clerk",
      roles = {"him-clerk"})
  void anInpatientStayDischargedWithNothingRecordedOpensItsDeficienciesUnassigned()
      throws Exception {
    String pid = patient();
    String enc = discharged(pid, "IMP", null, 1);

    Map<String, Map<String, Object>> open = deficiencies(enc, "open");
    assertThat(open)
        .containsOnlyKeys(
            "discharge-summary-missing",
            "history-physical-missing",
            "attending-missing",
            "diagnosis-missing");
    assertThat(open.values()).allSatisfy(r -> assertThat(r.get("responsible")).isNull());
    assertThat(open.values()).allSatisfy(r -> assertThat(r.get("patient")).isEqualTo(pid));
    assertThat(openEvents(enc))
        .containsExactlyInAnyOrder(
            "discharge-summary-missing",
            "history-physical-missing",
            "attending-missing",
            "diagnosis-missing");
    JsonNode opened = JSON.readTree(outbox().awaitEvent("DeficiencyOpened", "encounterId", enc));
    assertThat(opened.path("patientId").asText()).isEqualTo(pid);
    assertThat(opened.path("responsiblePractitionerId").isNull()).isTrue();
    assertThat(opened.path("delinquentOn").asText())
        .isEqualTo(
            Instant.parse(daysAgo(1)).atZone(ZoneOffset.UTC).toLocalDate().plusDays(30).toString());

    // the unassigned queue shows them, with their age and not (yet) delinquent
    String requestId = "queue-" + UUID.randomUUID();
    given()
        .header("X-Request-Id", requestId)
        .queryParam("unassigned", "true")
        .queryParam("patient", pid)
        .get(QUEUE)
        .then()
        .statusCode(200)
        .body("total", equalTo(4))
        .body(
            "items.ruleCode",
            containsInAnyOrder(
                "discharge-summary-missing",
                "history-physical-missing",
                "attending-missing",
                "diagnosis-missing"))
        .body("items[0].ageDays", equalTo(1))
        .body("items[0].delinquent", equalTo(false))
        .body("items[0].status", equalTo("open"))
        .body("items.description", hasItem("Discharge summary missing"))
        .body("items[0].responsiblePractitionerId", nullValue());
    // who looked at which patient's deficiencies is recorded
    JsonNode access = JSON.readTree(outbox().awaitByCorrelationId(requestId));
    assertThat(access.path("action").asText()).isEqualTo("SEARCH");
    assertThat(access.path("resourceType").asText()).isEqualTo("Deficiency");
    assertThat(access.path("patientIds").get(0).asText()).isEqualTo(pid);

    // an attending is recorded: attending-missing closes by itself, the rest move to them
    String att = practitioner();
    put("Encounter", enc, encounter(enc, pid, "finished", "IMP", daysAgo(3), daysAgo(1), att, ""));
    assertThat(deficiencies(enc, "closed")).containsOnlyKeys("attending-missing");
    assertThat(deficiencies(enc, "closed").get("attending-missing").get("resolution"))
        .isEqualTo("corrected");
    JsonNode closed = JSON.readTree(outbox().awaitEvent("DeficiencyClosed", "encounterId", enc));
    assertThat(closed.path("ruleCode").asText()).isEqualTo("attending-missing");
    assertThat(closed.path("resolution").asText()).isEqualTo("corrected");
    assertThat(deficiencies(enc, "open").values())
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.get("responsible")).isEqualTo(att));
    given()
        .queryParam("practitioner", "Practitioner/" + att)
        .get(QUEUE)
        .then()
        .statusCode(200)
        .body("total", equalTo(3))
        .body("items.responsiblePractitionerId", everyItemIs(att));

    // a diagnosis recorded later closes diagnosis-missing; nothing is opened twice
    condition(pid, enc);
    assertThat(deficiencies(enc, "open"))
        .containsOnlyKeys("discharge-summary-missing", "history-physical-missing");
    assertThat(openEvents(enc)).hasSize(4);
  }

  static org.hamcrest.Matcher<Iterable<? extends String>> everyItemIs(String value) {
    return org.hamcrest.Matchers.everyItem(equalTo(value));
  }

  @Test
  @TestSecurity(
      user = "hospital",
      roles = {"hospital-system"})
  void aSignedDischargeSummaryClosesDischargeSummaryMissingByItself() throws Exception {
    String pid = patient();
    String att = practitioner();
    String enc = discharged(pid, "IMP", att, 2);
    condition(pid, enc);
    assertThat(deficiencies(enc, "open"))
        .containsOnlyKeys("discharge-summary-missing", "history-physical-missing");
    assertThat(deficiencies(enc, "open").get("discharge-summary-missing").get("responsible"))
        .isEqualTo(att);

    String doc = post("DocumentReference", document(null, pid, enc, "18842-5", att, att));

    assertThat(deficiencies(enc, "open")).containsOnlyKeys("history-physical-missing");
    Map<String, Object> closed = deficiencies(enc, "closed").get("discharge-summary-missing");
    assertThat(closed.get("resolution")).isEqualTo("corrected");
    JsonNode event =
        JSON.readTree(
            outbox().awaitEvent("DeficiencyClosed", "deficiencyId", (String) closed.get("id")));
    assertThat(event.path("ruleCode").asText()).isEqualTo("discharge-summary-missing");
    assertThat(event.path("patientId").asText()).isEqualTo(pid);
    JsonNode signed = JSON.readTree(outbox().awaitEvent("DocumentSigned", "documentId", doc));
    assertThat(signed.path("documentType").asText()).isEqualTo("18842-5");
    assertThat(signed.path("signedByPractitionerId").asText()).isEqualTo(att);
    assertThat(signed.path("encounterId").asText()).isEqualTo(enc);

    // the summary entered in error: the deficiency is back (a new one, the old stays closed)
    put(
        "DocumentReference",
        doc,
        document(doc, pid, enc, "18842-5", att, att)
            .replace("\"status\":\"current\"", "\"status\":\"entered-in-error\""));
    assertThat(deficiencies(enc, "open"))
        .containsOnlyKeys("discharge-summary-missing", "history-physical-missing");
    assertThat(outbox().countEvents("DocumentSigned", "documentId", doc)).isEqualTo(1);
  }

  @Test
  @TestSecurity(
      user = "clinician",
      roles = {"clinician", "him-clerk"})
  void anUnsignedDocumentIsItsAuthorsDeficiencyUntilSigned() throws Exception {
    String pid = patient();
    String att = practitioner();
    String author = practitioner();
    String enc = discharged(pid, "EMER", att, 0);
    assertThat(deficiencies(enc, "open")).isEmpty();

    String doc = post("DocumentReference", document(null, pid, enc, "11506-3", author, null));
    Map<String, Object> unsigned = deficiencies(enc, "open").get("document-unsigned");
    assertThat(unsigned).isNotNull();
    assertThat(unsigned.get("document")).isEqualTo(doc);
    assertThat(unsigned.get("responsible")).isEqualTo(author);
    JsonNode opened = JSON.readTree(outbox().awaitEvent("DeficiencyOpened", "documentId", doc));
    assertThat(opened.path("ruleCode").asText()).isEqualTo("document-unsigned");
    assertThat(opened.path("responsiblePractitionerId").asText()).isEqualTo(author);
    assertThat(outbox().countEvents("DocumentSigned", "documentId", doc)).isZero();
    given()
        .queryParam("practitioner", author)
        .get(QUEUE)
        .then()
        .body("total", equalTo(1))
        .body("items[0].documentId", equalTo(doc));

    // signed: the deficiency closes by itself and DocumentSigned goes out, once
    put("DocumentReference", doc, document(doc, pid, enc, "11506-3", author, author));
    assertThat(deficiencies(enc, "open")).isEmpty();
    assertThat(deficiencies(enc, "closed").get("document-unsigned").get("resolution"))
        .isEqualTo("corrected");
    JsonNode signed = JSON.readTree(outbox().awaitEvent("DocumentSigned", "documentId", doc));
    assertThat(signed.path("patientId").asText()).isEqualTo(pid);
    assertThat(signed.path("signedByPractitionerId").asText()).isEqualTo(author);
    assertThat(signed.path("signedAt").asText()).isNotEmpty();
    put("DocumentReference", doc, document(doc, pid, enc, "11506-3", author, author));
    assertThat(outbox().countEvents("DocumentSigned", "documentId", doc)).isEqualTo(1);
    assertThat(outbox().countEvents("DeficiencyOpened", "documentId", doc)).isEqualTo(1);
  }

  @Test
  @TestSecurity(
      user = "hospital",
      roles = {"hospital-system"})
  void aDischargeBeforeAdmissionIsFoundOnEveryClass() throws Exception {
    String pid = patient();
    String att = practitioner();
    String enc =
        post("Encounter", encounter(null, pid, "finished", "AMB", daysAgo(1), daysAgo(3), att, ""));
    Map<String, Map<String, Object>> open = deficiencies(enc, "open");
    assertThat(open).containsOnlyKeys("discharge-before-admission");
    assertThat(open.get("discharge-before-admission").get("responsible")).isEqualTo(att);

    // corrected dates close it
    put("Encounter", enc, encounter(enc, pid, "finished", "AMB", daysAgo(3), daysAgo(1), att, ""));
    assertThat(deficiencies(enc, "open")).isEmpty();
    assertThat(deficiencies(enc, "closed")).containsOnlyKeys("discharge-before-admission");
  }

  @Test
  @TestSecurity(
      user = "hospital",
      roles = {"hospital-system", "him-clerk"})
  void aChartIsDelinquentThirtyDaysAfterDischarge() throws Exception {
    String pid = patient();
    String att = practitioner();
    String old = discharged(pid, "IMP", att, 40);
    String recent = discharged(pid, "IMP", att, 10);
    condition(pid, old);
    condition(pid, recent);
    LocalDate oldEnd = Instant.parse(daysAgo(40)).atZone(ZoneOffset.UTC).toLocalDate();
    assertThat(deficiencies(old, "open").get("discharge-summary-missing").get("delinquentOn"))
        .isEqualTo(oldEnd.plusDays(30));

    JsonPath late =
        given()
            .queryParam("practitioner", att)
            .queryParam("delinquent", "true")
            .get(QUEUE)
            .then()
            .statusCode(200)
            .body("total", equalTo(2))
            .extract()
            .jsonPath();
    assertThat(late.getList("items.encounterId")).containsOnly(old);
    assertThat(late.getList("items.ageDays", Integer.class)).containsOnly(40);
    assertThat(late.getList("items.delinquent", Boolean.class)).containsOnly(true);
    assertThat(late.getList("items.delinquentOn")).containsOnly(oldEnd.plusDays(30).toString());
    given()
        .queryParam("practitioner", att)
        .queryParam("delinquent", "false")
        .get(QUEUE)
        .then()
        .body("total", equalTo(2))
        .body("items.encounterId", everyItemIs(recent))
        .body("items.ageDays", org.hamcrest.Matchers.everyItem(equalTo(10)))
        .body("items.delinquent", org.hamcrest.Matchers.everyItem(equalTo(false)));
    // paging: one at a time, oldest due first
    given()
        .queryParam("practitioner", att)
        .queryParam("count", "1")
        .queryParam("offset", "2")
        .get(QUEUE)
        .then()
        .body("total", equalTo(4))
        .body("items", hasSize(1))
        .body("items[0].encounterId", equalTo(recent));
    given()
        .queryParam("practitioner", att)
        .get(QUEUE + "/summary")
        .then()
        .statusCode(200)
        .body("", hasSize(1))
        .body("[0].practitionerId", equalTo(att))
        .body("[0].open", equalTo(4))
        .body("[0].delinquent", equalTo(2))
        .body("[0].oldestAgeDays", equalTo(40));
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-admin"})
  void anAdministratorWaivesWithAReasonAndTheRulesDoNotReopenIt() throws Exception {
    String pid = patient();
    String att = practitioner();
    String enc = discharged(pid, "IMP", att, 5);
    condition(pid, enc);
    String id = (String) deficiencies(enc, "open").get("history-physical-missing").get("id");

    given()
        .contentType("application/json")
        .body("{\"reason\":\"  \"}")
        .post(QUEUE + "/" + id + "/waive")
        .then()
        .statusCode(400)
        .body("'invalid-params'.name", hasItem(org.hamcrest.Matchers.containsString("reason")));
    given()
        .contentType("application/json")
        .body("{\"reason\":\"H&P documented on paper, scanned under the admission\"}")
        .post(QUEUE + "/" + id + "/waive")
        .then()
        .statusCode(200)
        .body("status", equalTo("closed"))
        .body("resolution", equalTo("waived"))
        .body("closedBy", equalTo("admin"))
        .body("waiveReason", equalTo("H&P documented on paper, scanned under the admission"))
        .body("delinquent", equalTo(false));
    JsonNode event = JSON.readTree(outbox().awaitEvent("DeficiencyClosed", "deficiencyId", id));
    assertThat(event.path("resolution").asText()).isEqualTo("waived");

    // the chart changes again: the waived deficiency is not opened again
    condition(pid, enc);
    assertThat(deficiencies(enc, "open")).containsOnlyKeys("discharge-summary-missing");
    assertThat(outbox().countEvents("DeficiencyClosed", "deficiencyId", id)).isEqualTo(1);

    given()
        .contentType("application/json")
        .body("{\"reason\":\"again\"}")
        .post(QUEUE + "/" + id + "/waive")
        .then()
        .statusCode(409);
    given()
        .contentType("application/json")
        .body("{\"reason\":\"x\"}")
        .post(QUEUE + "/" + UUID.randomUUID() + "/waive")
        .then()
        .statusCode(404);
    given()
        .contentType("application/json")
        .body("{\"reason\":\"x\"}")
        .post(QUEUE + "/not-a-uuid/waive")
        .then()
        .statusCode(404);
  }

  @Test
  @TestSecurity(
      user = "dr-own",
      roles = {"clinician"},
      attributes = @SecurityAttribute(key = "fhirUser", value = "Practitioner/pr-own-queue"))
  void aClinicianSeesOnlyTheirOwnQueue() throws Exception {
    // a clinician does not register patients; references are not resolved, so an id will do
    String pid = "pt-" + UUID.randomUUID();
    String mine = discharged(pid, "IMP", "pr-own-queue", 3);
    discharged(pid, "IMP", practitioner(), 3);

    given()
        .get(QUEUE)
        .then()
        .statusCode(200)
        .body("total", equalTo(3))
        .body("items.encounterId", everyItemIs(mine))
        .body("items.responsiblePractitionerId", everyItemIs("pr-own-queue"));
    given().queryParam("practitioner", "someone-else").get(QUEUE).then().statusCode(403);
    given().queryParam("unassigned", "true").get(QUEUE).then().statusCode(403);
    given()
        .get(QUEUE + "/summary")
        .then()
        .statusCode(200)
        .body("", hasSize(1))
        .body("[0].practitionerId", equalTo("pr-own-queue"));
    given()
        .queryParam("practitioner", "someone-else")
        .get(QUEUE + "/summary")
        .then()
        .statusCode(403);
  }

  @Test
  @TestSecurity(
      user = "dr-unlinked",
      roles = {"clinician"})
  void aClinicianWithoutAPractitionerSeesNoQueue() {
    given()
        .get(QUEUE)
        .then()
        .statusCode(403)
        .body("detail", org.hamcrest.Matchers.containsString("fhirUser"));
  }

  @Test
  @TestSecurity(
      user = "coder",
      roles = {"coder"})
  void aCoderMayNotSeeTheQueues() throws Exception {
    String requestId = "coder-queue-" + UUID.randomUUID();
    given().header("X-Request-Id", requestId).get(QUEUE).then().statusCode(403);
    given().get(QUEUE + "/summary").then().statusCode(403);
    given()
        .contentType("application/json")
        .body("{\"reason\":\"x\"}")
        .post(QUEUE + "/" + UUID.randomUUID() + "/waive")
        .then()
        .statusCode(403);
    JsonNode refused = JSON.readTree(outbox().awaitByCorrelationId(requestId));
    assertThat(refused.path("outcome").asText()).isEqualTo("FORBIDDEN");
    assertThat(refused.path("resourceType").asText()).isEqualTo("Deficiency");
  }

  @Test
  void withoutATokenTheQueueIs401() {
    given().get(QUEUE).then().statusCode(401);
    given().get(QUEUE + "/summary").then().statusCode(401);
  }

  @Test
  @TestSecurity(
      user = "clerk",
      roles = {"him-clerk"})
  void aClerkMayNotWaiveAndBadFiltersAreNamed() {
    given()
        .contentType("application/json")
        .body("{\"reason\":\"x\"}")
        .post(QUEUE + "/" + UUID.randomUUID() + "/waive")
        .then()
        .statusCode(403);
    given()
        .queryParam("status", "pending")
        .queryParam("count", "1000")
        .queryParam("delinquent", "maybe")
        .queryParam("practitioner", "a b")
        .get(QUEUE)
        .then()
        .statusCode(400)
        .body(
            "'invalid-params'.name",
            containsInAnyOrder("status", "count", "delinquent", "practitioner"));
    given()
        .queryParam("status", "closed")
        .get(QUEUE)
        .then()
        .statusCode(400)
        .body("'invalid-params'[0].name", equalTo("status"));
    given()
        .queryParam("status", "closed")
        .queryParam("delinquent", "true")
        .queryParam("patient", "p1")
        .get(QUEUE)
        .then()
        .statusCode(400)
        .body("'invalid-params'[0].name", equalTo("delinquent"));
  }
}
