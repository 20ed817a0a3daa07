package dev.him.records.patient;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.KafkaTopicReader;
import dev.him.infra.testing.OutboxProbe;
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
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class PatientResourceTest {
  static final String FHIR = "application/fhir+json";
  static final String FHIR_UTF8 = "application/fhir+json; charset=UTF-8";
  static final ObjectMapper JSON = new ObjectMapper();

  @Inject AgroalDataSource db;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  static String patient(String family, String given, String birthDate, String mrnLike) {
    return """
        {"resourceType":"Patient",
         "identifier":[{"system":"urn:oid:2.16.840.1.113883.4.1","value":"%s"}],
         "name":[{"use":"official","family":"%s","given":["%s"]}],
         "gender":"female","birthDate":"%s",
         "address":[{"line":["1 Main St"],"city":"Boston","state":"MA"}]}
        """
        .formatted(mrnLike, family, given, birthDate);
  }

  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  Response create(String body, String requestId) {
    return given()
        .contentType(FHIR_UTF8)
        .header("X-Request-Id", requestId)
        .body(body)
        .post("/fhir/r4/Patient");
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void createReturnsTheStoredPatientWithLocationVersionAndMrn() throws Exception {
    String ssn = "999-" + unique();
    String requestId = "req-" + unique();
    Response created = create(patient("Müller", "Anna", "1980-02-29", ssn), requestId);
    created
        .then()
        .statusCode(201)
        .header("Location", containsString("/fhir/r4/Patient/"))
        .header("Location", endsWith("/_history/1"))
        .header("ETag", "W/\"1\"")
        .header("X-Request-Id", requestId)
        .contentType(containsString(FHIR))
        .body("resourceType", equalTo("Patient"))
        .body("meta.versionId", equalTo("1"))
        .body("name[0].family", equalTo("Müller"))
        .body("identifier.system", hasItem("https://him.dev/fhir/sid/mrn"))
        .body(
            "identifier.find { it.system == 'https://him.dev/fhir/sid/mrn' }.value",
            notNullValue());
    String id = created.path("id");

    // the row, its first version and its identifiers are stored
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select p.family, p.birth_date, (select count(*) from patient_version v where v.patient_id = p.id),"
                    + " (select count(*) from patient_identifier i where i.patient_id = p.id)"
                    + " from patient p where p.id = ?")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("Müller");
      assertThat(rs.getString(2)).isEqualTo("1980-02-29");
      assertThat(rs.getInt(3)).isEqualTo(1);
      assertThat(rs.getInt(4)).isEqualTo(2); // SSN + MRN
    }

    // the access was written to the outbox in the same transaction, then relayed to Kafka
    JsonNode event = awaitPublishedEvent(id, "CREATE");
    assertThat(event.path("actor").path("username").asText()).isEqualTo("clerk");
    assertThat(event.path("actor").path("roles").toString()).contains("him-clerk");
    assertThat(event.path("correlationId").asText()).isEqualTo(requestId);
    assertThat(event.path("outcome").asText()).isEqualTo("SUCCESS");
    assertThat(event.path("sourceService").asText()).isEqualTo("records-service");
    assertThat(event.toString()).doesNotContain("Müller");
    assertThat(kafkaEventIds()).contains(event.path("eventId").asText());

    // downstream systems are told of the registration, with identifiers only
    JsonNode registered =
        JSON.readTree(new OutboxProbe(db).awaitEvent("PatientRegistered", "patientId", id));
    assertThat(registered.path("mrn").asText()).startsWith("MRN");
    assertThat(registered.path("registeredBy").asText()).isEqualTo("clerk");
    assertThat(registered.path("correlationId").asText()).isEqualTo(requestId);
    assertThat(registered.toString()).doesNotContain("Müller").doesNotContain("1980-02-29");
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void readReturnsTheSameContentAndRecordsTheRead() throws Exception {
    Response created =
        create(patient("Okafor", "Chidi", "1975-06-01", "ssn-" + unique()), "r1-" + unique());
    String id = created.path("id");
    given()
        .header("X-Request-Id", "read-" + id)
        .get("/fhir/r4/Patient/" + id)
        .then()
        .statusCode(200)
        .header("ETag", "W/\"1\"")
        .body("id", equalTo(id))
        .body("name[0].family", equalTo("Okafor"))
        .body("birthDate", equalTo("1975-06-01"))
        .body("identifier.size()", equalTo(2));
    JsonNode event = awaitPublishedEvent(id, "READ");
    assertThat(event.path("correlationId").asText()).isEqualTo("read-" + id);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void readOfUnknownPatientIs404OperationOutcome() {
    given()
        .get("/fhir/r4/Patient/does-not-exist")
        .then()
        .statusCode(404)
        .contentType(containsString(FHIR))
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("not-found"));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void searchFindsByIdentifierNameAndBirthdate() throws Exception {
    String tag = unique();
    String ssn = "ssn-" + tag;
    String family = "Zz" + tag;
    String id = create(patient(family, "José", "1990-01-15", ssn), "s-" + tag).path("id");
    create(patient(family, "Maria", "1991-03-03", "ssn2-" + tag), "s2-" + tag);

    given()
        .queryParam("identifier", "urn:oid:2.16.840.1.113883.4.1|" + ssn)
        .get("/fhir/r4/Patient")
        .then()
        .statusCode(200)
        .body("resourceType", equalTo("Bundle"))
        .body("type", equalTo("searchset"))
        .body("total", equalTo(1))
        .body("entry[0].resource.id", equalTo(id))
        .body("entry[0].fullUrl", endsWith("/fhir/r4/Patient/" + id));

    // prefix, case and accents ignored
    given()
        .queryParam("name", family.toLowerCase())
        .queryParam("given", "jose")
        .get("/fhir/r4/Patient")
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("entry[0].resource.id", equalTo(id));

    given()
        .queryParam("family", family)
        .queryParam("birthdate", "1990-01-15")
        .get("/fhir/r4/Patient")
        .then()
        .statusCode(200)
        .body("total", equalTo(1));
    given()
        .queryParam("family", family)
        .queryParam("birthdate", "ge1990-06-01")
        .get("/fhir/r4/Patient")
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("entry[0].resource.name[0].given[0]", equalTo("Maria"));

    // paging: one per page, with a next link
    Response page1 =
        given().queryParam("family", family).queryParam("_count", 1).get("/fhir/r4/Patient");
    page1
        .then()
        .statusCode(200)
        .body("total", equalTo(2))
        .body("entry.size()", equalTo(1))
        .body("link.find { it.relation == 'next' }.url", containsString("_offset=1"));

    JsonNode event = awaitPublishedEvent(id, "SEARCH");
    assertThat(event.path("detail").asText()).contains("identifier").doesNotContain(ssn);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void badSearchParametersAreNamed() {
    given()
        .queryParam("birthdate", "yesterday")
        .queryParam("nmae", "x")
        .get("/fhir/r4/Patient")
        .then()
        .statusCode(400)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue.expression.flatten()", hasItem("birthdate"))
        .body("issue.expression.flatten()", hasItem("nmae"));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void malformedJsonWrongTypeAndInvalidFieldsAre400WithOperationOutcome() {
    given()
        .contentType(FHIR)
        .body("{\"resourceType\":\"Patient\", \"name\": [")
        .post("/fhir/r4/Patient")
        .then()
        .statusCode(400)
        .contentType(containsString(FHIR))
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].severity", equalTo("error"))
        .body("issue[0].diagnostics", containsString("Malformed JSON at line 1"));

    given()
        .contentType(FHIR)
        .body("{\"resourceType\":\"Observation\",\"status\":\"final\"}")
        .post("/fhir/r4/Patient")
        .then()
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("resourceType"))
        .body("issue[0].diagnostics", containsString("Observation"));

    given()
        .contentType(FHIR)
        .body(
            "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"X\"}],\"gender\":\"maybe\",\"birthDate\":\"01/02/1990\",\"favouriteColour\":\"red\"}")
        .post("/fhir/r4/Patient")
        .then()
        .statusCode(400)
        .body("issue.diagnostics.flatten()", hasItem(containsString("maybe")))
        .body("issue.expression.flatten()", hasItem(containsString("favouriteColour")))
        .body("issue.expression.flatten()", hasItem(containsString("birthDate")))
        .body(not(containsString("Exception")))
        .body(not(containsString("ca.uhn")));

    given()
        .contentType(FHIR)
        .body("{\"resourceType\":\"Patient\",\"gender\":\"male\"}")
        .post("/fhir/r4/Patient")
        .then()
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("Patient.name"));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void anIdentifierBelongsToOnePatient() {
    String ssn = "dup-" + unique();
    create(patient("First", "A", "1970-01-01", ssn), "d1").then().statusCode(201);
    create(patient("Second", "B", "1971-01-01", ssn), "d2")
        .then()
        .statusCode(409)
        .body("issue[0].code", equalTo("conflict"))
        .body("issue[0].expression[0]", equalTo("Patient.identifier[0]"));
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void coderCannotRegisterAndTheRefusalIsRecorded() throws Exception {
    String requestId = "forbidden-" + unique();
    create(patient("Nope", "N", "1970-01-01", "x-" + unique()), requestId)
        .then()
        .statusCode(403)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("forbidden"));
    JsonNode event = awaitOutboxEvent(requestId);
    assertThat(event.path("outcome").asText()).isEqualTo("FORBIDDEN");
    assertThat(event.path("action").asText()).isEqualTo("CREATE");
    assertThat(event.path("actor").path("username").asText()).isEqualTo("coder");
    assertThat(count("select count(*) from patient where family = 'Nope'")).isZero();
  }

  @Test
  void withoutATokenReadIs401AndTheAttemptIsRecorded() throws Exception {
    String requestId = "anon-" + unique();
    given()
        .header("X-Request-Id", requestId)
        .get("/fhir/r4/Patient/some-id")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"))
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("login"));
    JsonNode event = awaitOutboxEvent(requestId);
    assertThat(event.path("outcome").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(event.path("patientIds").get(0).asText()).isEqualTo("some-id");
  }

  // --- helpers ---

  JsonNode awaitPublishedEvent(String patientId, String action) throws Exception {
    return JSON.readTree(new OutboxProbe(db).awaitPublished(patientId, action));
  }

  JsonNode awaitOutboxEvent(String correlationId) throws Exception {
    return JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(correlationId));
  }

  long count(String sql) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      ResultSet rs = q.executeQuery();
      rs.next();
      return rs.getLong(1);
    }
  }

  List<String> kafkaEventIds() throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    for (String value :
        KafkaTopicReader.readAll(bootstrap, "him.access-events", Duration.ofSeconds(10))) {
      ids.add(JSON.readTree(value).path("eventId").asText());
    }
    return ids;
  }
}
