package dev.him.audit.monitoring;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.him.audit.testing.AuditDatabaseResource;
import dev.him.audit.testing.MetricsScrape;
import dev.him.audit.testing.PrivacyStub;
import dev.him.infra.testing.KafkaResource;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** him_privacy_alerts_open on GET /q/metrics follows the alert queue: opened, taken up, closed. */
@QuarkusTest
@QuarkusTestResource(value = AuditDatabaseResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PrivacyStub.class)
class AlertMetricsTest {
  static final String ALERTS = "/api/audit/alerts";

  @Inject AgroalDataSource db;
  @Inject PrivacyAlerts alerts;

  /** him_privacy_alerts_open{status=...}, NaN when the series is missing. */
  static double alertsOpen(String status) {
    return MetricsScrape.sample("him_privacy_alerts_open", "status=\"" + status + "\"");
  }

  /** Alerts not closed: the two series together. */
  static double alertsOpen() {
    return alertsOpen("OPEN") + alertsOpen("INVESTIGATING");
  }

  long notClosed() throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement("select count(*) from privacy_alert where status <> 'CLOSED'");
        ResultSet rs = q.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  UUID openAlert() {
    String patient = UUID.randomUUID().toString();
    Access access =
        new Access(
            1,
            7,
            UUID.randomUUID(),
            Instant.now(),
            "u-" + UUID.randomUUID().toString().substring(0, 8),
            List.of("clinician"),
            "BTG",
            List.of(patient));
    assertThat(
            QuarkusTransaction.requiringNew()
                .call(
                    () ->
                        alerts.open(
                            access,
                            new Hit(
                                Rule.BREAK_THE_GLASS,
                                patient,
                                Map.<String, Object>of("purposeOfUse", "BTG")))))
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

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void theGaugeFollowsTheQueueAlsoWhenAnotherInstanceClosesAnAlert() throws Exception {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> alertsOpen() == notClosed());
    double open = alertsOpen();

    double waiting = alertsOpen("OPEN");
    double investigating = alertsOpen("INVESTIGATING");
    UUID id = openAlert();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> alertsOpen() == open + 1);
    assertThat(alertsOpen("OPEN")).isEqualTo(waiting + 1);

    // taken up: still not closed
    given()
        .contentType(ContentType.JSON)
        .body("{\"note\":\"looking into it\"}")
        .post(ALERTS + "/" + id + "/investigation")
        .then()
        .statusCode(200);
    assertThat(alertsOpen()).isEqualTo(open + 1);
    assertThat(alertsOpen("OPEN")).isEqualTo(waiting);
    assertThat(alertsOpen("INVESTIGATING")).isEqualTo(investigating + 1);

    // closed by another instance of audit-service (its own gauge moved, not this one's): the
    // periodic recount catches up
    try (Connection c = db.getConnection();
        PreparedStatement close =
            c.prepareStatement(
                "update privacy_alert set status = 'CLOSED', disposition = 'JUSTIFIED',"
                    + " closed_by = 'privacy', closed_at = now(), version = version + 1"
                    + " where id = ?")) {
      close.setObject(1, id);
      assertThat(close.executeUpdate()).isEqualTo(1);
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> alertsOpen() == open);
  }
}
