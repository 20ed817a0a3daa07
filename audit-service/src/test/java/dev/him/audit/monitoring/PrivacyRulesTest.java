package dev.him.audit.monitoring;

import static dev.him.audit.monitoring.AccessLogFixture.WORKING_HOURS;
import static dev.him.audit.monitoring.AccessLogFixture.id;
import static dev.him.audit.monitoring.AccessLogFixture.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.him.audit.testing.AuditDatabaseResource;
import dev.him.audit.testing.PrivacyStub;
import dev.him.events.v1.AccessEvent;
import dev.him.infra.testing.KafkaResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each privacy rule fires on its case and stays quiet on its near miss: events published to Kafka,
 * ingested into the log, then one evaluation pass; the alert rows and their evidence are checked.
 * Users and patients are made up per test in the Keycloak / records-service stand-in.
 */
@QuarkusTest
@QuarkusTestResource(value = AuditDatabaseResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PrivacyStub.class)
class PrivacyRulesTest {
  @Inject AgroalDataSource db;
  @Inject PrivacyMonitor monitor;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  AccessLogFixture log;

  @BeforeEach
  void fixture() {
    log = new AccessLogFixture(db, bootstrap);
  }

  /** Logs the events and runs one evaluation pass. */
  void evaluate(AccessEvent... events) throws Exception {
    log.log(events);
    assertThat(monitor.runPass().failedChains()).isZero();
  }

  @Test
  void sameSurnameFiresWhateverTheCaseAndAccentsButNotOnASharedPrefix() throws Exception {
    String user = id("nurse");
    PrivacyStub.user(user, "Muller", Map.of());
    String relative = id("pat");
    String stranger = id("pat");
    PrivacyStub.patient(relative).family("Other").family("MÜLLER");
    PrivacyStub.patient(stranger).family("Mullerson");
    AccessEvent hit = read(user, "him-clerk", "TREAT", WORKING_HOURS, relative);
    AccessEvent miss = read(user, "him-clerk", "TREAT", WORKING_HOURS, stranger);
    evaluate(hit, miss);

    Map<String, JsonNode> alerts = log.alerts(hit);
    assertThat(alerts).containsOnlyKeys("SAME_SURNAME " + relative);
    JsonNode evidence = alerts.get("SAME_SURNAME " + relative);
    assertThat(evidence.path("matched").asText()).isEqualTo("family name");
    assertThat(evidence.path("userAttribute").asText()).isEqualTo("lastName");
    // no name in the evidence
    assertThat(evidence.toString()).doesNotContainIgnoringCase("muller");
    assertThat(log.fired(miss)).isEmpty();
  }

  @Test
  void sameAddressFiresOnTheStreetAndPostalCodeButNotOnTheSameStreetElsewhere() throws Exception {
    String user = id("clerk");
    PrivacyStub.user(user, "Nobody", Map.of("street", "12 Main Street", "postal_code", "02139"));
    String neighbour = id("pat");
    String elsewhere = id("pat");
    PrivacyStub.patient(neighbour)
        .address("1 Elm Rd", "90210")
        .address("12 main st.", "02139-4301");
    PrivacyStub.patient(elsewhere).address("12 Main Street", "02140");
    AccessEvent hit = read(user, "him-clerk", "TREAT", WORKING_HOURS, neighbour);
    AccessEvent miss = read(user, "him-clerk", "TREAT", WORKING_HOURS, elsewhere);
    evaluate(hit, miss);

    Map<String, JsonNode> alerts = log.alerts(hit);
    assertThat(alerts).containsOnlyKeys("SAME_ADDRESS " + neighbour);
    JsonNode evidence = alerts.get("SAME_ADDRESS " + neighbour);
    assertThat(evidence.path("matched").asText()).isEqualTo("street line and postal code");
    assertThat(evidence.toString()).doesNotContain("Main").doesNotContain("02139");
    assertThat(log.fired(miss)).isEmpty();
  }

  @Test
  void vipFiresOnTheCelebrityLabelAndConfiguredCodesButNotOnOtherLabels() throws Exception {
    String user = id("clerk");
    PrivacyStub.user(user, "Nobody", Map.of());
    String celebrity = id("pat");
    String employee = id("pat");
    String restricted = id("pat");
    PrivacyStub.patient(celebrity).label("CEL", true);
    PrivacyStub.patient(employee).label("EMP", false);
    PrivacyStub.patient(restricted).label("R", false);
    AccessEvent hit = read(user, "him-clerk", "TREAT", WORKING_HOURS, celebrity);
    AccessEvent extra = read(user, "him-clerk", "TREAT", WORKING_HOURS, employee);
    AccessEvent miss = read(user, "him-clerk", "TREAT", WORKING_HOURS, restricted);
    evaluate(hit, extra, miss);

    assertThat(log.alerts(hit)).containsOnlyKeys("VIP " + celebrity);
    assertThat(log.alerts(hit).get("VIP " + celebrity).path("codes").toString())
        .isEqualTo("[\"CEL\"]");
    assertThat(log.alerts(extra).get("VIP " + employee).path("codes").toString())
        .isEqualTo("[\"EMP\"]");
    assertThat(log.fired(miss)).isEmpty();
  }

  @Test
  void deceasedFiresAfterDeathButNotForTheLivingNorBeforeTheDeath() throws Exception {
    String user = id("coder");
    PrivacyStub.user(user, "Nobody", Map.of());
    String dead = id("pat");
    String deadNoDate = id("pat");
    String diedLater = id("pat");
    String living = id("pat");
    PrivacyStub.patient(dead).deceased("2026-01-05T10:00:00Z");
    PrivacyStub.patient(deadNoDate).deceased(null);
    // died the day after this access (evaluated late): alive when accessed
    PrivacyStub.patient(diedLater).deceased("2026-11-26");
    PrivacyStub.patient(living);
    AccessEvent hit = read(user, "coder", "HOPERAT", WORKING_HOURS, dead);
    AccessEvent noDate = read(user, "coder", "HOPERAT", WORKING_HOURS, deadNoDate);
    AccessEvent before = read(user, "coder", "HOPERAT", WORKING_HOURS, diedLater);
    AccessEvent miss = read(user, "coder", "HOPERAT", WORKING_HOURS, living);
    evaluate(hit, noDate, before, miss);

    Map<String, JsonNode> alerts = log.alerts(hit);
    assertThat(alerts).containsOnlyKeys("DECEASED " + dead);
    assertThat(alerts.get("DECEASED " + dead).path("dateOfDeath").asText()).isEqualTo("recorded");
    assertThat(alerts.get("DECEASED " + dead).toString()).doesNotContain("2026-01-05");
    assertThat(log.alerts(noDate).get("DECEASED " + deadNoDate).path("dateOfDeath").asText())
        .isEqualTo("not recorded");
    assertThat(log.fired(before)).isEmpty();
    assertThat(log.fired(miss)).isEmpty();
  }

  @Test
  void noTreatmentRelationshipFiresForAClinicianWhoIsNoParticipant() throws Exception {
    String doctor = id("doc");
    String clerk = id("clerk");
    String newcomer = id("doc");
    PrivacyStub.user(doctor, "Nobody", Map.of("practitioner_id", "pr-" + doctor));
    PrivacyStub.user(clerk, "Nobody", Map.of());
    PrivacyStub.user(newcomer, "Nobody", Map.of());
    String theirs = id("pat");
    String others = id("pat");
    PrivacyStub.patient(theirs).encounterWith("pr-someone").encounterWith("pr-" + doctor);
    PrivacyStub.patient(others).encounterWith("pr-someone");
    AccessEvent hit = read(doctor, "clinician", "TREAT", WORKING_HOURS, others);
    AccessEvent participant = read(doctor, "clinician", "TREAT", WORKING_HOURS, theirs);
    AccessEvent notClinical = read(clerk, "him-clerk", "TREAT", WORKING_HOURS, others);
    AccessEvent noPractitioner = read(newcomer, "clinician", "TREAT", WORKING_HOURS, theirs);
    evaluate(hit, participant, notClinical, noPractitioner);

    Map<String, JsonNode> alerts = log.alerts(hit);
    assertThat(alerts).containsOnlyKeys("NO_TREATMENT_RELATIONSHIP " + others);
    JsonNode evidence = alerts.get("NO_TREATMENT_RELATIONSHIP " + others);
    assertThat(evidence.path("matched").asText())
        .isEqualTo("not a participant of the patient's encounters");
    assertThat(evidence.path("practitionerId").asText()).isEqualTo("pr-" + doctor);
    assertThat(evidence.path("encounterParticipants").asInt()).isEqualTo(1);
    assertThat(log.fired(participant)).isEmpty();
    assertThat(log.fired(notClinical)).isEmpty();
    // a clinician without a practitioner id cannot show any relationship
    assertThat(log.fired(noPractitioner)).containsExactly("NO_TREATMENT_RELATIONSHIP " + theirs);
    assertThat(
            log.alerts(noPractitioner)
                .get("NO_TREATMENT_RELATIONSHIP " + theirs)
                .path("userAttribute")
                .asText())
        .isEqualTo("practitioner_id");
  }

  @Test
  void breakTheGlassFiresOnEmergencyPurposesAndReplacesTheRelationshipRule() throws Exception {
    String doctor = id("doc");
    PrivacyStub.user(doctor, "Nobody", Map.of("practitioner_id", "pr-" + doctor));
    String patient = id("pat");
    PrivacyStub.patient(patient).encounterWith("pr-someone");
    AccessEvent btg = read(doctor, "clinician", "BTG", WORKING_HOURS, patient);
    AccessEvent etreat = read(doctor, "clinician", "ETREAT", WORKING_HOURS, patient);
    AccessEvent treat = read(doctor, "clinician", "TREAT", WORKING_HOURS, patient);
    evaluate(btg, etreat, treat);

    assertThat(log.fired(btg)).containsExactly("BREAK_THE_GLASS " + patient);
    assertThat(log.alerts(btg).get("BREAK_THE_GLASS " + patient).path("purposeOfUse").asText())
        .isEqualTo("BTG");
    assertThat(log.fired(etreat)).containsExactly("BREAK_THE_GLASS " + patient);
    // purpose TREAT is no emergency: only the missing relationship is flagged
    assertThat(log.fired(treat)).containsExactly("NO_TREATMENT_RELATIONSHIP " + patient);
  }

  @Test
  void unusualVolumeFiresAboveTheThresholdOncePerWindow() throws Exception {
    String busy = id("clerk");
    String steady = id("clerk");
    PrivacyStub.user(busy, "Nobody", Map.of());
    PrivacyStub.user(steady, "Nobody", Map.of());
    List<AccessEvent> busyEvents = new ArrayList<>();
    List<AccessEvent> steadyEvents = new ArrayList<>();
    // the test threshold is 5 distinct patients within an hour
    for (int i = 0; i < 7; i++) {
      Instant at = WORKING_HOURS.plus(i, ChronoUnit.MINUTES);
      busyEvents.add(read(busy, "him-clerk", "TREAT", at, id("pat")));
      if (i < 5) {
        steadyEvents.add(read(steady, "him-clerk", "TREAT", at, id("pat")));
      }
    }
    // the same patient again does not count twice
    steadyEvents.add(
        read(
            steady,
            "him-clerk",
            "TREAT",
            WORKING_HOURS.plus(6, ChronoUnit.MINUTES),
            steadyEvents.get(0).patientIds().get(0)));
    List<AccessEvent> all = new ArrayList<>(busyEvents);
    all.addAll(steadyEvents);
    evaluate(all.toArray(AccessEvent[]::new));

    for (int i = 0; i < 5; i++) {
      assertThat(log.fired(busyEvents.get(i))).isEmpty();
    }
    // the 6th and 7th both exceed the threshold; chains are evaluated one after the other, so
    // whichever is judged first carries the one alert of the window
    List<Integer> alerted = new ArrayList<>();
    for (int i = 5; i < 7; i++) {
      AccessEvent e = busyEvents.get(i);
      Map<String, JsonNode> alerts = log.alerts(e);
      if (!alerts.isEmpty()) {
        alerted.add(i);
        assertThat(alerts).containsOnlyKeys("UNUSUAL_VOLUME " + e.patientIds().get(0));
        JsonNode evidence = alerts.values().iterator().next();
        assertThat(evidence.path("distinctPatients").asInt()).isEqualTo(i + 1);
        assertThat(evidence.path("threshold").asInt()).isEqualTo(5);
        assertThat(evidence.path("window").asText()).isEqualTo("PT1H");
      }
    }
    assertThat(alerted).hasSize(1);
    for (AccessEvent e : steadyEvents) {
      assertThat(log.fired(e)).isEmpty();
    }
  }

  @Test
  void outsideHoursFiresBeforeSevenAndAtWeekendsButNotAtSeven() throws Exception {
    String user = id("clerk");
    PrivacyStub.user(user, "Nobody", Map.of());
    String patient = id("pat");
    // Monday 23 November 2026, New York is UTC-5
    AccessEvent early =
        read(user, "him-clerk", "TREAT", Instant.parse("2026-11-23T11:59:59Z"), patient);
    AccessEvent seven =
        read(user, "him-clerk", "TREAT", Instant.parse("2026-11-23T12:00:00Z"), patient);
    AccessEvent evening =
        read(user, "him-clerk", "TREAT", Instant.parse("2026-11-24T00:00:00Z"), patient);
    AccessEvent saturday =
        read(user, "him-clerk", "TREAT", Instant.parse("2026-11-28T15:00:00Z"), patient);
    evaluate(early, seven, evening, saturday);

    JsonNode evidence = log.alerts(early).get("OUTSIDE_HOURS " + patient);
    assertThat(evidence).isNotNull();
    assertThat(evidence.path("localTime").asText()).isEqualTo("06:59");
    assertThat(evidence.path("dayOfWeek").asText()).isEqualTo("MONDAY");
    assertThat(evidence.path("zone").asText()).isEqualTo("America/New_York");
    assertThat(log.fired(seven)).isEmpty();
    assertThat(log.alerts(evening).get("OUTSIDE_HOURS " + patient).path("localTime").asText())
        .isEqualTo("19:00");
    assertThat(log.alerts(saturday).get("OUTSIDE_HOURS " + patient).path("matched").asText())
        .isEqualTo("not a working day");
  }

  @Test
  void selfAccessFiresOnTheUsersOwnRecordButNotOnAnotherPatient() throws Exception {
    String user = id("nurse");
    String own = id("pat");
    String other = id("pat");
    PrivacyStub.user(user, "Nobody", Map.of("patient_id", own));
    AccessEvent hit = read(user, "him-clerk", "TREAT", WORKING_HOURS, own);
    AccessEvent miss = read(user, "him-clerk", "TREAT", WORKING_HOURS, other);
    evaluate(hit, miss);

    assertThat(log.alerts(hit)).containsOnlyKeys("SELF_ACCESS " + own);
    assertThat(log.alerts(hit).get("SELF_ACCESS " + own).path("userAttribute").asText())
        .isEqualTo("patient_id");
    assertThat(log.fired(miss)).isEmpty();
  }

  @Test
  void aSearchIsJudgedForEveryPatientItShowed() throws Exception {
    String user = id("clerk");
    PrivacyStub.user(user, "Keller", Map.of());
    String relative = id("pat");
    String stranger = id("pat");
    PrivacyStub.patient(relative).family("Keller");
    PrivacyStub.patient(stranger).family("Kellerman").label("CEL", true);
    AccessEvent search = read(user, "him-clerk", "TREAT", WORKING_HOURS, relative, stranger);
    evaluate(search);

    assertThat(log.fired(search)).containsExactly("SAME_SURNAME " + relative, "VIP " + stranger);
  }
}
