package dev.him.records.mpi;

import static dev.him.records.mpi.MpiFixtures.FHIR;
import static dev.him.records.mpi.MpiFixtures.JSON;
import static dev.him.records.mpi.MpiFixtures.accessEvents;
import static dev.him.records.mpi.MpiFixtures.birthDate;
import static dev.him.records.mpi.MpiFixtures.candidateOf;
import static dev.him.records.mpi.MpiFixtures.condition;
import static dev.him.records.mpi.MpiFixtures.count;
import static dev.him.records.mpi.MpiFixtures.createPatient;
import static dev.him.records.mpi.MpiFixtures.createResource;
import static dev.him.records.mpi.MpiFixtures.encounter;
import static dev.him.records.mpi.MpiFixtures.patientJson;
import static dev.him.records.mpi.MpiFixtures.phone;
import static dev.him.records.mpi.MpiFixtures.text;
import static dev.him.records.mpi.MpiFixtures.unique;
import static dev.him.records.mpi.MpiFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merge and unmerge: clinical data moves, the old id redirects, history is kept, events go out. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class MpiMergeTest {
  @Inject AgroalDataSource db;

  String patient() {
    return createPatient(patientJson(uniqueName(), "Sam", "other", birthDate(), null, null));
  }

  Response merge(String source, String survivor, String reason, String requestId) {
    return given()
        .contentType("application/json")
        .header("X-Request-Id", requestId)
        .body(
            """
            {"sourceId":"%s","survivorId":"%s","reason":"%s"}
            """
                .formatted(source, survivor, reason))
        .post("/api/records/mpi/merges");
  }

  String mrn(String patientId) throws Exception {
    return text(db, "select mrn from patient where id = ?", patientId);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aMergeMovesTheClinicalRecordAndTheOldIdRedirects() throws Exception {
    String source = patient();
    String survivor = patient();
    String sourceMrn = mrn(source);
    String enc = createResource("Encounter", encounter(source));
    String cond = createResource("Condition", condition(source, enc));

    String requestId = "merge-" + unique();
    Response merged = merge(source, survivor, "same person, registered twice", requestId);
    merged
        .then()
        .statusCode(201)
        .header("Location", containsString("/api/records/mpi/links/"))
        .body("status", equalTo("active"))
        .body("sourceId", equalTo(source))
        .body("survivorId", equalTo(survivor))
        .body("sourceMrn", equalTo(sourceMrn))
        .body("movedResources", equalTo(2))
        .body("mergedBy", equalTo("clerk"))
        .body("reason", equalTo("same person, registered twice"));
    String linkId = merged.path("id");

    // the clinical record is the survivor's now, each resource with a new version
    given()
        .queryParam("patient", survivor)
        .get("/fhir/r4/Encounter")
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("entry[0].resource.id", equalTo(enc));
    given()
        .queryParam("patient", survivor)
        .queryParam("code", "44054006")
        .get("/fhir/r4/Condition")
        .then()
        .body("total", equalTo(1))
        .body("entry[0].resource.subject.reference", equalTo("Patient/" + survivor));
    given()
        .queryParam("patient", source)
        .get("/fhir/r4/Encounter")
        .then()
        .body("total", equalTo(0));
    given()
        .get("/fhir/r4/Encounter/" + enc + "/_history")
        .then()
        .statusCode(200)
        .body("total", equalTo(2))
        .body("entry[0].resource.meta.versionId", equalTo("2"))
        .body("entry[0].resource.subject.reference", equalTo("Patient/" + survivor))
        .body("entry[1].resource.subject.reference", equalTo("Patient/" + source));
    assertThat(
            count(
                db,
                "select count(*) from fhir_resource_version where id = ? and version_id = 2"
                    + " and reason = 'same person, registered twice'",
                cond))
        .isEqualTo(1);
    assertThat(
            count(
                db, "select count(*) from mpi_link_moved where link_id = cast(? as uuid)", linkId))
        .isEqualTo(2);

    // the old id still answers, inactive, and says where the record went
    given()
        .get("/fhir/r4/Patient/" + source)
        .then()
        .statusCode(200)
        .header("Link", containsString("/fhir/r4/Patient/" + survivor + ">; rel=\"replaced-by\""))
        .header("ETag", "W/\"2\"")
        .body("active", equalTo(false))
        .body("link[0].type", equalTo("replaced-by"))
        .body("link[0].other.reference", equalTo("Patient/" + survivor))
        // identifiers stay with the source
        .body("identifier.value", hasItem(sourceMrn));
    given()
        .get("/fhir/r4/Patient/" + survivor)
        .then()
        .statusCode(200)
        .header("Link", nullValue())
        .body("link[0].type", equalTo("replaces"))
        .body("link[0].other.reference", equalTo("Patient/" + source));
    assertThat(
            count(
                db,
                "select count(*) from patient_version where patient_id = ? and version_id = 2"
                    + " and reason = 'same person, registered twice'",
                source))
        .isEqualTo(1);

    // a clerk with the old MRN finds the source (and its link); other searches show the survivor
    given()
        .queryParam("identifier", sourceMrn)
        .get("/fhir/r4/Patient")
        .then()
        .body("total", equalTo(1))
        .body("entry[0].resource.link[0].other.reference", equalTo("Patient/" + survivor));
    String sourceFamily = text(db, "select family from patient where id = ?", source);
    given()
        .queryParam("family", sourceFamily)
        .get("/fhir/r4/Patient")
        .then()
        .body("total", equalTo(0));

    // the merged record takes no changes and no new clinical data: the survivor is named
    given()
        .contentType(FHIR)
        .body(patientJson(sourceFamily, "Sam", "other", birthDate(), null, null))
        .put("/fhir/r4/Patient/" + source)
        .then()
        .statusCode(409)
        .body("issue[0].diagnostics", containsString("Patient/" + survivor));
    given()
        .contentType(FHIR)
        .body(encounter(source))
        .post("/fhir/r4/Encounter")
        .then()
        .statusCode(409)
        .body("issue[0].expression[0]", equalTo("Encounter.subject"))
        .body("issue[0].diagnostics", containsString("Patient/" + survivor));

    // downstream systems are told, keyed by the survivor
    JsonNode event =
        JSON.readTree(new OutboxProbe(db).awaitEvent("PatientMerged", "linkId", linkId));
    assertThat(event.path("sourcePatientId").asText()).isEqualTo(source);
    assertThat(event.path("survivorPatientId").asText()).isEqualTo(survivor);
    assertThat(event.path("sourceMrn").asText()).isEqualTo(sourceMrn);
    assertThat(event.path("movedResources").asInt()).isEqualTo(2);
    assertThat(event.path("decidedBy").asText()).isEqualTo("clerk");
    assertThat(event.path("correlationId").asText()).isEqualTo(requestId);
    assertThat(
            text(
                db,
                "select event_key from outbox_event where event_type = 'PatientMerged'"
                    + " and payload->>'linkId' = ?",
                linkId))
        .isEqualTo(survivor);
    // and the change to both patients is in the access log
    List<JsonNode> access = accessEvents(db, requestId);
    assertThat(access).extracting(e -> e.path("action").asText()).containsOnly("UPDATE");
    assertThat(access).extracting(e -> e.path("resourceId").asText()).contains(source, survivor);
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void anUnmergeRestoresBothRecordsAndIsPublished() throws Exception {
    String source = patient();
    String survivor = patient();
    String enc = createResource("Encounter", encounter(source));
    createResource("Condition", condition(source, enc));
    String linkId = merge(source, survivor, "duplicate registration", "m-" + unique()).path("id");
    // recorded on the survivor after the merge: stays there
    String later = createResource("Encounter", encounter(survivor));

    String requestId = "unmerge-" + unique();
    given()
        .contentType("application/json")
        .header("X-Request-Id", requestId)
        .body("{\"reason\":\"different people: mother and daughter\"}")
        .post("/api/records/mpi/links/" + linkId + "/unmerge")
        .then()
        .statusCode(200)
        .body("status", equalTo("undone"))
        .body("undoneBy", equalTo("admin"))
        .body("undoReason", equalTo("different people: mother and daughter"))
        .body("restoredResources", equalTo(2));

    given()
        .queryParam("patient", source)
        .get("/fhir/r4/Encounter")
        .then()
        .body("total", equalTo(1))
        .body("entry[0].resource.id", equalTo(enc))
        .body("entry[0].resource.meta.versionId", equalTo("3"));
    given()
        .queryParam("patient", survivor)
        .get("/fhir/r4/Encounter")
        .then()
        .body("total", equalTo(1))
        .body("entry[0].resource.id", equalTo(later));
    given()
        .queryParam("patient", source)
        .get("/fhir/r4/Condition")
        .then()
        .body("total", equalTo(1));
    given()
        .get("/fhir/r4/Patient/" + source)
        .then()
        .statusCode(200)
        .header("Link", nullValue())
        .header("ETag", "W/\"3\"")
        .body("active", nullValue())
        .body("link", nullValue());
    given().get("/fhir/r4/Patient/" + survivor).then().body("link", nullValue());
    // the source takes changes again
    given()
        .contentType(FHIR)
        .body(patientJson(uniqueName(), "Sam", "other", birthDate(), null, null))
        .put("/fhir/r4/Patient/" + source)
        .then()
        .statusCode(200);

    JsonNode event =
        JSON.readTree(new OutboxProbe(db).awaitEvent("PatientUnmerged", "linkId", linkId));
    assertThat(event.path("sourcePatientId").asText()).isEqualTo(source);
    assertThat(event.path("survivorPatientId").asText()).isEqualTo(survivor);
    assertThat(event.path("restoredResources").asInt()).isEqualTo(2);
    assertThat(event.path("reason").asText()).isEqualTo("different people: mother and daughter");
    assertThat(event.path("correlationId").asText()).isEqualTo(requestId);

    // the link history keeps both the merge and its undoing; the pair is remembered
    given()
        .queryParam("patient", source)
        .get("/api/records/mpi/links")
        .then()
        .statusCode(200)
        .body("size()", equalTo(1))
        .body("[0].id", equalTo(linkId))
        .body("[0].status", equalTo("undone"))
        .body("[0].mergedBy", equalTo("admin"))
        .body("[0].reason", equalTo("duplicate registration"));
    assertThat(candidateOf(source, survivor, "not-duplicate")).isNotNull();

    // a second unmerge of the same link
    given()
        .contentType("application/json")
        .body("{\"reason\":\"again\"}")
        .post("/api/records/mpi/links/" + linkId + "/unmerge")
        .then()
        .statusCode(409)
        .body("detail", containsString("undone by admin"));
    // and it can be merged again: the old link is history, not an obstacle
    merge(source, survivor, "after all the same", "m2-" + unique()).then().statusCode(201);
    given()
        .queryParam("patient", survivor)
        .get("/api/records/mpi/links")
        .then()
        .body("size()", equalTo(2))
        .body("status", hasItem("active"))
        .body("status", hasItem("undone"));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aPatientCannotBeMergedIntoItself() throws Exception {
    String p = patient();
    merge(p, p, "oops", "self-" + unique())
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("invalid-params[0].name", equalTo("survivorId"));
    assertThat(count(db, "select count(*) from mpi_link where source_id = ?", p)).isZero();
    assertThat(count(db, "select version_id from patient where id = ?", p)).isEqualTo(1);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aSourceHasOneSurvivorAndAMergedRecordIsNoSurvivor() throws Exception {
    String source = patient();
    String survivor = patient();
    String third = patient();
    merge(source, survivor, "duplicate", "m-" + unique()).then().statusCode(201);

    merge(source, third, "duplicate again", "m-" + unique())
        .then()
        .statusCode(409)
        .body("detail", containsString("already merged into Patient/" + survivor))
        .body("invalid-params[0].name", equalTo("sourceId"));
    merge(third, source, "into the merged one", "m-" + unique())
        .then()
        .statusCode(409)
        .body("invalid-params[0].name", equalTo("survivorId"))
        .body("detail", containsString("merge into Patient/" + survivor + " instead"));
    assertThat(
            count(
                db,
                "select count(*) from mpi_link where source_id = ? and status = 'active'",
                source))
        .isEqualTo(1);
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void neitherSideOfAnActiveMergeCanBeDeleted() throws Exception {
    String source = patient();
    String survivor = patient();
    merge(source, survivor, "duplicate", "m-" + unique()).then().statusCode(201);
    given()
        .delete("/fhir/r4/Patient/" + source)
        .then()
        .statusCode(409)
        .body("issue[0].diagnostics", containsString("Patient/" + survivor));
    given()
        .delete("/fhir/r4/Patient/" + survivor)
        .then()
        .statusCode(409)
        .body("issue[0].diagnostics", containsString("unmerge"));
    assertThat(
            count(
                db,
                "select count(*) from patient where id in (?, ?) and deleted_at is not null",
                source,
                survivor))
        .isZero();
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aQueuedPairIsMergedWithTheSurvivorTheClerkChose() throws Exception {
    String born = birthDate();
    String phone = phone();
    String family = uniqueName();
    String x = createPatient(patientJson(family, "Nora", "female", born, phone, null));
    String y = createPatient(patientJson(family, "Norah", "female", born, phone, null));
    String candidate = (String) candidateOf(x, y, "open").get("id");
    String stranger = patient();

    given()
        .contentType("application/json")
        .body("{\"survivorId\":\"" + stranger + "\",\"reason\":\"same\"}")
        .post("/api/records/mpi/candidates/" + candidate + "/merge")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("survivorId"));
    given()
        .contentType("application/json")
        .body("{\"survivorId\":\"" + x + "\",\"reason\":\"same\",\"surivor\":\"typo\"}")
        .post("/api/records/mpi/candidates/" + candidate + "/merge")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("surivor"));
    String linkId =
        given()
            .contentType("application/json")
            .body("{\"survivorId\":\"" + x + "\",\"reason\":\"same person, name misspelt\"}")
            .post("/api/records/mpi/candidates/" + candidate + "/merge")
            .then()
            .statusCode(201)
            .body("sourceId", equalTo(y))
            .body("survivorId", equalTo(x))
            .body("candidateId", equalTo(candidate))
            .extract()
            .path("id");
    given()
        .get("/api/records/mpi/candidates/" + candidate)
        .then()
        .statusCode(200)
        .body("status", equalTo("duplicate"))
        .body("decidedBy", equalTo("clerk"))
        .body("reason", equalTo("same person, name misspelt"));
    given()
        .get("/api/records/mpi/links/" + linkId)
        .then()
        .statusCode(200)
        .body("sourceId", equalTo(y));
    given()
        .contentType("application/json")
        .body("{\"survivorId\":\"" + x + "\",\"reason\":\"again\"}")
        .post("/api/records/mpi/candidates/" + candidate + "/merge")
        .then()
        .statusCode(409);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void mergeLinksAreTheIndexsOwnNotAClients() throws Exception {
    String source = patient();
    String survivor = patient();
    // a client cannot register a merge that did not happen
    String faked =
        patientJson(uniqueName(), "Sam", "other", birthDate(), null, null)
            .replace(
                "\"gender\"",
                "\"link\":[{\"type\":\"replaced-by\",\"other\":{\"reference\":\"Patient/"
                    + survivor
                    + "\"}}],\"gender\"");
    given()
        .contentType(FHIR)
        .body(faked)
        .post("/fhir/r4/Patient")
        .then()
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("Patient.link[0]"));
    merge(source, survivor, "duplicate", "m-" + unique()).then().statusCode(201);

    // an update of the survivor that leaves the link out keeps it: only an unmerge removes it
    String family = uniqueName();
    given()
        .contentType(FHIR)
        .body(patientJson(family, "Sam", "other", birthDate(), null, null))
        .put("/fhir/r4/Patient/" + survivor)
        .then()
        .statusCode(200)
        .body("name[0].family", equalTo(family))
        .body("link[0].type", equalTo("replaces"))
        .body("link[0].other.reference", equalTo("Patient/" + source));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void badMergeRequestsAreNamed() {
    String p = patient();
    given()
        .contentType("application/json")
        .body("{\"sourceId\":\"" + p + "\"}")
        .post("/api/records/mpi/merges")
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("survivorId"))
        .body("invalid-params.name", hasItem("reason"));
    merge("no-such-patient", p, "x", "m-" + unique())
        .then()
        .statusCode(404)
        .body("invalid-params[0].name", equalTo("sourceId"));
    given().get("/api/records/mpi/links").then().statusCode(400);
    given()
        .contentType("application/json")
        .body("{\"reason\":\"x\"}")
        .post("/api/records/mpi/links/00000000-0000-0000-0000-000000000000/unmerge")
        .then()
        .statusCode(403); // a clerk may merge, only an administrator unmerges
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void aCoderCannotMerge() throws Exception {
    String requestId = "coder-merge-" + unique();
    merge("a", "b", "no", requestId).then().statusCode(403).contentType("application/problem+json");
    JsonNode event = JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(requestId));
    assertThat(event.path("outcome").asText()).isEqualTo("FORBIDDEN");
    assertThat(event.path("action").asText()).isEqualTo("UPDATE");
    assertThat(count(db, "select count(*) from mpi_link where source_id = 'a'")).isZero();
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aMergedSurvivorMustBeUnmergedFirst() throws Exception {
    String a = patient();
    String b = patient();
    String c = patient();
    String ab = merge(a, b, "dup", "m-" + unique()).path("id");
    merge(b, c, "dup too", "m-" + unique())
        .then()
        .statusCode(201)
        .body("movedResources", equalTo(0));
    given()
        .get("/fhir/r4/Patient/" + a)
        .then()
        .header("Link", endsWith("/Patient/" + b + ">; rel=\"replaced-by\""));
    given()
        .contentType("application/json")
        .body("{\"reason\":\"wrong\"}")
        .post("/api/records/mpi/links/" + ab + "/unmerge")
        .then()
        .statusCode(409)
        .body("detail", containsString("Patient/" + c))
        .body("detail", not(containsString("unknown")));
  }
}
