package dev.him.coding.cases;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.coding.testing.CodingReleases;
import dev.him.coding.testing.Db;
import dev.him.coding.testing.Discharge;
import dev.him.events.v1.CodedEntry;
import dev.him.events.v1.EncounterDischarged;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.KafkaTopicReader;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EncounterDischarged from the broker opens one case per encounter, whatever arrives twice. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class EncounterDischargedConsumerTest {
  @AfterAll
  static void unloadReleases() {
    CodingReleases.unloadWhatTestsLoaded();
  }

  static final String DLQ = "him.encounter-events.coding-dlq";
  static final LocalDate DAY = LocalDate.of(2025, 11, 20);

  @Inject AgroalDataSource ds;
  @Inject ObjectMapper json;
  @Inject CaseSources sources;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  Db db() {
    return new Db(ds);
  }

  @BeforeEach
  void releases() {
    CodingReleases.ensureLoaded();
  }

  long cases(String encounterId) {
    return db().count("select count(*) from coding_case where encounter_id = ?", encounterId);
  }

  /** Waits until an event sent after the others on the same key opened its case. */
  void sentinelAfter(Discharge d) throws Exception {
    Discharge sentinel = new Discharge(DAY);
    sentinel.patientId = d.patientId;
    sentinel.publish(bootstrap, json);
    await(sentinel.encounterId);
  }

  void await(String encounterId) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> cases(encounterId) == 1);
  }

  @Test
  @TestSecurity(user = "cora", roles = "coder")
  void aDischargeSentTwiceOpensOneCaseWithWhatTheEncounterRecorded() throws Exception {
    Discharge d = new Discharge(DAY);
    d.publish(bootstrap, json);
    d.publish(bootstrap, json); // redelivered: the same event id
    await(d.encounterId);
    sentinelAfter(d);
    assertThat(cases(d.encounterId)).isEqualTo(1);
    assertThat(
            db().count("select count(*) from coding_processed_event where event_id = ?", d.eventId))
        .isEqualTo(1);
    String id =
        db().text("select cast(id as text) from coding_case where encounter_id = ?", d.encounterId);
    assertThat(
            db().count(
                    "select count(*) from coding_case_history where case_id = cast(? as uuid)", id))
        .isEqualTo(1);

    given()
        .get("/api/coding/cases/" + id)
        .then()
        .statusCode(200)
        .body("status", equalTo("open"))
        .body("encounterId", equalTo(d.encounterId))
        .body("patientId", equalTo(d.patientId))
        .body("encounterClass", equalTo("IMP"))
        .body("dischargedOn", equalTo("2025-11-20"))
        .body("patient.birthDate", equalTo("1960-02-03"))
        .body("patient.gender", equalTo("female"))
        .body("patient.ageAtAdmission", equalTo(65))
        .body("dischargeDisposition", equalTo("01"))
        .body("attendingPractitionerId", equalTo(d.attending))
        .body("codeSets.icd10cm", equalTo("FY2025"))
        .body("codeSets.icd10pcs", equalTo("FY2026"))
        .body("recorded.diagnoses[0].code", equalTo("68566005"))
        .body("recorded.diagnoses[0].system", equalTo("http://snomed.info/sct"))
        .body("recorded.procedures[0].display", equalTo("Urine culture"))
        .body("recorded.reasons[0]", equalTo("Dysuria and fever"))
        .body("recorded.documents[0].type", equalTo("Discharge summary"))
        .body("recorded.documents[0].text", equalTo(d.documents.get(0).text()))
        .body("history[0].action", equalTo("opened"));

    // what computer-assisted coding reads
    RecordedEncounter recorded = sources.recorded(UUID.fromString(id)).orElseThrow();
    assertThat(recorded.icd10cmVersion()).isEqualTo("FY2025");
    assertThat(recorded.reasons()).containsExactly("Dysuria and fever");
    assertThat(recorded.documents()).containsExactlyElementsOf(d.documents);
    assertThat(recorded.diagnoses()).containsExactlyElementsOf(d.diagnoses);
    assertThat(sources.recorded(UUID.randomUUID())).isEmpty();
  }

  @Test
  @TestSecurity(user = "cora", roles = "coder")
  void aLaterDischargeRefreshesAnUntouchedCaseAndNothingOnceCodingStarted() throws Exception {
    Discharge d = new Discharge(DAY);
    d.publish(bootstrap, json);
    await(d.encounterId);
    String id =
        db().text("select cast(id as text) from coding_case where encounter_id = ?", d.encounterId);

    // the encounter was corrected and discharged again: a new event for the same encounter
    d.eventId = UUID.randomUUID();
    d.occurredAt = d.occurredAt.plusSeconds(60);
    d.birthDate = LocalDate.of(1970, 5, 6);
    d.diagnoses =
        List.of(
            new CodedEntry("cond-2", "http://snomed.info/sct", "44054006", "Diabetes", null, null));
    d.publish(bootstrap, json);
    sentinelAfter(d);
    assertThat(cases(d.encounterId)).isEqualTo(1);
    int version =
        given()
            .get("/api/coding/cases/" + id)
            .then()
            .statusCode(200)
            .body("patient.birthDate", equalTo("1970-05-06"))
            .body("recorded.diagnoses.size()", equalTo(1))
            .body("recorded.diagnoses[0].code", equalTo("44054006"))
            .body("history[1].action", equalTo("refreshed"))
            .extract()
            .path("version");

    given()
        .contentType("application/json")
        .header("If-Match", "\"" + version + "\"")
        .body("{\"principalDiagnosis\":\"N39.0\"}")
        .put("/api/coding/cases/" + id + "/codes")
        .then()
        .statusCode(200)
        .body("status", equalTo("in-progress"));

    d.eventId = UUID.randomUUID();
    d.occurredAt = d.occurredAt.plusSeconds(60);
    d.birthDate = LocalDate.of(1980, 1, 1);
    d.publish(bootstrap, json);
    sentinelAfter(d);
    given()
        .get("/api/coding/cases/" + id)
        .then()
        .statusCode(200)
        .body("patient.birthDate", equalTo("1970-05-06"))
        .body("principalDiagnosis.code", equalTo("N39.0"))
        .body("history.action[-1]", equalTo("discharge-not-applied"));
  }

  @Test
  void poisonMessagesGoToTheDeadLetterTopicAndOtherTypesAreSkipped() throws Exception {
    String marker = UUID.randomUUID().toString();
    Discharge.send(
        bootstrap,
        "k-" + marker,
        "not json " + marker,
        EncounterDischarged.TYPE,
        "1",
        UUID.randomUUID());
    String noEncounter =
        "{\"eventId\":\""
            + UUID.randomUUID()
            + "\",\"patientId\":\"p\",\"marker\":\""
            + marker
            + "\"}";
    Discharge.send(
        bootstrap, "k-" + marker, noEncounter, EncounterDischarged.TYPE, "1", UUID.randomUUID());
    String otherType = "{\"other\":\"" + marker + "\"}";
    Discharge.send(bootstrap, "k-" + marker, otherType, "EncounterStarted", "1", UUID.randomUUID());

    assertThat(
            KafkaTopicReader.find(
                bootstrap, DLQ, v -> v.equals("not json " + marker), Duration.ofSeconds(30)))
        .isNotNull();
    assertThat(
            KafkaTopicReader.find(
                bootstrap, DLQ, v -> v.equals(noEncounter), Duration.ofSeconds(30)))
        .isNotNull();
    // the consumer goes on: a good event behind the poison on the same key opens its case
    Discharge good = new Discharge(DAY);
    good.patientId = "k-" + marker;
    good.publish(bootstrap, json);
    await(good.encounterId);
    assertThat(KafkaTopicReader.readAll(bootstrap, DLQ, Duration.ofSeconds(10)))
        .noneMatch(v -> v.contains("\"other\":\"" + marker));
  }
}
