package dev.him.audit.monitoring;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.audit.testing.AuditDatabaseResource;
import dev.him.audit.testing.PrivacyStub;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The privacy officer's queue: list, detail, investigation, closure, history, errors and roles. */
@QuarkusTest
@QuarkusTestResource(value = AuditDatabaseResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PrivacyStub.class)
class AlertQueueTest {
  static final String ALERTS = "/api/audit/alerts";
  static final ObjectMapper JSON = new ObjectMapper();

  @Inject PrivacyAlerts alerts;
  @Inject AgroalDataSource db;

  /** An alert as the monitor opens it (the queue does not care how the access got there). */
  UUID alert(String user, String patient, Rule rule, Instant at) {
    Access access =
        new Access(
            1, 7, UUID.randomUUID(), at, user, List.of("clinician"), "TREAT", List.of(patient));
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("purposeOfUse", "BTG");
    assertThat(
            QuarkusTransaction.requiringNew()
                .call(() -> alerts.open(access, new Hit(rule, patient, evidence))))
        .isTrue();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement("select id from privacy_alert where event_id = ?")) {
      q.setObject(1, access.eventId());
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      return rs.getObject(1, UUID.class);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static String user() {
    return "u-" + UUID.randomUUID().toString().substring(0, 8);
  }

  List<String> historyRows(UUID id) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select action || ':' || coalesce(from_status, '-') || '>' || to_status || ':'"
                    + " || changed_by from privacy_alert_history where alert_id = ? order by id")) {
      q.setObject(1, id);
      ResultSet rs = q.executeQuery();
      List<String> rows = new ArrayList<>();
      while (rs.next()) rows.add(rs.getString(1));
      return rows;
    }
  }

  String column(UUID id, String column) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement("select " + column + " from privacy_alert where id = ?")) {
      q.setObject(1, id);
      ResultSet rs = q.executeQuery();
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void anAlertIsTakenUpThenClosedWithItsHistory() throws Exception {
    String user = user();
    String patient = UUID.randomUUID().toString();
    Instant at = Instant.parse("2026-11-02T03:04:05.123Z");
    UUID id = alert(user, patient, Rule.BREAK_THE_GLASS, at);

    given()
        .queryParam("user", user)
        .get(ALERTS)
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("alerts[0].id", equalTo(id.toString()))
        .body("alerts[0].rule", equalTo("BREAK_THE_GLASS"))
        .body("alerts[0].status", equalTo("OPEN"))
        .body("alerts[0].patientId", equalTo(patient))
        .body("alerts[0].evidence.purposeOfUse", equalTo("BTG"))
        .body("alerts[0].history", nullValue());

    given()
        .get(ALERTS + "/" + id)
        .then()
        .statusCode(200)
        .header("ETag", "W/\"0\"")
        .body("version", equalTo(0))
        .body("occurredAt", equalTo("2026-11-02T03:04:05.123Z"))
        .body("auditEntries", containsString("/api/audit/entries?user=" + user))
        .body("inclusionProof", startsWith("/api/audit/proofs/"))
        .body("history.size()", equalTo(1))
        .body("history[0].action", equalTo("OPENED"))
        .body("history[0].by", equalTo("privacy-monitoring"))
        .body("history[0].to", equalTo("OPEN"));

    given()
        .contentType(ContentType.JSON)
        .body("{\"note\":\"asked the manager\"}")
        .post(ALERTS + "/" + id + "/investigation")
        .then()
        .statusCode(200)
        .body("status", equalTo("INVESTIGATING"))
        .body("assignee", equalTo("privacy"))
        .body("version", equalTo(1))
        .body("history[1].action", equalTo("INVESTIGATION"))
        .body("history[1].note", equalTo("asked the manager"));

    // taken up twice: the alert is no longer OPEN
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .post(ALERTS + "/" + id + "/investigation")
        .then()
        .statusCode(409)
        .body("invalid-params.name", hasItem("status"));

    given()
        .contentType(ContentType.JSON)
        .header("If-Match", "W/\"1\"")
        .body("{\"disposition\":\"JUSTIFIED\",\"note\":\"emergency admission confirmed\"}")
        .post(ALERTS + "/" + id + "/closure")
        .then()
        .statusCode(200)
        .header("ETag", "W/\"2\"")
        .body("status", equalTo("CLOSED"))
        .body("disposition", equalTo("JUSTIFIED"))
        .body("closedBy", equalTo("privacy"))
        .body("closedAt", notNullValue())
        .body("notes", equalTo("emergency admission confirmed"));

    given()
        .contentType(ContentType.JSON)
        .body("{\"disposition\":\"FALSE_POSITIVE\"}")
        .post(ALERTS + "/" + id + "/closure")
        .then()
        .statusCode(409);

    assertThat(column(id, "status")).isEqualTo("CLOSED");
    assertThat(column(id, "disposition")).isEqualTo("JUSTIFIED");
    assertThat(column(id, "version")).isEqualTo("2");
    assertThat(historyRows(id))
        .containsExactly(
            "OPENED:->OPEN:privacy-monitoring",
            "INVESTIGATION:OPEN>INVESTIGATING:privacy",
            "CLOSURE:INVESTIGATING>CLOSED:privacy");
    given()
        .queryParam("user", user)
        .queryParam("status", "OPEN")
        .get(ALERTS)
        .then()
        .body("total", equalTo(0));
    given()
        .queryParam("user", user)
        .queryParam("status", "closed")
        .get(ALERTS)
        .then()
        .body("total", equalTo(1));
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void readingAndChangingAnAlertAreRecordedAccesses() throws Exception {
    String patient = "p-" + UUID.randomUUID();
    UUID id = alert(user(), patient, Rule.DECEASED, Instant.now());
    String read = "read-" + UUID.randomUUID();
    given().header("X-Request-Id", read).get(ALERTS + "/" + id).then().statusCode(200);
    JsonNode event = JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(read));
    assertThat(event.path("action").asText()).isEqualTo("READ");
    assertThat(event.path("resourceType").asText()).isEqualTo("PrivacyAlert");
    assertThat(event.path("resourceId").asText()).isEqualTo(id.toString());
    assertThat(event.path("patientIds").get(0).asText()).isEqualTo(patient);
    assertThat(event.path("actor").path("username").asText()).isEqualTo("privacy");

    String queue = "queue-" + UUID.randomUUID();
    given()
        .header("X-Request-Id", queue)
        .queryParam("patient", patient)
        .get(ALERTS)
        .then()
        .statusCode(200);
    JsonNode search = JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(queue));
    assertThat(search.path("action").asText()).isEqualTo("SEARCH");
    assertThat(search.path("patientIds").get(0).asText()).isEqualTo(patient);

    String close = "close-" + UUID.randomUUID();
    given()
        .header("X-Request-Id", close)
        .contentType(ContentType.JSON)
        .body("{\"disposition\":\"FALSE_POSITIVE\"}")
        .post(ALERTS + "/" + id + "/closure")
        .then()
        .statusCode(200);
    JsonNode update = JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(close));
    assertThat(update.path("action").asText()).isEqualTo("UPDATE");
    assertThat(update.path("detail").asText()).isEqualTo("privacy alert closed: FALSE_POSITIVE");
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void aClosureNeedsADispositionAndAViolationANote() throws Exception {
    UUID id = alert(user(), "p-" + UUID.randomUUID(), Rule.VIP, Instant.now());

    given()
        .contentType(ContentType.JSON)
        .body("{\"note\":\"no disposition\"}")
        .post(ALERTS + "/" + id + "/closure")
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("disposition"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"disposition\":\"FINE\"}")
        .post(ALERTS + "/" + id + "/closure")
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("disposition"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"disposition\":\"VIOLATION_CONFIRMED\",\"note\":\"  \"}")
        .post(ALERTS + "/" + id + "/closure")
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("note"));
    // a stale version is refused before anything changes
    given()
        .contentType(ContentType.JSON)
        .header("If-Match", "W/\"5\"")
        .body("{\"disposition\":\"VIOLATION_CONFIRMED\",\"note\":\"curiosity, sanctioned\"}")
        .post(ALERTS + "/" + id + "/closure")
        .then()
        .statusCode(412);
    assertThat(column(id, "status")).isEqualTo("OPEN");

    // straight from OPEN to CLOSED is allowed
    given()
        .contentType(ContentType.JSON)
        .body("{\"disposition\":\"violation_confirmed\",\"note\":\"curiosity, sanctioned\"}")
        .post(ALERTS + "/" + id + "/closure")
        .then()
        .statusCode(200)
        .body("disposition", equalTo("VIOLATION_CONFIRMED"))
        .body("assignee", equalTo("privacy"));
    assertThat(historyRows(id)).hasSize(2).last().isEqualTo("CLOSURE:OPEN>CLOSED:privacy");

    given().get(ALERTS + "/" + UUID.randomUUID()).then().statusCode(404);
    given().get(ALERTS + "/not-a-uuid").then().statusCode(404);
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void theQueueIsFilteredAndPagedNewestFirst() {
    String user = user();
    Instant t = Instant.parse("2026-10-05T12:00:00Z");
    UUID older = alert(user, "p-" + UUID.randomUUID(), Rule.OUTSIDE_HOURS, t);
    UUID newer = alert(user, "p-" + UUID.randomUUID(), Rule.VIP, t.plus(2, ChronoUnit.DAYS));
    UUID other = alert(user, "p-" + UUID.randomUUID(), Rule.VIP, t.plus(1, ChronoUnit.DAYS));

    given()
        .queryParam("user", user)
        .queryParam("count", 2)
        .get(ALERTS)
        .then()
        .statusCode(200)
        .body("total", equalTo(3))
        .body("count", equalTo(2))
        .body("alerts.size()", equalTo(2))
        .body("alerts[0].id", equalTo(newer.toString()))
        .body("alerts[1].id", equalTo(other.toString()));
    given()
        .queryParam("user", user)
        .queryParam("count", 2)
        .queryParam("offset", 2)
        .get(ALERTS)
        .then()
        .body("alerts[0].id", equalTo(older.toString()));
    given()
        .queryParam("user", user)
        .queryParam("rule", "vip")
        .queryParam("from", "2026-10-06")
        .queryParam("to", "2026-10-06")
        .get(ALERTS)
        .then()
        .body("total", equalTo(1))
        .body("alerts[0].id", equalTo(other.toString()));

    given()
        .queryParam("status", "DONE")
        .queryParam("rule", "NOSY")
        .queryParam("from", "yesterday")
        .queryParam("count", 0)
        .queryParam("colour", "red")
        .get(ALERTS)
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("status"))
        .body("invalid-params.name", hasItem("rule"))
        .body("invalid-params.name", hasItem("from"))
        .body("invalid-params.name", hasItem("count"))
        .body("invalid-params.name", hasItem("colour"));
  }

  @Test
  @TestSecurity(user = "privacy2", roles = "privacy-officer")
  void anAlertIsTakenUpWithoutABodyAndIfMatchIsHonoured() throws Exception {
    UUID id = alert(user(), "p-" + UUID.randomUUID(), Rule.SAME_SURNAME, Instant.now());
    given()
        .header("If-Match", "W/\"3\"")
        .post(ALERTS + "/" + id + "/investigation")
        .then()
        .statusCode(412)
        .body("invalid-params.name", hasItem("If-Match"));
    given()
        .header("If-Match", "0")
        .post(ALERTS + "/" + id + "/investigation")
        .then()
        .statusCode(200)
        .body("status", equalTo("INVESTIGATING"))
        .body("assignee", equalTo("privacy2"));
    given()
        .contentType(ContentType.JSON)
        .header("If-Match", "soon")
        .body("{\"disposition\":\"JUSTIFIED\"}")
        .post(ALERTS + "/" + id + "/closure")
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("If-Match"));
    given()
        .contentType(ContentType.JSON)
        .body("[1, 2]")
        .post(ALERTS + "/" + id + "/investigation")
        .then()
        .statusCode(400);
    assertThat(historyRows(id))
        .containsExactly(
            "OPENED:->OPEN:privacy-monitoring", "INVESTIGATION:OPEN>INVESTIGATING:privacy2");
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void anAdministratorReadsButDoesNotWork() {
    UUID id = alert(user(), "p-" + UUID.randomUUID(), Rule.DECEASED, Instant.now());
    given().get(ALERTS + "/" + id).then().statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .post(ALERTS + "/" + id + "/investigation")
        .then()
        .statusCode(403);
    given()
        .contentType(ContentType.JSON)
        .body("{\"disposition\":\"JUSTIFIED\"}")
        .post(ALERTS + "/" + id + "/closure")
        .then()
        .statusCode(403);
  }

  @Test
  @TestSecurity(
      user = "clerk",
      roles = {"him-clerk", "roi-specialist", "clinician"})
  void otherRolesAreRefused() {
    given().get(ALERTS).then().statusCode(403);
    given().get(ALERTS + "/" + UUID.randomUUID()).then().statusCode(403);
  }

  @Test
  void anonymousCallersAreRefused() {
    given().get(ALERTS).then().statusCode(401);
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void theGaugeCountsAlertsNotClosed() {
    alert(user(), "p-" + UUID.randomUUID(), Rule.SELF_ACCESS, Instant.now());
    long open = QuarkusTransaction.requiringNew().call(alerts::refreshGauge);
    assertThat(open).isPositive();
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("him_privacy_alerts_open{status=\"OPEN\"} "));
    assertThat(AlertMetricsTest.alertsOpen()).isEqualTo((double) open);
  }
}
