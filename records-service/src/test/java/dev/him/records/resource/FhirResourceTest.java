package dev.him.records.resource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class FhirResourceTest {
  static final String FHIR = "application/fhir+json; charset=UTF-8";
  static final ObjectMapper JSON = new ObjectMapper();

  @Inject AgroalDataSource db;

  String post(String type, String body) {
    return given()
        .contentType(FHIR)
        .body(body)
        .post("/fhir/r4/" + type)
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  String patient() {
    return post(
        "Patient",
        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Enc"
            + UUID.randomUUID().toString().substring(0, 6)
            + "\"}]}");
  }

  @Test
  @TestSecurity(
      user = "clinician",
      roles = {"clinician", "him-clerk"})
  void encountersAndConditionsAreStoredVersionedAndSearchable() throws Exception {
    String pid = patient();
    String requestId = "enc-" + UUID.randomUUID();
    String enc =
        given()
            .contentType(FHIR)
            .header("X-Request-Id", requestId)
            .body(
                """
                {"resourceType":"Encounter","status":"finished",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},
                 "subject":{"reference":"Patient/%s"},
                 "period":{"start":"2026-03-01T08:00:00Z","end":"2026-03-04T12:00:00Z"}}
                """
                    .formatted(pid))
            .post("/fhir/r4/Encounter")
            .then()
            .statusCode(201)
            .header("Location", containsString("/fhir/r4/Encounter/"))
            .header("ETag", "W/\"1\"")
            .body("meta.versionId", equalTo("1"))
            .extract()
            .path("id");
    String cond =
        post(
            "Condition",
            """
        {"resourceType":"Condition","subject":{"reference":"Patient/%s"},"encounter":{"reference":"Encounter/%s"},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes"}]},
         "onsetDateTime":"2026-03-02"}
        """
                .formatted(pid, enc));

    given()
        .get("/fhir/r4/Encounter/" + enc)
        .then()
        .statusCode(200)
        .body("subject.reference", equalTo("Patient/" + pid));
    given()
        .queryParam("patient", pid)
        .queryParam("date", "2026-03-03")
        .get("/fhir/r4/Encounter")
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("entry[0].resource.id", equalTo(enc))
        .body("entry[0].fullUrl", endsWith("/fhir/r4/Encounter/" + enc));
    given()
        .queryParam("patient", "Patient/" + pid)
        .queryParam("class", "IMP")
        .queryParam("status", "finished")
        .get("/fhir/r4/Encounter")
        .then()
        .body("total", equalTo(1));
    given()
        .queryParam("patient", pid)
        .queryParam("date", "ge2026-03-05")
        .get("/fhir/r4/Encounter")
        .then()
        .body("total", equalTo(0));
    given()
        .queryParam("code", "http://snomed.info/sct|44054006")
        .queryParam("patient", pid)
        .get("/fhir/r4/Condition")
        .then()
        .body("total", equalTo(1))
        .body("entry[0].resource.id", equalTo(cond));
    given().queryParam("encounter", enc).get("/fhir/r4/Condition").then().body("total", equalTo(1));

    // update: a new version, the old one kept
    given()
        .contentType(FHIR)
        .header("If-Match", "W/\"1\"")
        .body(
            """
            {"resourceType":"Encounter","id":"%s","status":"cancelled","class":{"code":"IMP"},
             "subject":{"reference":"Patient/%s"}}
            """
                .formatted(enc, pid))
        .put("/fhir/r4/Encounter/" + enc)
        .then()
        .statusCode(200)
        .header("ETag", "W/\"2\"")
        .body("status", equalTo("cancelled"));
    given()
        .contentType(FHIR)
        .header("If-Match", "W/\"1\"")
        .body(
            "{\"resourceType\":\"Encounter\",\"id\":\""
                + enc
                + "\",\"status\":\"finished\",\"class\":{\"code\":\"IMP\"}}")
        .put("/fhir/r4/Encounter/" + enc)
        .then()
        .statusCode(412);
    given()
        .get("/fhir/r4/Encounter/" + enc + "/_history/1")
        .then()
        .statusCode(200)
        .body("status", equalTo("finished"));
    given()
        .get("/fhir/r4/Encounter/" + enc + "/_history")
        .then()
        .statusCode(200)
        .body("total", equalTo(2))
        .body("entry[0].request.method", equalTo("PUT"));
    given()
        .queryParam("patient", pid)
        .queryParam("status", "finished")
        .get("/fhir/r4/Encounter")
        .then()
        .body("total", equalTo(0));

    // the discharge also wrote domain events with this correlation id: pick the access event
    JsonNode event =
        JSON.readTree(new OutboxProbe(db).awaitEvent("AccessEvent", "correlationId", requestId));
    assertThat(event.path("resourceType").asText()).isEqualTo("Encounter");
    assertThat(event.path("patientIds").get(0).asText()).isEqualTo(pid);
  }

  @Test
  @TestSecurity(user = "clinician", roles = "clinician")
  void otherTypesAreStoredAndReadableAndBadInputIsNamed() {
    String claim =
        post("Claim", "{\"resourceType\":\"Claim\",\"status\":\"active\",\"use\":\"claim\"}");
    given().get("/fhir/r4/Claim/" + claim).then().statusCode(200).body("status", equalTo("active"));
    given()
        .contentType(FHIR)
        .body("{\"resourceType\":\"Encounter\"}")
        .post("/fhir/r4/Widget")
        .then()
        .statusCode(404)
        .body("resourceType", equalTo("OperationOutcome"));
    given()
        .contentType(FHIR)
        .body("{\"resourceType\":\"Condition\"}")
        .post("/fhir/r4/Encounter")
        .then()
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("resourceType"));
    given()
        .queryParam("colour", "red")
        .get("/fhir/r4/Encounter")
        .then()
        .statusCode(400)
        .body("issue.expression.flatten()", hasItem("colour"));
    given()
        .queryParam("code", "x")
        .get("/fhir/r4/Claim")
        .then()
        .statusCode(400)
        .body("issue[0].diagnostics", containsString("not a supported search parameter"));
    given().get("/fhir/r4/Encounter/nope").then().statusCode(404);
  }

  @Test
  @TestSecurity(
      user = "clerk",
      roles = {"him-clerk", "clinician"})
  void everythingMetadataAndConditionalCreate() {
    String ssn = "cc-" + UUID.randomUUID();
    String body =
        "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:ssn\",\"value\":\""
            + ssn
            + "\"}],\"name\":[{\"family\":\"Everything\"}]}";
    String pid =
        given()
            .contentType(FHIR)
            .header("If-None-Exist", "identifier=urn:ssn|" + ssn)
            .body(body)
            .post("/fhir/r4/Patient")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    given()
        .contentType(FHIR)
        .header("If-None-Exist", "identifier=urn:ssn|" + ssn)
        .body(body)
        .post("/fhir/r4/Patient")
        .then()
        .statusCode(200)
        .body("id", equalTo(pid));
    given()
        .queryParam("identifier", "urn:ssn|" + ssn)
        .get("/fhir/r4/Patient")
        .then()
        .body("total", equalTo(1));

    String enc =
        post(
            "Encounter",
            "{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"code\":\"AMB\"},"
                + "\"subject\":{\"reference\":\"Patient/"
                + pid
                + "\"}}");
    post(
        "Observation",
        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"BP\"},"
            + "\"subject\":{\"reference\":\"Patient/"
            + pid
            + "\"},\"encounter\":{\"reference\":\"Encounter/"
            + enc
            + "\"}}");
    given()
        .urlEncodingEnabled(false)
        .get("/fhir/r4/Patient/" + pid + "/$everything")
        .then()
        .statusCode(200)
        .body("total", equalTo(3))
        .body("entry[0].resource.resourceType", equalTo("Patient"))
        .body("entry.resource.resourceType", hasItem("Encounter"))
        .body("entry.resource.resourceType", hasItem("Observation"));

    given()
        .get("/fhir/r4/metadata")
        .then()
        .statusCode(200)
        .body("resourceType", equalTo("CapabilityStatement"))
        .body("fhirVersion", equalTo("4.0.1"))
        .body("rest[0].interaction.code", hasItem("transaction"))
        .body("rest[0].resource.find { it.type == 'Patient' }.conditionalCreate", equalTo(true))
        .body("rest[0].resource.find { it.type == 'Encounter' }.searchParam.name", hasItem("date"))
        .body("rest[0].resource.find { it.type == 'Condition' }.searchParam.name", hasItem("code"));
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void aCoderReadsButDoesNotWrite() {
    given()
        .contentType(FHIR)
        .body(
            "{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"code\":\"AMB\"}}")
        .post("/fhir/r4/Encounter")
        .then()
        .statusCode(403);
    given().queryParam("status", "finished").get("/fhir/r4/Encounter").then().statusCode(200);
  }
}
