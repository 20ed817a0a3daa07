package dev.him.records.encounter;

import static dev.him.records.ChartFixtures.FHIR;
import static dev.him.records.ChartFixtures.encounter;
import static dev.him.records.ChartFixtures.patient;
import static dev.him.records.ChartFixtures.post;
import static dev.him.records.ChartFixtures.put;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import dev.him.records.resource.ResourceStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** EncounterDischarged: once per encounter, with every diagnosis and procedure recorded. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class EncounterDischargedTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Inject AgroalDataSource db;
  @Inject ResourceStore store;

  OutboxProbe outbox() {
    return new OutboxProbe(db);
  }

  long count(String sql, String arg) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static final String BUNDLE =
      """
      {"resourceType":"Bundle","type":"transaction","entry":[
       {"fullUrl":"urn:uuid:%1$s-p","request":{"method":"POST","url":"Patient"},
        "resource":{"resourceType":"Patient","name":[{"family":"Discharged","given":["Dana"]}],
                    "gender":"female","birthDate":"1960-02-03"}},
       {"fullUrl":"urn:uuid:%1$s-pr","request":{"method":"POST","url":"Practitioner"},
        "resource":{"resourceType":"Practitioner","name":[{"family":"Attending"}]}},
       {"fullUrl":"urn:uuid:%1$s-e","request":{"method":"POST","url":"Encounter"},
        "resource":{"resourceType":"Encounter","status":"finished",
         "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},
         "subject":{"reference":"urn:uuid:%1$s-p"},
         "participant":[{"type":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"ATND"}]}],
                         "individual":{"reference":"urn:uuid:%1$s-pr"}}],
         "period":{"start":"2026-01-01T08:00:00Z","end":"2026-01-05T10:30:00Z"},
         "reasonCode":[{"text":"Shortness of breath and fever"}],
         "hospitalization":{"dischargeDisposition":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/discharge-disposition","code":"home"}]}},
         "diagnosis":[{"condition":{"reference":"urn:uuid:%1$s-c1"},"rank":1}]}},
       {"fullUrl":"urn:uuid:%1$s-c1","request":{"method":"POST","url":"Condition"},
        "resource":{"resourceType":"Condition","subject":{"reference":"urn:uuid:%1$s-p"},
         "encounter":{"reference":"urn:uuid:%1$s-e"},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"233604007","display":"Pneumonia"},
                           {"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"J18.9","display":"Pneumonia, unspecified organism"}]}}},
       {"fullUrl":"urn:uuid:%1$s-c2","request":{"method":"POST","url":"Condition"},
        "resource":{"resourceType":"Condition","subject":{"reference":"urn:uuid:%1$s-p"},
         "encounter":{"reference":"urn:uuid:%1$s-e"},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes"}]}}},
       {"fullUrl":"urn:uuid:%1$s-x","request":{"method":"POST","url":"Procedure"},
        "resource":{"resourceType":"Procedure","status":"completed","subject":{"reference":"urn:uuid:%1$s-p"},
         "encounter":{"reference":"urn:uuid:%1$s-e"},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"40701008","display":"Echocardiography"}]},
         "performedDateTime":"2026-01-02T09:00:00Z"}},
       {"fullUrl":"urn:uuid:%1$s-d","request":{"method":"POST","url":"DocumentReference"},
        "resource":{"resourceType":"DocumentReference","status":"current",
         "type":{"coding":[{"system":"http://loinc.org","code":"18842-5","display":"Discharge summary"}]},
         "subject":{"reference":"urn:uuid:%1$s-p"},
         "context":{"encounter":[{"reference":"urn:uuid:%1$s-e"}]},
         "content":[{"attachment":{"contentType":"text/plain",
                                   "data":"TG9iYXIgcG5ldW1vbmlhIHRyZWF0ZWQgd2l0aCBhbnRpYmlvdGljcy4="}}]}},
       {"fullUrl":"urn:uuid:%1$s-y","request":{"method":"POST","url":"Procedure"},
        "resource":{"resourceType":"Procedure","status":"entered-in-error","subject":{"reference":"urn:uuid:%1$s-p"},
         "encounter":{"reference":"urn:uuid:%1$s-e"},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"80146002","display":"Appendectomy"}]}}}
      ]}
      """;

  @Test
  @TestSecurity(
      user = "hospital",
      roles = {"hospital-system"})
  void aBundlesDischargeCarriesItsDiagnosesAndProceduresAndIsPublishedOnce() throws Exception {
    List<String> locations =
        given()
            .contentType(FHIR)
            .body(BUNDLE.formatted(UUID.randomUUID()))
            .post("/fhir/r4")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("entry.response.location");
    String pid = id(locations.get(0));
    String practitioner = id(locations.get(1));
    String enc = id(locations.get(2));
    String principal = id(locations.get(3));
    String other = id(locations.get(4));
    String procedure = id(locations.get(5));

    JsonNode event = JSON.readTree(outbox().awaitEvent("EncounterDischarged", "encounterId", enc));
    assertThat(event.path("patientId").asText()).isEqualTo(pid);
    assertThat(event.path("encounterClass").asText()).isEqualTo("IMP");
    assertThat(event.path("attendingPractitionerId").asText()).isEqualTo(practitioner);
    assertThat(event.path("dischargeDisposition").asText()).isEqualTo("home");
    assertThat(event.path("admittedAt").asText()).isEqualTo("2026-01-01T08:00:00Z");
    assertThat(event.path("dischargedAt").asText()).isEqualTo("2026-01-05T10:30:00Z");
    // what coding needs: age and sex edits, and text for computer-assisted suggestions
    assertThat(event.path("patientBirthDate").asText()).isEqualTo("1960-02-03");
    assertThat(event.path("patientGender").asText()).isEqualTo("female");
    assertThat(event.path("reasons").get(0).asText()).isEqualTo("Shortness of breath and fever");
    assertThat(event.path("documents")).hasSize(1);
    assertThat(event.path("documents").get(0).path("type").asText()).isEqualTo("Discharge summary");
    assertThat(event.path("documents").get(0).path("text").asText())
        .isEqualTo("Lobar pneumonia treated with antibiotics.");
    JsonNode diagnoses = event.path("diagnoses");
    assertThat(diagnoses).hasSize(2);
    assertThat(diagnoses.get(0).path("resourceId").asText()).isEqualTo(principal);
    assertThat(diagnoses.get(0).path("role").asText()).isEqualTo("principal");
    assertThat(diagnoses.get(0).path("system").asText())
        .isEqualTo("http://hl7.org/fhir/sid/icd-10-cm");
    assertThat(diagnoses.get(0).path("code").asText()).isEqualTo("J18.9");
    assertThat(diagnoses.get(1).path("resourceId").asText()).isEqualTo(other);
    assertThat(diagnoses.get(1).path("code").asText()).isEqualTo("44054006");
    assertThat(diagnoses.get(1).path("role").isNull()).isTrue();
    JsonNode procedures = event.path("procedures");
    assertThat(procedures).hasSize(1); // the one entered in error is not a procedure
    assertThat(procedures.get(0).path("resourceId").asText()).isEqualTo(procedure);
    assertThat(procedures.get(0).path("code").asText()).isEqualTo("40701008");
    assertThat(procedures.get(0).path("performedAt").asText()).isEqualTo("2026-01-02T09:00:00Z");
    assertThat(
            count(
                "select count(*) from outbox_event where event_type = 'EncounterDischarged'"
                    + " and event_key = ?",
                pid))
        .isEqualTo(1);

    // updated again, still finished: no second discharge
    String stored =
        given().get("/fhir/r4/Encounter/" + enc).then().statusCode(200).extract().asString();
    put("Encounter", enc, stored);
    put("Encounter", enc, stored);
    assertThat(outbox().countEvents("EncounterDischarged", "encounterId", enc)).isEqualTo(1);
    assertThat(count("select count(*) from encounter_discharge where encounter_id = ?", enc))
        .isEqualTo(1);
    // its chart is judged: the attending and diagnoses are there, the documents are not
    assertThat(
            count(
                "select count(*) from deficiency where encounter_id = ? and status = 'open'", enc))
        .isEqualTo(2);
  }

  @Test
  @TestSecurity(
      user = "hospital",
      roles = {"hospital-system"})
  void anEncounterInProgressIsDischargedWhenItFinishesAndOnlyOnce() throws Exception {
    String pid = patient();
    String enc =
        post(
            "Encounter",
            encounter(null, pid, "in-progress", "IMP", "2026-02-01T08:00:00Z", null, null, ""));
    assertThat(outbox().countEvents("EncounterDischarged", "encounterId", enc)).isZero();
    assertThat(count("select count(*) from deficiency where encounter_id = ?", enc)).isZero();

    put(
        "Encounter",
        enc,
        encounter(
            enc, pid, "finished", "IMP", "2026-02-01T08:00:00Z", "2026-02-03T08:00:00Z", null, ""));
    assertThat(outbox().countEvents("EncounterDischarged", "encounterId", enc)).isEqualTo(1);
    assertThat(count("select count(*) from deficiency where encounter_id = ?", enc)).isEqualTo(4);

    // reopened and discharged again: still the one discharge (see README)
    put(
        "Encounter",
        enc,
        encounter(enc, pid, "in-progress", "IMP", "2026-02-01T08:00:00Z", null, null, ""));
    put(
        "Encounter",
        enc,
        encounter(
            enc, pid, "finished", "IMP", "2026-02-01T08:00:00Z", "2026-02-04T08:00:00Z", null, ""));
    assertThat(outbox().countEvents("EncounterDischarged", "encounterId", enc)).isEqualTo(1);

    // a cancelled (or entered-in-error) encounter has no deficiencies: they close
    put(
        "Encounter",
        enc,
        encounter(enc, pid, "entered-in-error", "IMP", "2026-02-01T08:00:00Z", null, null, ""));
    assertThat(
            count(
                "select count(*) from deficiency where encounter_id = ? and status = 'open'", enc))
        .isZero();
    assertThat(outbox().countEvents("DeficiencyClosed", "encounterId", enc)).isEqualTo(4);
  }

  @Test
  @TestSecurity(
      user = "hospital",
      roles = {"hospital-system"})
  void aSyntheaPatientsEncountersAreEachDischargedOnceAndItsAttendingIsTheUntypedParticipant()
      throws Exception {
    Path file = syntheaPatient();
    // the patient's identifiers go: TransactionBundleTest may have registered the same patient
    JsonNode bundle = JSON.readTree(file.toFile());
    for (JsonNode entry : bundle.path("entry")) {
      if ("Patient".equals(entry.path("resource").path("resourceType").asText())) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) entry.path("resource"))
            .remove("identifier");
      }
    }
    List<String> locations =
        given()
            .contentType(FHIR)
            .body(JSON.writeValueAsBytes(bundle))
            .post("/fhir/r4")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("entry.response.location");
    String pid =
        id(locations.stream().filter(l -> l.startsWith("Patient/")).findFirst().orElseThrow());
    long encounters = locations.stream().filter(l -> l.startsWith("Encounter/")).count();
    assertThat(encounters).isPositive();
    assertThat(outbox().countEvents("EncounterDischarged", "patientId", pid))
        .isEqualTo((int) encounters);
    // Synthea records no documents: every inpatient stay lacks its discharge summary, in the
    // queue of the practitioner Synthea names (untyped) on the encounter
    long inpatient =
        count(
            "select count(*) from encounter_discharge where patient_id = ?"
                + " and encounter_class = 'IMP'",
            pid);
    assertThat(
            count(
                "select count(*) from deficiency where patient_id = ?"
                    + " and rule_code = 'discharge-summary-missing'"
                    + " and responsible_practitioner_id is not null",
                pid))
        .isEqualTo(inpatient);
    assertThat(
            count(
                "select count(*) from deficiency where patient_id = ?"
                    + " and rule_code = 'attending-missing'",
                pid))
        .isZero();
  }

  @Test
  @TestSecurity(
      user = "hospital",
      roles = {"hospital-system"})
  void aWritePathThatForgetsTheChecksIsRefusedRatherThanLosingADischarge() throws Exception {
    String pid = patient();
    String id = UUID.randomUUID().toString();
    Encounter e = new Encounter();
    e.setStatus(Encounter.EncounterStatus.FINISHED);
    e.setSubject(new Reference("Patient/" + pid));
    ManagedContext requests = Arc.container().requestContext();
    boolean active = requests.isActive();
    if (!active) requests.activate();
    try {
      assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> store.insert(e, id)))
          .hasStackTraceContaining("afterWrites");
    } finally {
      if (!active) requests.terminate();
    }
    assertThat(count("select count(*) from fhir_resource where id = ?", id)).isZero();
  }

  static String id(String location) {
    return location.split("/")[1];
  }

  static Path syntheaPatient() throws Exception {
    Path dir =
        Path.of(System.getProperty("him.shared.data", "../../shared/data"), "synthea", "fhir-r4");
    if (!Files.isDirectory(dir)) {
      String message = "Synthea bundles not found at " + dir.toAbsolutePath();
      if ("true".equals(System.getenv("CI"))) throw new AssertionError(message);
      Assumptions.abort(message);
    }
    try (Stream<Path> s = Files.list(dir)) {
      // the smallest patient file that has an inpatient stay
      return s.filter(p -> Character.isUpperCase(p.getFileName().toString().charAt(0)))
          .filter(EncounterDischargedTest::hasInpatientStay)
          .min((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
          .orElseThrow();
    }
  }

  static boolean hasInpatientStay(Path p) {
    try {
      return Files.readString(p).contains("\"code\": \"IMP\"");
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
  }
}
