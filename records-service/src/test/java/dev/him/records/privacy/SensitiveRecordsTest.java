package dev.him.records.privacy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import dev.him.records.patient.PatientService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** Security labels honoured on reads, and break-the-glass for clinicians. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class SensitiveRecordsTest {
  static final String FHIR = "application/fhir+json; charset=UTF-8";
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

  @Inject AgroalDataSource db;
  @Inject PatientService patients;

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

  /** Registers a patient directly (a clinician may not register through the API). */
  String registeredPatient() {
    var requests = Arc.container().requestContext();
    boolean active = requests.isActive();
    if (!active) requests.activate();
    try {
      Patient p = new Patient();
      p.addName().setFamily("Label" + UUID.randomUUID().toString().substring(0, 6));
      return QuarkusTransaction.requiringNew().call(() -> patients.create(p).id());
    } finally {
      if (!active) requests.terminate();
    }
  }

  static String condition(String pid, String code, String label) {
    String meta =
        label == null
            ? ""
            : "\"meta\":{\"security\":[{\"system\":\""
                + ACT_CODE
                + "\",\"code\":\""
                + label
                + "\"}]},";
    return "{\"resourceType\":\"Condition\","
        + meta
        + "\"subject\":{\"reference\":\"Patient/"
        + pid
        + "\"},\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\""
        + code
        + "\"}]}}";
  }

  String[] categories(String id) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select sensitive_categories from fhir_resource where id = ?")) {
      ps.setString(1, id);
      ResultSet rs = ps.executeQuery();
      rs.next();
      java.sql.Array a = rs.getArray(1);
      return a == null ? null : (String[]) a.getArray();
    }
  }

  @Test
  @TestSecurity(
      user = "clerk",
      roles = {"him-clerk"})
  void labelledResourcesAreWithheldFromRolesThePolicyDoesNotAllowAndTheResponseSaysSo()
      throws Exception {
    String pid = registeredPatient();
    String hiv = post("Condition", condition(pid, "86406008", "HIV"));
    String plain = post("Condition", condition(pid, "38341003", null));
    assertThat(categories(hiv)).containsExactly("hiv");
    assertThat(categories(plain)).isNull();

    String requestId = "lbl-" + UUID.randomUUID();
    String body =
        given()
            .header("X-Request-Id", requestId)
            .queryParam("patient", pid)
            .get("/fhir/r4/Condition")
            .then()
            .statusCode(200)
            .body("total", equalTo(1))
            .body("entry.find { it.search.mode == 'match' }.resource.id", equalTo(plain))
            .body(
                "entry.find { it.search.mode == 'outcome' }.resource.issue[0].code",
                equalTo("suppressed"))
            .body(
                "entry.find { it.search.mode == 'outcome' }.resource.issue[0].diagnostics",
                containsString("1 matching resource(s) withheld"))
            .extract()
            .asString();
    // the notice never says which category: that would disclose it
    assertThat(body).doesNotContain("86406008").doesNotContainIgnoringCase("hiv");
    JsonNode event = JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(requestId));
    assertThat(event.path("detail").asText()).contains("withheld by security label: 1");

    given()
        .get("/fhir/r4/Condition/" + hiv)
        .then()
        .statusCode(403)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].diagnostics", containsString("security label"));

    given()
        .urlEncodingEnabled(false)
        .get("/fhir/r4/Patient/" + pid + "/$everything")
        .then()
        .statusCode(200)
        .body("entry.resource.id", not(hasItem(hiv)))
        .body("entry.resource.id", hasItem(plain))
        .body(
            "entry.find { it.search.mode == 'outcome' }.resource.issue[0].code",
            equalTo("suppressed"));
  }

  @Test
  @TestSecurity(
      user = "coder",
      roles = {"coder"})
  void theCoderSeesHivDiagnosesButNotPsychotherapyNotes() {
    String pid = registeredPatient();
    // created directly: a coder cannot write, but the record exists
    String hiv;
    String psy;
    var requests = Arc.container().requestContext();
    requests.activate();
    try {
      var store = Arc.container().instance(dev.him.records.resource.ResourceStore.class).get();
      var fhir = Arc.container().instance(dev.him.records.fhir.FhirParser.class).get();
      hiv =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      store
                          .create(
                              (org.hl7.fhir.r4.model.Resource)
                                  fhir.parse(
                                      condition(pid, "86406008", "HIV"),
                                      org.hl7.fhir.r4.model.Condition.class))
                          .id());
      psy =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      store
                          .create(
                              (org.hl7.fhir.r4.model.Resource)
                                  fhir.parse(
                                      condition(pid, "psy-note", "PSYTHPN"),
                                      org.hl7.fhir.r4.model.Condition.class))
                          .id());
    } finally {
      requests.terminate();
    }
    given().get("/fhir/r4/Condition/" + hiv).then().statusCode(200);
    given().get("/fhir/r4/Condition/" + psy).then().statusCode(403);
    given()
        .queryParam("patient", pid)
        .get("/fhir/r4/Condition")
        .then()
        .body("total", equalTo(1))
        .body("entry.find { it.search.mode == 'match' }.resource.id", equalTo(hiv));
  }

  @Test
  @TestSecurity(
      user = "dr-glass",
      roles = {"clinician"})
  void aClinicianWithoutAnEncounterNeedsToBreakTheGlassAndIsFlagged() throws Exception {
    String pid = registeredPatient();

    String refused = "btg-no-" + UUID.randomUUID();
    given()
        .header("X-Request-Id", refused)
        .get("/fhir/r4/Patient/" + pid)
        .then()
        .statusCode(403)
        .body("issue[0].expression[0]", equalTo("X-Break-Glass-Reason"))
        .body("issue[0].diagnostics", containsString("treatment relationship"));
    JsonNode denied = JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(refused));
    assertThat(denied.path("outcome").asText()).isEqualTo("FORBIDDEN");
    assertThat(denied.path("patientIds").get(0).asText()).isEqualTo(pid);

    String emergency = "btg-yes-" + UUID.randomUUID();
    given()
        .header("X-Request-Id", emergency)
        .header("X-Break-Glass-Reason", "unresponsive in the ED, allergies needed")
        .get("/fhir/r4/Patient/" + pid)
        .then()
        .statusCode(200)
        .body("id", equalTo(pid));
    JsonNode flagged = JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(emergency));
    assertThat(flagged.path("outcome").asText()).isEqualTo("SUCCESS");
    assertThat(flagged.path("purposeOfUse").asText()).isEqualTo("BTG");
    assertThat(flagged.path("detail").asText())
        .contains("break-the-glass: unresponsive in the ED, allergies needed");

    // once the clinician takes part in an encounter, no glass needs breaking
    String practitioner =
        post(
            "Practitioner",
            "{\"resourceType\":\"Practitioner\",\"identifier\":[{\"system\":"
                + "\"https://him.dev/fhir/sid/username\",\"value\":\"dr-glass\"}],"
                + "\"name\":[{\"family\":\"Glass\"}]}");
    post(
        "Encounter",
        "{\"resourceType\":\"Encounter\",\"status\":\"in-progress\",\"class\":{\"code\":\"EMER\"},"
            + "\"subject\":{\"reference\":\"Patient/"
            + pid
            + "\"},\"participant\":[{\"individual\":{\"reference\":\"Practitioner/"
            + practitioner
            + "\"}}]}");
    String treating = "btg-rel-" + UUID.randomUUID();
    given().header("X-Request-Id", treating).get("/fhir/r4/Patient/" + pid).then().statusCode(200);
    JsonNode normal = JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(treating));
    assertThat(normal.path("purposeOfUse").asText()).isNotEqualTo("BTG");
    assertThat(normal.path("detail").asText()).doesNotContain("break-the-glass");
  }

  @Test
  @TestSecurity(
      user = "dr-psy",
      roles = {"clinician"})
  void psychotherapyNotesNeedTheTreatmentPurpose() {
    String pid = registeredPatient();
    String practitioner =
        post(
            "Practitioner",
            "{\"resourceType\":\"Practitioner\",\"identifier\":[{\"system\":"
                + "\"https://him.dev/fhir/sid/username\",\"value\":\"dr-psy\"}]}");
    post(
        "Encounter",
        "{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"code\":\"AMB\"},"
            + "\"subject\":{\"reference\":\"Patient/"
            + pid
            + "\"},\"participant\":[{\"individual\":{\"reference\":\"Practitioner/"
            + practitioner
            + "\"}}]}");
    String note = post("Condition", condition(pid, "psy-note", "PSYTHPN"));
    given().get("/fhir/r4/Condition/" + note).then().statusCode(403);
    given()
        .header("X-Purpose-Of-Use", "TREAT")
        .get("/fhir/r4/Condition/" + note)
        .then()
        .statusCode(200)
        .body("meta.security[0].code", equalTo("PSYTHPN"));
  }

  @Test
  @TestSecurity(
      user = "service-account-requests-service",
      roles = {"platform-service", "roi-specialist"})
  void requestsServiceReadsTheCategoriesAReleaseMayIncludeWithItsPurpose() {
    String pid = registeredPatient();
    // created directly: the service account does not write records
    List<String> ids = new java.util.ArrayList<>();
    var requests = Arc.container().requestContext();
    requests.activate();
    try {
      var store = Arc.container().instance(dev.him.records.resource.ResourceStore.class).get();
      var fhir = Arc.container().instance(dev.him.records.fhir.FhirParser.class).get();
      for (String label : List.of("42CFRPart2", "PSYTHPN", "HIV", "GDIS", "MINOR")) {
        ids.add(
            QuarkusTransaction.requiringNew()
                .call(
                    () ->
                        store
                            .create(
                                (org.hl7.fhir.r4.model.Resource)
                                    fhir.parse(
                                        condition(pid, "c-" + label, label),
                                        org.hl7.fhir.r4.model.Condition.class))
                            .id()));
      }
    } finally {
      requests.terminate();
    }
    // with the release purpose: every category (requests-service applies the legal basis itself)
    List<String> seen =
        given()
            .urlEncodingEnabled(false)
            .header("X-Purpose-Of-Use", "RECORDMGT")
            .get("/fhir/r4/Patient/" + pid + "/$everything")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("entry.findAll { it.resource.resourceType == 'Condition' }.resource.id");
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
    // without it, psychotherapy notes stay closed to the account
    List<String> withoutPurpose =
        given()
            .urlEncodingEnabled(false)
            .get("/fhir/r4/Patient/" + pid + "/$everything")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("entry.findAll { it.resource.resourceType == 'Condition' }.resource.id");
    assertThat(withoutPurpose)
        .containsExactlyInAnyOrder(ids.get(0), ids.get(2), ids.get(3), ids.get(4));
  }
}
