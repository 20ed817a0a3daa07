package dev.him.records.bundle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Batch bundles, updates and deletes inside transactions, logical delete and _include. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class BatchAndUpdateBundleTest {
  static final String FHIR = "application/fhir+json; charset=UTF-8";

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
        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Batch"
            + UUID.randomUUID().toString().substring(0, 6)
            + "\"}]}");
  }

  static String condition(String pid, String code) {
    return "{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/"
        + pid
        + "\"},\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\""
        + code
        + "\"}]}}";
  }

  Response bundle(String json) {
    return given().contentType(FHIR).body(json).post("/fhir/r4");
  }

  int rows(String sql, String arg) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      ResultSet rs = ps.executeQuery();
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-admin"})
  void aBatchAppliesEachEntryOnItsOwnAndReportsEachFailure() throws Exception {
    String pid = patient();
    String code = "batch-" + UUID.randomUUID();
    Response r =
        bundle(
            """
            {"resourceType":"Bundle","type":"batch","entry":[
              {"resource":%s,"request":{"method":"POST","url":"Condition"}},
              {"resource":{"resourceType":"Condition","subject":{"reference":"urn:uuid:nowhere"}},
               "request":{"method":"POST","url":"Condition"}},
              {"request":{"method":"GET","url":"Patient/%s"}},
              {"request":{"method":"GET","url":"Condition/no-such-id"}}
            ]}
            """
                .formatted(condition(pid, code), pid));
    r.then()
        .statusCode(200)
        .body("type", equalTo("batch-response"))
        .body("entry", hasSize(4))
        .body("entry[0].response.status", equalTo("201 Created"))
        .body("entry[0].response.location", containsString("Condition/"))
        .body("entry[1].response.status", containsString("400"))
        .body("entry[1].response.outcome.resourceType", equalTo("OperationOutcome"))
        .body("entry[1].response.outcome.issue[0].diagnostics", containsString("urn:uuid:nowhere"))
        .body("entry[2].response.status", equalTo("200 OK"))
        .body("entry[2].resource.id", equalTo(pid))
        .body("entry[3].response.status", containsString("404"));
    // the good entry stayed although others failed
    given()
        .queryParam("code", code)
        .get("/fhir/r4/Condition")
        .then()
        .statusCode(200)
        .body("total", equalTo(1));
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-admin"})
  void aTransactionUpdatesAndDeletesAllOrNothing() throws Exception {
    String pid = patient();
    String keep = post("Condition", condition(pid, "keep"));
    String drop = post("Condition", condition(pid, "drop"));
    String createdCode = "tx-" + UUID.randomUUID();
    String tx =
        """
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"resource":%s,"request":{"method":"PUT","url":"Condition/%s","ifMatch":"W/\\"%s\\""}},
          {"request":{"method":"DELETE","url":"Condition/%s"}},
          {"fullUrl":"urn:uuid:11111111-1111-1111-1111-111111111111","resource":%s,
           "request":{"method":"POST","url":"Condition"}}
        ]}
        """;
    String updated =
        condition(pid, "kept-and-changed")
            .replace("{\"resourceType\"", "{\"id\":\"" + keep + "\",\"resourceType\"");
    // a stale If-Match on the update refuses the whole transaction: nothing is deleted or created
    bundle(tx.formatted(updated, keep, 7, drop, condition(pid, createdCode)))
        .then()
        .statusCode(412)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].diagnostics", containsString("Bundle.entry[0]"));
    given().get("/fhir/r4/Condition/" + drop).then().statusCode(200);
    assertThat(rows("select count(*) from fhir_search_index where token_code = ?", createdCode))
        .isZero();
    assertThat(
            rows(
                "select count(*) from fhir_resource_version where resource_type = 'Condition' and id = ?",
                keep))
        .isEqualTo(1);

    // with the right version it all happens
    bundle(tx.formatted(updated, keep, 1, drop, condition(pid, createdCode)))
        .then()
        .statusCode(200)
        .body("type", equalTo("transaction-response"))
        .body("entry[0].response.status", equalTo("200 OK"))
        .body("entry[0].response.etag", equalTo("W/\"2\""))
        .body("entry[1].response.status", equalTo("204 No Content"))
        .body("entry[2].response.status", equalTo("201 Created"));
    given()
        .get("/fhir/r4/Condition/" + keep)
        .then()
        .statusCode(200)
        .body("code.coding[0].code", equalTo("kept-and-changed"));
    given().get("/fhir/r4/Condition/" + drop).then().statusCode(410);
    given()
        .queryParam("code", createdCode)
        .get("/fhir/r4/Condition")
        .then()
        .body("total", equalTo(1));
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-admin"})
  void aDeleteIsLogicalAndKeptInHistory() {
    String pid = patient();
    String id = post("Condition", condition(pid, "to-delete"));
    given()
        .header("X-Change-Reason", "entered in error")
        .delete("/fhir/r4/Condition/" + id)
        .then()
        .statusCode(204);
    given().get("/fhir/r4/Condition/" + id).then().statusCode(410);
    given().queryParam("patient", pid).get("/fhir/r4/Condition").then().body("total", equalTo(0));
    // deleting twice changes nothing
    given().delete("/fhir/r4/Condition/" + id).then().statusCode(204);
    given()
        .get("/fhir/r4/Condition/" + id + "/_history/2")
        .then()
        .statusCode(200)
        .body("code.coding[0].code", equalTo("to-delete"));
    given().delete("/fhir/r4/Condition/unknown-" + id).then().statusCode(404);
  }

  @Test
  @TestSecurity(
      user = "clerk",
      roles = {"him-clerk"})
  void onlyAnAdministratorDeletes() {
    String pid = patient();
    String id = post("Condition", condition(pid, "clerk-cannot-delete"));
    given().delete("/fhir/r4/Condition/" + id).then().statusCode(403);
    given().get("/fhir/r4/Condition/" + id).then().statusCode(200);
  }

  @Test
  @TestSecurity(
      user = "clerk",
      roles = {"him-clerk"})
  void includeReturnsThePatientOfTheMatchesOnce() {
    String pid = patient();
    post("Condition", condition(pid, "inc-a"));
    post("Condition", condition(pid, "inc-b"));
    given()
        .queryParam("patient", pid)
        .queryParam("_include", "Condition:patient")
        .get("/fhir/r4/Condition")
        .then()
        .statusCode(200)
        .body("total", equalTo(2))
        .body("entry", hasSize(3))
        .body(
            "entry.findAll { it.search.mode == 'include' }.resource.id",
            equalTo(java.util.List.of(pid)))
        .body(
            "entry.findAll { it.search.mode == 'match' }.resource.resourceType",
            hasItem("Condition"));
    given()
        .queryParam("patient", pid)
        .queryParam("_include", "Condition:encounter")
        .get("/fhir/r4/Condition")
        .then()
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("_include"));
    // without _include the patient is not returned
    given()
        .queryParam("patient", pid)
        .get("/fhir/r4/Condition")
        .then()
        .body("entry.find { it.search.mode == 'include' }", nullValue());
  }
}
