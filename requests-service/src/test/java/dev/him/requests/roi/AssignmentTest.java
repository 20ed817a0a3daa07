package dev.him.requests.roi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import dev.him.requests.testing.KnownPatients;
import dev.him.requests.testing.RecordsServiceStub;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Assigning requests to technicians, and the work queue's assignee filter. */
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
class AssignmentTest {
  static final String ROI = "/api/requests/roi";

  @Inject AgroalDataSource db;

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void assignmentIsKeptInTheHistoryAndFiltersTheQueue() throws Exception {
    String patientId = KnownPatients.known("pat-" + unique());
    String user = "maria-" + unique();
    String first = newRequest(patientId, LocalDate.now().minusDays(2));
    String second = newRequest(patientId, LocalDate.now().minusDays(1));

    assign(first, Map.of("assignee", user))
        .statusCode(200)
        .body("assignee", equalTo(user))
        .body("history[1].event", equalTo("ASSIGNED"))
        .body("history[1].note", equalTo("assigned to " + user))
        .body("history[1].by", equalTo("rita"));
    assertThat(assigneeOf(first)).isEqualTo(user);

    queue(patientId, user)
        .body("total", equalTo(1))
        .body("items[0].id", equalTo(first))
        .body("items[0].assignee", equalTo(user));
    queue(patientId, "unassigned")
        .body("total", equalTo(1))
        .body("items[0].id", equalTo(second))
        .body("items[0].assignee", nullValue());
    queue(patientId, null).body("items.id", equalTo(List.of(first, second)));

    // null unassigns, also kept in the history
    Map<String, Object> none = new HashMap<>();
    none.put("assignee", null);
    assign(first, none)
        .statusCode(200)
        .body("assignee", nullValue())
        .body("history[2].event", equalTo("UNASSIGNED"));
    assertThat(assigneeOf(first)).isNull();
    queue(patientId, "unassigned").body("total", equalTo(2));
    queue(patientId, user).body("total", equalTo(0));

    assign(first, Map.of("assignee", "two words"))
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("assignee"));
    assign(UUID.randomUUID().toString(), Map.of("assignee", user)).statusCode(404);

    // a final request has nothing left to assign
    given()
        .contentType("application/json")
        .header("If-Match", "\"2\"")
        .body(Map.of("to", "CANCELLED", "reason", "withdrawn"))
        .post(ROI + "/" + first + "/transitions")
        .then()
        .statusCode(200);
    assign(first, Map.of("assignee", user)).statusCode(409);
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void anAdminMayAssign() {
    String id = newRequest(KnownPatients.known("pat-" + unique()), LocalDate.now());
    assign(id, Map.of("assignee", "rita")).statusCode(200).body("assignee", equalTo("rita"));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void aClerkMayNotAssign() {
    assign(UUID.randomUUID().toString(), Map.of("assignee", "clerk"))
        .statusCode(403)
        .body("title", equalTo("Forbidden"));
  }

  // --- helpers ---

  static String newRequest(String patientId, LocalDate receivedOn) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("patientId", patientId);
    b.put("requester", Map.of("type", "INDIVIDUAL", "name", "Ana Souza"));
    b.put("requestType", "RIGHT_OF_ACCESS");
    b.put("receivedOn", receivedOn.toString());
    b.put("recordsRequested", "All records");
    return given()
        .contentType("application/json")
        .body(b)
        .post(ROI)
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  static ValidatableResponse assign(String id, Map<String, Object> body) {
    return given()
        .contentType("application/json")
        .body(body)
        .put(ROI + "/" + id + "/assignee")
        .then();
  }

  static ValidatableResponse queue(String patientId, String assignee) {
    var r = given().queryParam("patientId", patientId);
    if (assignee != null) {
      r = r.queryParam("assignee", assignee);
    }
    return r.get(ROI).then().statusCode(200);
  }

  String assigneeOf(String id) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement("select assignee from roi_request where id = cast(? as uuid)")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
