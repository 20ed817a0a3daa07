package dev.him.records.mpi;

import static dev.him.records.mpi.MpiFixtures.FHIR;
import static dev.him.records.mpi.MpiFixtures.accessEvents;
import static dev.him.records.mpi.MpiFixtures.birthDate;
import static dev.him.records.mpi.MpiFixtures.candidateOf;
import static dev.him.records.mpi.MpiFixtures.count;
import static dev.him.records.mpi.MpiFixtures.createPatient;
import static dev.him.records.mpi.MpiFixtures.patientJson;
import static dev.him.records.mpi.MpiFixtures.phone;
import static dev.him.records.mpi.MpiFixtures.text;
import static dev.him.records.mpi.MpiFixtures.unique;
import static dev.him.records.mpi.MpiFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Possible duplicates: found on create and update, scored with evidence, decided by a person. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class MpiDetectionTest {
  @Inject AgroalDataSource db;
  @Inject MpiBackfill backfill;

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aNearDuplicateIsQueuedWithItsScoreAndMatchingFields() throws Exception {
    String born = birthDate();
    String phone = phone();
    String john = createPatient(patientJson("Smith", "John", "male", born, phone, "12 Elm Street"));
    String jon = createPatient(patientJson("Smyth", "Jon", "male", born, phone, "12 Elm St"));

    String requestId = "queue-" + unique();
    given()
        .header("X-Request-Id", requestId)
        .queryParam("patient", jon)
        .get("/api/records/mpi/candidates")
        .then()
        .statusCode(200)
        .body("items.collect { [it.patientA.id, it.patientB.id] }.flatten()", hasItem(john));
    Map<String, Object> c = candidateOf(john, jon, "open");
    assertThat(c).isNotNull();
    // phonetic family (3) + phonetic given (2) + birth date (4) + sex (1) + phone (3) + address (2)
    // - two different SSNs (3)
    assertThat(((Number) c.get("score")).doubleValue()).isEqualTo(12.0);
    assertThat(c.get("priority")).isEqualTo("probable");
    Map<?, ?> fields = (Map<?, ?>) c.get("fields");
    assertThat(((Map<?, ?>) fields.get("family")).get("agreement")).isEqualTo("phonetic");
    assertThat(((Map<?, ?>) fields.get("given")).get("agreement")).isEqualTo("phonetic");
    assertThat(((Map<?, ?>) fields.get("birthDate")).get("agreement")).isEqualTo("exact");
    assertThat(((Map<?, ?>) fields.get("phone")).get("agreement")).isEqualTo("exact");
    assertThat(((Map<?, ?>) fields.get("address")).get("agreement")).isEqualTo("exact");
    assertThat(((Map<?, ?>) fields.get("gender")).get("agreement")).isEqualTo("exact");
    // two different SSNs speak against the match, and say so
    assertThat(((Map<?, ?>) fields.get("identifier")).get("agreement")).isEqualTo("different");
    Map<?, ?> a = (Map<?, ?>) c.get("patientA");
    assertThat((String) a.get("mrn")).startsWith("MRN");
    assertThat(a.get("birthDate")).isEqualTo(born);

    // stored once, for the ordered pair
    assertThat(
            count(
                db,
                "select count(*) from mpi_match_candidate where patient_a = ? and patient_b = ?"
                    + " and status = 'open'",
                john.compareTo(jon) < 0 ? john : jon,
                john.compareTo(jon) < 0 ? jon : john))
        .isEqualTo(1);
    // the queue is patient data: the listing is recorded as a search of the patients shown
    List<JsonNode> events = accessEvents(db, requestId);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).path("action").asText()).isEqualTo("SEARCH");
    assertThat(events.get(0).path("patientIds").toString()).contains(john).contains(jon);
    assertThat(events.get(0).toString()).doesNotContain("Smith");
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void anUnrelatedPatientIsNotQueued() throws Exception {
    String born = birthDate();
    // shares the birth date with the first, so the two are compared, but nothing else
    String first = createPatient(patientJson(uniqueName(), "Ada", "female", born, phone(), null));
    String other = createPatient(patientJson(uniqueName(), "Grace", "male", born, phone(), null));

    assertThat(count(db, "select count(*) from mpi_block_key where patient_id = ?", other))
        .as("indexed, so it was looked at")
        .isPositive();
    assertThat(
            count(
                db,
                "select count(*) from mpi_match_candidate where patient_a in (?, ?) or patient_b in (?, ?)",
                first,
                other,
                first,
                other))
        .isZero();
    given()
        .queryParam("patient", other)
        .get("/api/records/mpi/candidates")
        .then()
        .statusCode(200)
        .body("total", equalTo(0));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void notDuplicateIsRememberedAcrossALaterUpdate() throws Exception {
    String born = birthDate();
    String phone = phone();
    String family = uniqueName();
    String x = createPatient(patientJson(family, "Maria", "female", born, phone, null));
    String y = createPatient(patientJson(family, "Mariah", "female", born, phone, null));
    Map<String, Object> c = candidateOf(x, y, "open");
    assertThat(c).isNotNull();
    String id = (String) c.get("id");

    given()
        .contentType("application/json")
        .body("{}")
        .post("/api/records/mpi/candidates/" + id + "/not-duplicate")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("reason"));
    given()
        .contentType("application/json")
        .body("{\"reason\":\"twins, confirmed with the mother\"}")
        .post("/api/records/mpi/candidates/" + id + "/not-duplicate")
        .then()
        .statusCode(200)
        .body("status", equalTo("not-duplicate"))
        .body("decidedBy", equalTo("clerk"))
        .body("reason", equalTo("twins, confirmed with the mother"));

    // y moves house: re-scored (the profile has the new address), but the decision stands
    String body =
        patientJson(family, "Mariah", "female", born, phone, "9 Harbor Road")
            .replace(
                "{\"resourceType\":\"Patient\",",
                "{\"resourceType\":\"Patient\",\"id\":\"" + y + "\",");
    given()
        .contentType(FHIR)
        .header("If-Match", "W/\"1\"")
        .body(body)
        .put("/fhir/r4/Patient/" + y)
        .then()
        .statusCode(200);
    assertThat(text(db, "select cast(profile as text) from mpi_profile where patient_id = ?", y))
        .contains("9 harbor rd");
    assertThat(candidateOf(x, y, "open")).isNull();
    assertThat(candidateOf(x, y, "not-duplicate")).containsEntry("id", id);

    // a decided pair is not decided again
    given()
        .contentType("application/json")
        .body("{\"reason\":\"again\"}")
        .post("/api/records/mpi/candidates/" + id + "/not-duplicate")
        .then()
        .statusCode(409);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void anUpdateQueuesANewMatchAndClosesOneThatNoLongerHolds() throws Exception {
    String born = birthDate();
    String phone = phone();
    String family = uniqueName();
    String x = createPatient(patientJson(family, "Peter", "male", born, phone, null));
    String y = createPatient(patientJson(uniqueName(), "Paul", "male", birthDate(), null, null));
    assertThat(candidateOf(x, y, "open")).isNull();

    // a correction of y's name and birth date makes the two look alike
    String same =
        patientJson(family, "Pete", "male", born, phone, null)
            .replace(
                "{\"resourceType\":\"Patient\",",
                "{\"resourceType\":\"Patient\",\"id\":\"" + y + "\",");
    given().contentType(FHIR).body(same).put("/fhir/r4/Patient/" + y).then().statusCode(200);
    Map<String, Object> c = candidateOf(x, y, "open");
    assertThat(c).isNotNull();
    assertThat(((Map<?, ?>) ((Map<?, ?>) c.get("fields")).get("given")).get("agreement"))
        .isEqualTo("similar");

    // and the correction undone closes it again
    String apart =
        patientJson(uniqueName(), "Paul", "male", birthDate(), null, null)
            .replace(
                "{\"resourceType\":\"Patient\",",
                "{\"resourceType\":\"Patient\",\"id\":\"" + y + "\",");
    given().contentType(FHIR).body(apart).put("/fhir/r4/Patient/" + y).then().statusCode(200);
    assertThat(candidateOf(x, y, "open")).isNull();
    assertThat(candidateOf(x, y, "superseded")).isNotNull();
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void patientsRegisteredBeforeTheIndexAreBackfilled() throws Exception {
    String born = birthDate();
    String phone = phone();
    String family = uniqueName();
    String x = createPatient(patientJson(family, "Olga", "female", born, phone, null));
    String y = createPatient(patientJson(family, "Olga", "female", born, phone, null));
    assertThat(candidateOf(x, y, "open")).isNotNull();
    // as if both had been registered before V4: no profile, no keys, no queue entry
    try (var c = db.getConnection();
        var s = c.createStatement()) {
      String ids = "('" + x + "','" + y + "')";
      s.executeUpdate("delete from mpi_match_candidate where patient_a in " + ids);
      s.executeUpdate("delete from mpi_block_key where patient_id in " + ids);
      s.executeUpdate("delete from mpi_profile where patient_id in " + ids);
    }
    assertThat(candidateOf(x, y, "open")).isNull();

    while (backfill.indexBatch() > 0) {
      // until every patient has a profile
    }
    assertThat(candidateOf(x, y, "open")).isNotNull();
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void badQueueParametersAreNamed() {
    given()
        .queryParam("status", "maybe")
        .queryParam("minScore", "high")
        .queryParam("count", "-1")
        .get("/api/records/mpi/candidates")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("invalid-params.name", hasItem("status"))
        .body("invalid-params.name", hasItem("minScore"))
        .body("invalid-params.name", hasItem("count"));
    given().get("/api/records/mpi/candidates/not-a-uuid").then().statusCode(404);
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void aCoderCannotSeeTheQueueAndTheRefusalIsRecorded() throws Exception {
    String requestId = "coder-queue-" + unique();
    given()
        .header("X-Request-Id", requestId)
        .get("/api/records/mpi/candidates")
        .then()
        .statusCode(403);
    JsonNode event = MpiFixtures.JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(requestId));
    assertThat(event.path("outcome").asText()).isEqualTo("FORBIDDEN");
    assertThat(event.path("action").asText()).isEqualTo("SEARCH");
  }
}
