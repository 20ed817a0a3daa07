package dev.him.audit.monitoring;

import static dev.him.audit.monitoring.AccessLogFixture.WORKING_HOURS;
import static dev.him.audit.monitoring.AccessLogFixture.id;
import static dev.him.audit.monitoring.AccessLogFixture.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.him.audit.testing.AuditDatabaseResource;
import dev.him.audit.testing.PrivacyStub;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.AccessOutcome;
import dev.him.infra.testing.KafkaResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The evaluation pass: each entry judged once (a re-run opens no second alert), a failed source of
 * facts leaves the cursor where it was (evaluation is delayed, never skipped), and only successful
 * accesses of people are judged.
 */
@QuarkusTest
@QuarkusTestResource(value = AuditDatabaseResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PrivacyStub.class)
class MonitorPassTest {
  @Inject AgroalDataSource db;
  @Inject PrivacyMonitor monitor;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  AccessLogFixture log;

  @BeforeEach
  void fixture() {
    log = new AccessLogFixture(db, bootstrap);
  }

  @AfterEach
  void up() {
    PrivacyStub.down(false);
  }

  @Test
  void aRerunOfThePassOpensNoSecondAlert() throws Exception {
    String user = id("nurse");
    String patient = id("pat");
    PrivacyStub.user(user, "Nobody", Map.of("patient_id", patient));
    PrivacyStub.patient(patient).label("CEL", true);
    AccessEvent e = read(user, "him-clerk", "BTG", WORKING_HOURS, patient);
    log.log(e);
    monitor.runPass();
    assertThat(log.fired(e))
        .containsExactly("BREAK_THE_GLASS " + patient, "SELF_ACCESS " + patient, "VIP " + patient);
    long[] at = log.position(e.eventId());
    assertThat(log.cursor(at[0])).isGreaterThanOrEqualTo(at[1]);
    long before = log.alertCount();

    // every cursor back to the start: the whole log is judged again
    log.resetCursors();
    PrivacyMonitor.Pass again = monitor.runPass();
    assertThat(again.evaluated()).isPositive();
    assertThat(again.alerts()).isZero();
    assertThat(log.alertCount()).isEqualTo(before);
    assertThat(log.fired(e)).hasSize(3);
  }

  @Test
  void anUnreachableSourceLeavesTheCursorWhereItWas() throws Exception {
    String user = id("nurse");
    String patient = id("pat");
    PrivacyStub.user(user, "Nobody", Map.of());
    PrivacyStub.patient(patient).label("CEL", true);
    AccessEvent e = read(user, "him-clerk", "TREAT", WORKING_HOURS, patient);
    long[] at;
    PrivacyStub.down(true);
    log.log(e);
    at = log.position(e.eventId());

    PrivacyMonitor.Pass failed = monitor.runPass();
    assertThat(failed.failedChains()).isPositive();
    Long cursor = log.cursor(at[0]);
    assertThat(cursor == null || cursor < at[1])
        .as("cursor %s before seq %s", cursor, at[1])
        .isTrue();
    assertThat(log.fired(e)).isEmpty();

    PrivacyStub.down(false);
    monitor.runPass();
    assertThat(log.fired(e)).containsExactly("VIP " + patient);
    assertThat(log.cursor(at[0])).isGreaterThanOrEqualTo(at[1]);
    // the facts were read with the monitor's purpose of use
    assertThat(PrivacyStub.purposeFor(patient)).isEqualTo("HOPERAT");
  }

  @Test
  void refusalsAndServiceAccountsAreNotJudged() throws Exception {
    String user = id("clerk");
    String patient = id("pat");
    PrivacyStub.user(user, "Nobody", Map.of("patient_id", patient));
    PrivacyStub.patient(patient).label("CEL", true);
    Instant night = Instant.parse("2026-11-25T07:00:00Z"); // 02:00 in New York
    AccessEvent refused =
        AccessLogFixture.event(user, "him-clerk", "TREAT", night, AccessOutcome.FORBIDDEN, patient);
    AccessEvent service =
        read("service-account-records-service", "platform-service", "HOPERAT", night, patient);
    AccessEvent judged = read(user, "him-clerk", "TREAT", night, patient);
    log.log(refused, service, judged);
    monitor.runPass();

    assertThat(log.fired(refused)).isEmpty();
    assertThat(log.fired(service)).isEmpty();
    assertThat(log.fired(judged))
        .containsExactly("OUTSIDE_HOURS " + patient, "SELF_ACCESS " + patient, "VIP " + patient);
  }

  @Test
  void aBatchsPatientsAreLookedUpSideBySideAndEachOnce() throws Exception {
    String user = id("clerk");
    PrivacyStub.user(user, "Nobody", Map.of());
    List<String> patients = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String patient = id("pat");
      PrivacyStub.patient(patient);
      patients.add(patient);
    }
    // a search that showed eight patients: one access, eight patients to judge it for
    log.log(read(user, "him-clerk", "TREAT", WORKING_HOURS, patients.toArray(String[]::new)));
    PrivacyStub.factsDelay(200);
    try {
      monitor.runPass();
    } finally {
      PrivacyStub.factsDelay(0);
    }
    // him.audit.monitoring.lookup-concurrency (4): a slow records-service is waited on four at a
    // time, not eight times in a row
    assertThat(PrivacyStub.mostFactsInFlight()).isBetween(2, 4);
    for (String patient : patients) {
      assertThat(PrivacyStub.factCalls(patient)).isEqualTo(1);
    }
  }

  @Test
  void factsAreAskedForOnceWithinTheirTimeToLive() throws Exception {
    String user = id("clerk");
    String patient = id("pat");
    PrivacyStub.user(user, "Nobody", Map.of());
    PrivacyStub.patient(patient);
    log.log(
        read(user, "him-clerk", "TREAT", WORKING_HOURS, patient),
        read(user, "him-clerk", "TREAT", WORKING_HOURS.plusSeconds(5), patient));
    monitor.runPass();
    assertThat(PrivacyStub.userCalls(user)).isEqualTo(1);
    assertThat(PrivacyStub.factCalls(patient)).isEqualTo(1);
  }
}
