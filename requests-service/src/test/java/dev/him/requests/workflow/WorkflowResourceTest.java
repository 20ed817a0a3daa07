package dev.him.requests.workflow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import dev.him.requests.testing.KnownPatients;
import dev.him.requests.testing.Packets;
import dev.him.requests.testing.RecordsServiceStub;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
class WorkflowResourceTest {
  static final String ROI = "/api/requests/roi";
  static final String PROBLEM = "application/problem+json";
  static final ObjectMapper JSON = new ObjectMapper();
  static final LocalDate TODAY = LocalDate.now();

  @Inject AgroalDataSource db;

  // --- the workflow ---

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void theHappyPathGoesThroughEveryStateAndKeepsTheHistory() throws Exception {
    String patientId = "pat-" + unique();
    String id = newRequest(patientId, "RIGHT_OF_ACCESS", TODAY);
    get(id).body("status", equalTo("RECEIVED")).body("version", equalTo(0));

    Response verified =
        move(id, 0, Map.of("to", "IDENTITY_VERIFIED", "identityMethod", "PHOTO_ID"), "wf-1");
    verified
        .then()
        .statusCode(200)
        .header("ETag", containsString("1"))
        .body("status", equalTo("IDENTITY_VERIFIED"))
        .body("version", equalTo(1))
        .body("history.size()", equalTo(2))
        .body("history[1].from", equalTo("RECEIVED"))
        .body("history[1].to", equalTo("IDENTITY_VERIFIED"))
        .body("history[1].identityMethod", equalTo("PHOTO_ID"))
        .body("history[1].by", equalTo("rita"))
        .body("history[1].at", notNullValue());
    move(id, 1, Map.of("to", "BASIS_VALIDATED"), "wf-2").then().statusCode(200);
    move(id, 2, Map.of("to", "IN_PROCESSING", "note", "gathering"), "wf-3").then().statusCode(200);
    // quality review needs a packet, release the fee shown (fulfilment and fees packages)
    Packets.serveSmallRecord(patientId);
    Packets.build(id);
    move(id, 3, Map.of("to", "QUALITY_REVIEW"), "wf-4").then().statusCode(200);
    Packets.acknowledgeFee(id);
    String releaseId = "wf-release-" + unique();
    move(id, 4, Map.of("to", "RELEASED"), releaseId)
        .then()
        .statusCode(200)
        .body("status", equalTo("RELEASED"))
        .body("version", equalTo(5));

    get(id)
        .body("status", equalTo("RELEASED"))
        .body("history.size()", equalTo(6))
        .body("history[0].from", nullValue())
        .body("history[0].to", equalTo("RECEIVED"))
        .body("history[3].note", equalTo("gathering"))
        .body("history[5].to", equalTo("RELEASED"))
        .body("history[5].by", equalTo("rita"));

    assertThat(history(id))
        .containsExactly(
            "null>RECEIVED by rita",
            "RECEIVED>IDENTITY_VERIFIED by rita PHOTO_ID",
            "IDENTITY_VERIFIED>BASIS_VALIDATED by rita",
            "BASIS_VALIDATED>IN_PROCESSING by rita",
            "IN_PROCESSING>QUALITY_REVIEW by rita",
            "QUALITY_REVIEW>RELEASED by rita");

    // the release writes several events under its correlation id (the disclosure's READ access
    // event, RequestReleased); this is the move's own UPDATE
    JsonNode event = awaitUpdateEvent(releaseId);
    assertThat(event.path("action").asText()).isEqualTo("UPDATE");
    assertThat(event.path("outcome").asText()).isEqualTo("SUCCESS");
    assertThat(event.path("resourceId").asText()).isEqualTo(id);
    assertThat(event.path("patientIds").toString()).contains(patientId);
    assertThat(event.path("actor").path("username").asText()).isEqualTo("rita");
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aMoveNotAllowedFromTheCurrentStateIs409ListingTheAllowedSteps() throws Exception {
    String id = newRequest("pat-" + unique(), "RIGHT_OF_ACCESS", TODAY);
    move(id, 0, Map.of("to", "IN_PROCESSING"), "wf-skip-" + unique())
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("title", equalTo("Transition not allowed"))
        .body("invalid-params[0].name", equalTo("to"))
        .body(
            "invalid-params[0].reason",
            equalTo("allowed next: IDENTITY_VERIFIED, DENIED, CANCELLED"))
        .body("detail", containsString("RECEIVED"));
    get(id).body("status", equalTo("RECEIVED")).body("version", equalTo(0));
    assertThat(history(id)).hasSize(1);

    move(id, 0, Map.of("to", "CANCELLED", "reason", "Duplicate of an earlier request"), "wf-c")
        .then()
        .statusCode(200);
    move(id, 1, Map.of("to", "DENIED", "reason", "x"), "wf-after-" + unique())
        .then()
        .statusCode(409)
        .body("invalid-params[0].reason", containsString("none, CANCELLED is final"));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void denyAndCancelNeedAReasonAndVerificationItsMethod() throws Exception {
    String id = newRequest("pat-" + unique(), "RIGHT_OF_ACCESS", TODAY);
    move(id, 0, Map.of("to", "DENIED"), "wf-r1")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("reason"))
        .body("invalid-params[0].reason", containsString("requester can read"));
    move(id, 0, Map.of("to", "CANCELLED", "reason", "  "), "wf-r2")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("reason"));
    move(id, 0, Map.of("to", "IDENTITY_VERIFIED"), "wf-r3")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("identityMethod"));
    move(id, 0, Map.of("to", "IDENTITY_VERIFIED", "identityMethod", "PALM_READING"), "wf-r4")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("identityMethod"));
    get(id).body("status", equalTo("RECEIVED"));

    String reason = "We do not hold records for this patient; ask Mercy Clinic, 2 Elm St.";
    move(id, 0, Map.of("to", "DENIED", "reason", reason), "wf-r5")
        .then()
        .statusCode(200)
        .body("status", equalTo("DENIED"))
        .body("history[1].reason", equalTo(reason));
    assertThat(history(id)).containsExactly("null>RECEIVED by rita", "RECEIVED>DENIED by rita");
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select reason from roi_transition where request_id = cast(? as uuid)"
                    + " and to_status = 'DENIED'")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(reason);
    }
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void anAdminMayReleaseAndEndButNotDoTheStepsAndTheRefusalIsRecorded() throws Exception {
    String patientId = "pat-" + unique();
    String id = newRequest(patientId, "RIGHT_OF_ACCESS", TODAY);
    String refusedId = "wf-403-" + unique();
    move(id, 0, Map.of("to", "IDENTITY_VERIFIED", "identityMethod", "PHOTO_ID"), refusedId)
        .then()
        .statusCode(403)
        .contentType(PROBLEM)
        .body("title", equalTo("Forbidden"));
    JsonNode event = awaitOutboxEvent(refusedId);
    assertThat(event.path("outcome").asText()).isEqualTo("FORBIDDEN");
    assertThat(event.path("action").asText()).isEqualTo("UPDATE");
    assertThat(event.path("resourceId").asText()).isEqualTo(id);
    get(id).body("status", equalTo("RECEIVED")).body("version", equalTo(0));

    // the specialist did the steps (with the packet and the fee shown); the admin signs it off
    sql("update roi_request set status = 'IN_PROCESSING' where id = cast('" + id + "' as uuid)");
    Packets.serveSmallRecord(patientId);
    Packets.build(id);
    Packets.acknowledgeFee(id);
    sql("update roi_request set status = 'QUALITY_REVIEW' where id = cast('" + id + "' as uuid)");
    move(id, 0, Map.of("to", "RELEASED"), "wf-admin-release")
        .then()
        .statusCode(200)
        .body("status", equalTo("RELEASED"))
        .body("history[1].by", equalTo("admin"));

    String other = newRequest("pat-" + unique(), "RIGHT_OF_ACCESS", TODAY);
    move(other, 0, Map.of("to", "CANCELLED", "reason", "Withdrawn by phone"), "wf-admin-c")
        .then()
        .statusCode(200)
        .body("status", equalTo("CANCELLED"));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aClerkMayNotMoveRequests() throws Exception {
    String id = UUID.randomUUID().toString();
    String requestId = "wf-clerk-" + unique();
    move(id, 0, Map.of("to", "CANCELLED", "reason", "x"), requestId).then().statusCode(403);
    assertThat(awaitOutboxEvent(requestId).path("outcome").asText()).isEqualTo("FORBIDDEN");
    given().get(ROI).then().statusCode(403).contentType(PROBLEM);
  }

  @Test
  void withoutATokenTheWorkflowIs401() {
    move(UUID.randomUUID().toString(), 0, Map.of("to", "CANCELLED"), "wf-anon")
        .then()
        .statusCode(401)
        .contentType(PROBLEM);
    given().get(ROI).then().statusCode(401);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void theBasisMustBeValidToValidateItAndStillValidToRelease() throws Exception {
    String patientId = "pat-" + unique();
    String id = newRequest(patientId, "AUTHORIZATION", TODAY);
    move(id, 0, Map.of("to", "IDENTITY_VERIFIED", "identityMethod", "NOTARIZED_SIGNATURE"), "b1")
        .then()
        .statusCode(200);
    move(id, 1, Map.of("to", "BASIS_VALIDATED"), "b2")
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("title", equalTo("Legal basis not valid"))
        .body("invalid-params[0].name", equalTo("authorization"))
        .body("invalid-params[0].reason", containsString("AUTHORIZATION_MISSING"));
    get(id).body("status", equalTo("IDENTITY_VERIFIED"));

    given()
        .contentType("application/json")
        .body(completeAuthorization())
        .put(ROI + "/" + id + "/authorization")
        .then()
        .statusCode(200);
    move(id, 1, Map.of("to", "BASIS_VALIDATED"), "b3").then().statusCode(200);
    move(id, 2, Map.of("to", "IN_PROCESSING"), "b4").then().statusCode(200);
    Packets.serveSmallRecord(patientId);
    Packets.build(id);
    move(id, 3, Map.of("to", "QUALITY_REVIEW"), "b5").then().statusCode(200);
    Packets.acknowledgeFee(id);

    // the patient revokes before the release: the release stops
    given()
        .contentType("application/json")
        .body(
            Map.of(
                "revokedBy",
                "Ana Souza",
                "reason",
                "Changed my mind",
                "receivedOn",
                TODAY.toString()))
        .post(ROI + "/" + id + "/authorization/revocation")
        .then()
        .statusCode(200);
    move(id, 4, Map.of("to", "RELEASED"), "b6")
        .then()
        .statusCode(409)
        .body("invalid-params.name", hasItem("authorization.revocation"));
    get(id).body("status", equalTo("QUALITY_REVIEW")).body("version", equalTo(4));
    assertThat(history(id)).hasSize(5).last().asString().contains(">QUALITY_REVIEW");

    move(id, 4, Map.of("to", "DENIED", "reason", "Your authorization was revoked"), "b7")
        .then()
        .statusCode(200);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aStaleVersionIs412AndAMissingOne428() {
    String id = newRequest("pat-" + unique(), "RIGHT_OF_ACCESS", TODAY);
    Map<String, Object> verify = Map.of("to", "IDENTITY_VERIFIED", "identityMethod", "CALLBACK");
    // two clerks read version 0; the first moves it, the second is refused
    move(id, 0, verify, "s1").then().statusCode(200).body("version", equalTo(1));
    move(id, 0, Map.of("to", "CANCELLED", "reason", "dup"), "s2")
        .then()
        .statusCode(412)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("If-Match"))
        .body("invalid-params[0].reason", containsString("1"));
    given()
        .contentType("application/json")
        .body(Map.of("to", "BASIS_VALIDATED"))
        .post(ROI + "/" + id + "/transitions")
        .then()
        .statusCode(428)
        .body("invalid-params[0].name", equalTo("If-Match"));
    given()
        .contentType("application/json")
        .header("If-Match", "W/\"1\"")
        .body(Map.of("to", "BASIS_VALIDATED"))
        .post(ROI + "/" + id + "/transitions")
        .then()
        .statusCode(200)
        .body("version", equalTo(2));
    get(id).body("status", equalTo("BASIS_VALIDATED")).body("history.size()", equalTo(3));
  }

  // --- deadlines ---

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void theDueDateFollowsTheBasis() {
    LocalDate received = TODAY.minusDays(2);
    String access = newRequest("pat-" + unique(), "RIGHT_OF_ACCESS", received);
    get(access)
        .body("dueOn", equalTo(received.plusDays(30).toString()))
        .body("originalDueOn", equalTo(received.plusDays(30).toString()))
        .body("extension", nullValue());
    // him.roi.due-days.court-order=10 in the test profile
    String order = newRequest("pat-" + unique(), "COURT_ORDER", received);
    get(order).body("dueOn", equalTo(received.plusDays(10).toString()));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aNoticeSentOnDay30ExtendsOnceByExactly30Days() throws Exception {
    LocalDate received = TODAY.minusDays(30);
    LocalDate original = received.plusDays(30); // today: day 30 itself
    String patientId = "pat-" + unique();
    String id = newRequest(patientId, "RIGHT_OF_ACCESS", received);

    // +31 days is one too many; a new date not after the original is no extension
    extend(id, "Records in off-site storage", original, original.plusDays(31))
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("newDueOn"))
        .body("invalid-params[0].reason", containsString(original.plusDays(30).toString()));
    extend(id, "Records in off-site storage", original, original)
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("newDueOn"));
    extend(id, " ", original, original.plusDays(5))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("reason"));
    extend(id, "Later", received.minusDays(1), original.plusDays(5))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("noticeSentOn"));

    String requestId = "ext-" + unique();
    given()
        .contentType("application/json")
        .header("X-Request-Id", requestId)
        .body(extension("Records in off-site storage", original, original.plusDays(30)))
        .post(ROI + "/" + id + "/extension")
        .then()
        .statusCode(200)
        .body("dueOn", equalTo(original.plusDays(30).toString()))
        .body("originalDueOn", equalTo(original.toString()))
        .body("extension.reason", equalTo("Records in off-site storage"))
        .body("extension.noticeSentOn", equalTo(original.toString()))
        .body("extension.recordedBy", equalTo("rita"))
        .body("extension.recordedAt", notNullValue());
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select due_on, original_due_on, extension_notice_sent_on, extension_recorded_by"
                    + " from roi_request where id = cast(? as uuid)")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getObject(1, LocalDate.class)).isEqualTo(original.plusDays(30));
      assertThat(rs.getObject(2, LocalDate.class)).isEqualTo(original);
      assertThat(rs.getObject(3, LocalDate.class)).isEqualTo(original);
      assertThat(rs.getString(4)).isEqualTo("rita");
    }
    assertThat(awaitOutboxEvent(requestId).path("patientIds").toString()).contains(patientId);

    // only one extension
    extend(id, "Still in storage", original, original.plusDays(10))
        .statusCode(409)
        .body("invalid-params[0].name", equalTo("extension"));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aNoticeSentOnDay31OrForAnotherBasisIsRefused() {
    LocalDate received = TODAY.minusDays(31);
    LocalDate original = received.plusDays(30); // yesterday
    String id = newRequest("pat-" + unique(), "RIGHT_OF_ACCESS", received);
    extend(id, "Backlog", TODAY, original.plusDays(30))
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("noticeSentOn"))
        .body("invalid-params[0].reason", containsString(original.toString()));
    get(id).body("dueOn", equalTo(original.toString())).body("extension", nullValue());
    // the notice sent on day 30 (yesterday) is still good, recorded today
    extend(id, "Backlog", original, original.plusDays(30)).statusCode(200);

    String other = newRequest("pat-" + unique(), "AUTHORIZATION", TODAY);
    extend(other, "Backlog", TODAY, TODAY.plusDays(40))
        .statusCode(409)
        .body("invalid-params[0].name", equalTo("requestType"));
  }

  // --- the work queue ---

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void theQueueFiltersByDueStateStatusAndBasisPagesAndCounts() throws Exception {
    String patientId = "pat-" + unique();
    String cancelled = newRequest(patientId, "RIGHT_OF_ACCESS", TODAY.minusDays(40)); // due -10
    String overdue = newRequest(patientId, "RIGHT_OF_ACCESS", TODAY.minusDays(31)); // due -1
    String dueToday = newRequest(patientId, "RIGHT_OF_ACCESS", TODAY.minusDays(30)); // due 0
    String atRiskEdge = newRequest(patientId, "RIGHT_OF_ACCESS", TODAY.minusDays(25)); // due +5
    String notAtRisk = newRequest(patientId, "RIGHT_OF_ACCESS", TODAY.minusDays(24)); // due +6
    String order = newRequest(patientId, "COURT_ORDER", TODAY); // due +10
    move(cancelled, 0, Map.of("to", "CANCELLED", "reason", "Withdrawn"), "q0")
        .then()
        .statusCode(200);

    String searchId = "queue-" + unique();
    given()
        .header("X-Request-Id", searchId)
        .queryParam("patientId", patientId)
        .get(ROI)
        .then()
        .statusCode(200)
        .body("total", equalTo(6))
        .body("offset", equalTo(0))
        .body("count", equalTo(20))
        .body(
            "items.id",
            equalTo(List.of(cancelled, overdue, dueToday, atRiskEdge, notAtRisk, order)))
        .body("items[0].status", equalTo("CANCELLED"))
        .body("items[0].dueState", nullValue())
        .body("items[1].dueState", equalTo("OVERDUE"))
        .body("items[2].dueState", equalTo("AT_RISK"))
        .body("items[3].dueState", equalTo("AT_RISK"))
        .body("items[4].dueState", equalTo("DUE"))
        .body("items[5].requestType", equalTo("COURT_ORDER"))
        .body("items[5].dueOn", equalTo(TODAY.plusDays(10).toString()));
    JsonNode event = awaitOutboxEvent(searchId);
    assertThat(event.path("action").asText()).isEqualTo("SEARCH");
    assertThat(event.path("patientIds").toString()).contains(patientId);

    // a final request is never overdue, though its due date has passed
    queue(patientId, "dueState", "overdue")
        .body("total", equalTo(1))
        .body("items.id", equalTo(List.of(overdue)));
    queue(patientId, "dueState", "at-risk")
        .body("total", equalTo(2))
        .body("items.id", equalTo(List.of(dueToday, atRiskEdge)));
    queue(patientId, "dueState", "due")
        .body("items.id", equalTo(List.of(dueToday, atRiskEdge, notAtRisk, order)));
    queue(patientId, "status", "CANCELLED").body("items.id", equalTo(List.of(cancelled)));
    queue(patientId, "requestType", "COURT_ORDER").body("items.id", equalTo(List.of(order)));
    given()
        .queryParam("patientId", patientId)
        .queryParam("status", "RECEIVED")
        .queryParam("status", "CANCELLED")
        .get(ROI)
        .then()
        .statusCode(200)
        .body("total", equalTo(6));
    given()
        .queryParam("patientId", patientId)
        .queryParam("status", "CANCELLED,DENIED")
        .queryParam("dueState", "overdue")
        .get(ROI)
        .then()
        .statusCode(200)
        .body("total", equalTo(0));

    // paging keeps the total and the order
    given()
        .queryParam("patientId", patientId)
        .queryParam("count", 2)
        .queryParam("offset", 1)
        .get(ROI)
        .then()
        .statusCode(200)
        .body("total", equalTo(6))
        .body("count", equalTo(2))
        .body("items.id", equalTo(List.of(overdue, dueToday)));
    given()
        .queryParam("patientId", patientId)
        .queryParam("count", 100)
        .queryParam("offset", 5)
        .get(ROI)
        .then()
        .statusCode(200)
        .body("items.id", equalTo(List.of(order)));

    // an extension moves a request out of overdue
    extend(overdue, "Backlog", TODAY.minusDays(1), TODAY.plusDays(20)).statusCode(200);
    queue(patientId, "dueState", "overdue").body("total", equalTo(0));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void wrongQueueParametersAre400NamingThem() {
    given()
        .queryParam("count", 101)
        .get(ROI)
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("count"));
    given()
        .queryParam("count", 0)
        .get(ROI)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("count"));
    given()
        .queryParam("offset", -1)
        .get(ROI)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("offset"));
    given()
        .queryParam("dueState", "soon")
        .get(ROI)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("dueState"));
    given()
        .queryParam("status", "LOST")
        .get(ROI)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("status"));
    given()
        .queryParam("requestType", "GOSSIP")
        .get(ROI)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("requestType"));
  }

  // --- helpers ---

  String newRequest(String patientId, String requestType, LocalDate receivedOn) {
    KnownPatients.known(patientId); // intake checks the id in records-service
    String body =
        """
        {"patientId": "%s",
         "requester": {"type": "INDIVIDUAL", "name": "Ana Souza"},
         "requestType": "%s", "receivedOn": "%s", "recordsRequested": "Records of 2024"}
        """
            .formatted(patientId, requestType, receivedOn);
    return given()
        .contentType("application/json")
        .body(body)
        .post(ROI)
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  Response move(String id, long version, Map<String, Object> body, String requestId) {
    return given()
        .contentType("application/json")
        .header("If-Match", "\"" + version + "\"")
        .header("X-Request-Id", requestId)
        .body(body)
        .post(ROI + "/" + id + "/transitions");
  }

  ValidatableResponse get(String id) {
    return given().get(ROI + "/" + id).then().statusCode(200);
  }

  ValidatableResponse queue(String patientId, String param, String value) {
    return given()
        .queryParam("patientId", patientId)
        .queryParam(param, value)
        .get(ROI)
        .then()
        .statusCode(200);
  }

  static Map<String, Object> extension(String reason, LocalDate noticeSentOn, LocalDate newDueOn) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reason", reason);
    m.put("noticeSentOn", noticeSentOn.toString());
    m.put("newDueOn", newDueOn.toString());
    return m;
  }

  ValidatableResponse extend(String id, String reason, LocalDate noticeSentOn, LocalDate newDueOn) {
    return given()
        .contentType("application/json")
        .body(extension(reason, noticeSentOn, newDueOn))
        .post(ROI + "/" + id + "/extension")
        .then();
  }

  static Map<String, Object> completeAuthorization() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("informationDescription", "Discharge summaries and lab results, 2024");
    a.put("discloser", "General Hospital HIM department");
    a.put("recipient", "Smith & Jones LLP");
    a.put("purpose", "Personal injury claim");
    a.put("expiresOn", TODAY.plusMonths(6).toString());
    a.put("signed", true);
    a.put("signedOn", TODAY.minusDays(2).toString());
    a.put("signerType", "PATIENT");
    a.put("statementRightToRevoke", true);
    a.put("statementConditioning", true);
    a.put("statementRedisclosure", true);
    return a;
  }

  /** The stored history rows, oldest first, as "from>to by actor [method]". */
  List<String> history(String id) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select from_status, to_status, actor, identity_method from roi_transition"
                    + " where request_id = cast(? as uuid) order by at, id")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      while (rs.next()) {
        rows.add(
            rs.getString(1)
                + ">"
                + rs.getString(2)
                + " by "
                + rs.getString(3)
                + (rs.getString(4) == null ? "" : " " + rs.getString(4)));
      }
    }
    return rows;
  }

  void sql(String statement) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(statement)) {
      q.executeUpdate();
    }
  }

  JsonNode awaitOutboxEvent(String correlationId) throws Exception {
    return JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(correlationId));
  }

  JsonNode awaitUpdateEvent(String correlationId) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select cast(payload as text) from outbox_event where event_type = 'AccessEvent'"
                    + " and payload->>'correlationId' = ? and payload->>'action' = 'UPDATE'")) {
      q.setString(1, correlationId);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).as("an UPDATE access event for " + correlationId).isTrue();
      return JSON.readTree(rs.getString(1));
    }
  }

  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
