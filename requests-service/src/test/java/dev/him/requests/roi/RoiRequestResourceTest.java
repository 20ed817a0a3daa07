package dev.him.requests.roi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.KafkaTopicReader;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import dev.him.requests.testing.KnownPatients;
import dev.him.requests.testing.RecordsServiceStub;
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
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "requests"))
@QuarkusTestResource(KafkaResource.class)
// A Quarkus app of its own (the init arg): not the app of RecordsClientTest, whose circuit-breaker
// tests need
// breakers no other test has used
@QuarkusTestResource(
    value = RecordsServiceStub.class,
    initArgs = @ResourceArg(name = "app", value = "roi"))
class RoiRequestResourceTest {
  static final String ROI = "/api/requests/roi";
  static final String PROBLEM = "application/problem+json";
  static final ObjectMapper JSON = new ObjectMapper();

  @Inject AgroalDataSource db;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  static String body(String patientId, LocalDate receivedOn) {
    KnownPatients.known(patientId); // intake checks the id in records-service
    return """
        {"patientId": "%s",
         "requester": {"type": "INDIVIDUAL", "name": "Ana Souza", "address": "1 Main St, Boston, MA"},
         "requestType": "RIGHT_OF_ACCESS",
         "receivedOn": "%s",
         "recordsRequested": "Discharge summary and lab results, 2024-01 to 2024-06",
         "purpose": "Personal use"}
        """
        .formatted(patientId, receivedOn);
  }

  Response create(String body, String requestId) {
    return given()
        .contentType("application/json")
        .header("X-Request-Id", requestId)
        .body(body)
        .post(ROI);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void createStoresTheRequestWithItsDueDateAndRecordsTheAccess() throws Exception {
    String patientId = "pat-" + unique();
    String requestId = "roi-create-" + unique();
    LocalDate received = LocalDate.now().minusDays(3);
    Response created = create(body(patientId, received), requestId);
    created
        .then()
        .statusCode(201)
        .contentType(containsString("application/json"))
        .header("X-Request-Id", requestId)
        .body("id", matchesPattern("[0-9a-f-]{36}"))
        .body("patientId", equalTo(patientId))
        .body("requester.type", equalTo("INDIVIDUAL"))
        .body("requester.name", equalTo("Ana Souza"))
        .body("requester.address.lines[0]", equalTo("1 Main St, Boston, MA"))
        .body("requestType", equalTo("RIGHT_OF_ACCESS"))
        .body("receivedOn", equalTo(received.toString()))
        .body("recordsRequested", containsString("Discharge summary"))
        .body("purpose", equalTo("Personal use"))
        .body("deliveryFormat", equalTo("ELECTRONIC"))
        .body("status", equalTo("RECEIVED"))
        .body("dueOn", equalTo(received.plusDays(30).toString()))
        .body("createdBy", equalTo("rita"))
        .body("createdAt", notNullValue());
    String id = created.path("id");
    assertThat(created.header("Location")).endsWith(ROI + "/" + id);

    // the row is stored as returned
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select patient_id, requester_type, request_type, status, due_on, created_by,"
                    + " delivery_format from roi_request where id = cast(? as uuid)")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(patientId);
      assertThat(rs.getString(2)).isEqualTo("INDIVIDUAL");
      assertThat(rs.getString(3)).isEqualTo("RIGHT_OF_ACCESS");
      assertThat(rs.getString(4)).isEqualTo("RECEIVED");
      assertThat(rs.getObject(5, LocalDate.class)).isEqualTo(received.plusDays(30));
      assertThat(rs.getString(6)).isEqualTo("rita");
      assertThat(rs.getString(7)).isEqualTo("ELECTRONIC");
    }

    // the access went to the outbox in the same transaction, then to Kafka
    JsonNode event = awaitPublishedEvent(patientId, "CREATE");
    assertThat(event.path("eventType").asText()).isEqualTo("AccessEvent");
    assertThat(event.path("eventVersion").asInt()).isEqualTo(1);
    assertThat(event.path("actor").path("username").asText()).isEqualTo("rita");
    assertThat(event.path("actor").path("roles").toString()).contains("roi-specialist");
    assertThat(event.path("resourceType").asText()).isEqualTo("RoiRequest");
    assertThat(event.path("resourceId").asText()).isEqualTo(id);
    assertThat(event.path("patientIds").toString()).contains(patientId);
    assertThat(event.path("correlationId").asText()).isEqualTo(requestId);
    assertThat(event.path("outcome").asText()).isEqualTo("SUCCESS");
    assertThat(event.path("sourceService").asText()).isEqualTo("requests-service");
    assertThat(event.toString()).doesNotContain("Ana Souza").doesNotContain("Discharge summary");
    assertThat(kafkaEventIds()).contains(event.path("eventId").asText());
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void readReturnsWhatWasStoredAndRecordsTheRead() throws Exception {
    String patientId = "pat-" + unique();
    Response created = create(body(patientId, LocalDate.now()), "roi-c-" + unique());
    String id = created.path("id");
    String requestId = "roi-read-" + unique();
    Response read = given().header("X-Request-Id", requestId).get(ROI + "/" + id);
    read.then().statusCode(200).header("X-Request-Id", requestId).body("id", equalTo(id));
    assertThat(JSON.readTree(read.asString())).isEqualTo(JSON.readTree(created.asString()));

    JsonNode event = awaitPublishedEvent(patientId, "READ");
    assertThat(event.path("correlationId").asText()).isEqualTo(requestId);
    assertThat(event.path("resourceId").asText()).isEqualTo(id);
    assertThat(event.path("actor").path("username").asText()).isEqualTo("rita");
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void anAdminMayLogAndReadAPaperSubpoena() {
    String patientId = KnownPatients.known("pat-" + unique());
    LocalDate received = LocalDate.now().minusDays(40);
    String body =
        """
        {"patientId": "%s", "requester": {"type": "ATTORNEY", "name": "Smith & Jones LLP"},
         "requestType": "SUBPOENA", "receivedOn": "%s", "recordsRequested": "All records",
         "deliveryFormat": "PAPER"}
        """
            .formatted(patientId, received);
    String id =
        create(body, "roi-admin-" + unique())
            .then()
            .statusCode(201)
            .body("deliveryFormat", equalTo("PAPER"))
            .body("requester.address", nullValue())
            .body("purpose", nullValue())
            .body("dueOn", equalTo(received.plusDays(30).toString()))
            .body("createdBy", equalTo("admin"))
            .extract()
            .path("id");
    given()
        .get(ROI + "/" + id)
        .then()
        .statusCode(200)
        .body("requestType", equalTo("SUBPOENA"))
        .body("requester.name", equalTo("Smith & Jones LLP"));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void unknownIdIs404ProblemJson() {
    String unknown = UUID.randomUUID().toString();
    given()
        .get(ROI + "/" + unknown)
        .then()
        .statusCode(404)
        .contentType(PROBLEM)
        .body("status", equalTo(404))
        .body("title", equalTo("Not found"))
        .body("detail", containsString(unknown));
    given()
        .get(ROI + "/not-a-uuid")
        .then()
        .statusCode(404)
        .contentType(PROBLEM)
        .body("detail", not(containsString("not-a-uuid")));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void invalidFieldsAre400NamingEachField() throws Exception {
    String tag = unique();
    String missingPatient =
        body("x", LocalDate.now()).replace("\"patientId\": \"x\",", "").replace("Ana", tag);
    create(missingPatient, "v1-" + tag)
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("title", equalTo("Invalid request"))
        .body("invalid-params.name", hasItem("patientId"))
        .body("invalid-params.size()", equalTo(1))
        .body("detail", containsString("patientId"))
        .body(not(containsString("Exception")));

    String patientId = "pat-" + tag;
    create(body(patientId, LocalDate.now().plusDays(2)), "v2-" + tag)
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("receivedOn"))
        .body("invalid-params[0].reason", notNullValue());

    create(body(patientId, LocalDate.now()).replace("INDIVIDUAL", "NEIGHBOUR"), "v3-" + tag)
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("requester.type"))
        .body("invalid-params[0].reason", containsString("PERSONAL_REPRESENTATIVE"))
        .body(not(containsString("dev.him")));

    create(
            body(patientId, LocalDate.now())
                .replace("\"name\": \"Ana Souza\"", "\"name\": \" \"")
                .replace("\"requestType\": \"RIGHT_OF_ACCESS\",", ""),
            "v4-" + tag)
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params.name", hasItem("requester.name"))
        .body("invalid-params.name", hasItem("requestType"));

    create(body("p".repeat(65), LocalDate.now()), "v5-" + tag)
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("patientId"));

    create(body(patientId, LocalDate.now()).replace("\"purpose\":", "\"purpose\"::"), "v6-" + tag)
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("title", equalTo("Malformed JSON"))
        .body("detail", containsString("line"));

    create(body(patientId, LocalDate.now()).replace(LocalDate.now().toString(), "yesterday"), "v7")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("receivedOn"));

    given()
        .contentType("application/json")
        .post(ROI)
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("body"));

    // a misspelt field is refused, not silently dropped
    create(
            body(patientId, LocalDate.now())
                .replace("\"purpose\":", "\"purpose\": null, \"purpse\":"),
            "v8")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("purpse"))
        .body("invalid-params[0].reason", containsString("not a known field"));

    assertThat(count("select count(*) from roi_request where patient_id = '" + patientId + "'"))
        .isZero();
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aClerkIsRefusedAndTheRefusalIsRecorded() throws Exception {
    String patientId = "pat-" + unique();
    String requestId = "roi-forbidden-" + unique();
    create(body(patientId, LocalDate.now()), requestId)
        .then()
        .statusCode(403)
        .contentType(PROBLEM)
        .body("status", equalTo(403))
        .body("title", equalTo("Forbidden"));
    JsonNode event = awaitOutboxEvent(requestId);
    assertThat(event.path("outcome").asText()).isEqualTo("FORBIDDEN");
    assertThat(event.path("action").asText()).isEqualTo("CREATE");
    assertThat(event.path("resourceType").asText()).isEqualTo("RoiRequest");
    assertThat(event.path("actor").path("username").asText()).isEqualTo("clerk");
    assertThat(count("select count(*) from roi_request where patient_id = '" + patientId + "'"))
        .isZero();

    String readId = "roi-forbidden-read-" + unique();
    String someId = UUID.randomUUID().toString();
    given().header("X-Request-Id", readId).get(ROI + "/" + someId).then().statusCode(403);
    JsonNode readEvent = awaitOutboxEvent(readId);
    assertThat(readEvent.path("action").asText()).isEqualTo("READ");
    assertThat(readEvent.path("resourceId").asText()).isEqualTo(someId);
    assertThat(readEvent.path("outcome").asText()).isEqualTo("FORBIDDEN");
  }

  @Test
  void withoutATokenIs401AndTheAttemptIsRecorded() throws Exception {
    String requestId = "roi-anon-" + unique();
    create(body("pat-" + unique(), LocalDate.now()), requestId)
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"))
        .contentType(PROBLEM)
        .body("title", equalTo("Unauthorized"));
    JsonNode event = awaitOutboxEvent(requestId);
    assertThat(event.path("outcome").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(event.path("actor").path("username").asText()).isEqualTo("anonymous");

    given().get(ROI + "/" + UUID.randomUUID()).then().statusCode(401).contentType(PROBLEM);
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
        PreparedStatement q = c.prepareStatement(sql);
        ResultSet rs = q.executeQuery()) {
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
