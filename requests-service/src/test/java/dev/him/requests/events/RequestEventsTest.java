package dev.him.requests.events;

import static dev.him.requests.disclosure.Releases.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import dev.him.requests.disclosure.Releases;
import dev.him.requests.testing.KnownPatients;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "requests"))
@QuarkusTestResource(KafkaResource.class)
class RequestEventsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Inject AgroalDataSource db;

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aLoggedRequestPublishesRequestReceivedKeyedByPatient() throws Exception {
    String patientId = KnownPatients.known("pat-" + unique());
    String correlationId = "ev-create-" + unique();
    String id =
        given()
            .contentType("application/json")
            .header("X-Request-Id", correlationId)
            .body(
                """
                {"patientId": "%s",
                 "requester": {"type": "ATTORNEY", "name": "Smith & Jones LLP", "address": "9 Court St"},
                 "requestType": "SUBPOENA", "receivedOn": "%s", "recordsRequested": "All 2024"}
                """
                    .formatted(patientId, LocalDate.now().minusDays(1)))
            .post(Releases.ROI)
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    JsonNode event = event("RequestReceived", id);
    assertThat(event.path("patientId").asText()).isEqualTo(patientId);
    assertThat(event.path("requesterType").asText()).isEqualTo("ATTORNEY");
    assertThat(event.path("basis").asText()).isEqualTo("SUBPOENA");
    assertThat(event.path("receivedOn").asText())
        .isEqualTo(LocalDate.now().minusDays(1).toString());
    assertThat(event.path("dueOn").asText()).isEqualTo(LocalDate.now().plusDays(29).toString());
    assertThat(event.path("receivedBy").asText()).isEqualTo("rita");
    assertThat(event.path("correlationId").asText()).isEqualTo(correlationId);
    assertThat(event.path("eventId").asText()).isNotBlank();
    // no requester name or address in the event
    assertThat(event.toString()).doesNotContain("Smith").doesNotContain("Court St");
    assertThat(row("RequestReceived", id)).containsExactly("him.request-events", patientId, "1");
    assertThat(count("RequestReceived", id)).isEqualTo(1);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aDenialPublishesRequestDeniedWithTheReasonAndACancellationNothing() throws Exception {
    String patientId = "pat-" + unique();
    String id = Releases.log(patientId, "RIGHT_OF_ACCESS", "INDIVIDUAL", "Ana Souza", null, null);
    String reason = "We hold no records for this patient";
    assertThat(Releases.move(id, 0, Map.of("to", "DENIED", "reason", reason), "ev-deny-1"))
        .isEqualTo(200);

    JsonNode event = event("RequestDenied", id);
    assertThat(event.path("reason").asText()).isEqualTo(reason);
    assertThat(event.path("basis").asText()).isEqualTo("RIGHT_OF_ACCESS");
    assertThat(event.path("patientId").asText()).isEqualTo(patientId);
    assertThat(event.path("deniedBy").asText()).isEqualTo("rita");
    assertThat(event.path("correlationId").asText()).isEqualTo("ev-deny-1");
    assertThat(row("RequestDenied", id)).containsExactly("him.request-events", patientId, "1");

    String cancelled =
        Releases.log(patientId, "RIGHT_OF_ACCESS", "INDIVIDUAL", "Ana Souza", null, null);
    assertThat(Releases.move(cancelled, 0, Map.of("to", "CANCELLED", "reason", "dup"), "ev-c"))
        .isEqualTo(200);
    assertThat(count("RequestDenied", cancelled)).isZero();
    assertThat(count("RequestReleased", cancelled)).isZero();
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aReleasePublishesRequestReleasedWithItsDisclosureEntriesAndAnAccessEvent() throws Exception {
    String patientId = "pat-" + unique();
    String id =
        Releases.log(
            patientId,
            "SUBPOENA",
            "ATTORNEY",
            "Smith & Jones LLP",
            "9 Court St, Boston",
            "Litigation: Doe v. Roe");
    Releases.scope(id, List.of("LAB_RESULTS"), LocalDate.of(2024, 1, 1), LocalDate.of(2024, 6, 30));
    Releases.subpoenaWithProtectiveOrder(id);
    String correlationId = "ev-release-" + unique();
    assertThat(Releases.release(id, correlationId)).isEqualTo(200);

    JsonNode event = event("RequestReleased", id);
    assertThat(event.path("patientId").asText()).isEqualTo(patientId);
    assertThat(event.path("basis").asText()).isEqualTo("SUBPOENA");
    assertThat(event.path("releasedBy").asText()).isEqualTo("rita");
    assertThat(event.path("correlationId").asText()).isEqualTo(correlationId);
    // the packet's hash and pages (compared with the stored packet in the next test)
    assertThat(event.path("packetSha256").asText()).hasSize(64);
    assertThat(event.path("pageCount").asInt()).isPositive();
    JsonNode entries = event.path("disclosures");
    assertThat(entries.size()).isEqualTo(1);
    JsonNode entry = entries.get(0);
    assertThat(entry.path("disclosedOn").asText()).isEqualTo(LocalDate.now().toString());
    assertThat(entry.path("recipient").asText()).isEqualTo("Smith & Jones LLP");
    assertThat(entry.path("description").asText())
        .isEqualTo("LAB_RESULTS: 1 (2024-03-10 to 2024-03-10)"); // what the packet held
    assertThat(entry.path("purpose").asText()).isEqualTo("Litigation: Doe v. Roe");
    assertThat(entry.path("basis").asText()).isEqualTo("SUBPOENA");
    assertThat(entry.path("accountable").asBoolean()).isTrue();
    // the entry in the event is the row stored
    assertThat(storedDisclosureIds(id)).containsExactly(entry.path("disclosureId").asText());
    assertThat(row("RequestReleased", id)).containsExactly("him.request-events", patientId, "1");

    // the release is also an access event for audit: a read-out of the record, naming no one
    List<JsonNode> access = accessEvents(correlationId);
    assertThat(access).extracting(a -> a.path("action").asText()).contains("READ", "UPDATE");
    JsonNode disclosure =
        access.stream().filter(a -> a.path("action").asText().equals("READ")).findFirst().get();
    assertThat(disclosure.path("resourceType").asText()).isEqualTo("RoiRequest");
    assertThat(disclosure.path("resourceId").asText()).isEqualTo(id);
    assertThat(disclosure.path("patientIds").toString()).contains(patientId);
    assertThat(disclosure.path("detail").asText())
        .isEqualTo("disclosure: released to ATTORNEY under SUBPOENA, accountable");
    assertThat(disclosure.toString()).doesNotContain("Smith").doesNotContain("Court St");
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void theEventAndEntryCarryThePacketsHashPagesAndContents() throws Exception {
    String patientId = "pat-" + unique();
    String id = Releases.log(patientId, "SUBPOENA", "ATTORNEY", "Smith & Jones LLP", null, "Suit");
    Releases.subpoenaWithProtectiveOrder(id);
    assertThat(Releases.release(id, "ev-packet-" + unique())).isEqualTo(200);

    String sha;
    int pages;
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select sha256, page_count from roi_packet"
                    + " where request_id = cast(? as uuid) and current")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      sha = rs.getString(1);
      pages = rs.getInt(2);
    }
    JsonNode event = event("RequestReleased", id);
    assertThat(event.path("packetSha256").asText()).isEqualTo(sha).hasSize(64);
    assertThat(event.path("pageCount").asInt()).isEqualTo(pages).isPositive();
    // no scope asked for: the whole small record served for the patient
    String described =
        "DIAGNOSES: 1 (2024-05-01 to 2024-05-01); LAB_RESULTS: 1 (2024-03-10 to 2024-03-10)";
    assertThat(event.path("disclosures").get(0).path("description").asText()).isEqualTo(described);
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select description from roi_disclosure where request_id = cast(? as uuid)")) {
      q.setString(1, id);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(described);
    }
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aReleaseStoppedByTheBasisWritesNoEntryAndNoEvent() throws Exception {
    String patientId = "pat-" + unique();
    String id = Releases.log(patientId, "SUBPOENA", "ATTORNEY", "Smith & Jones LLP", null, null);
    Releases.subpoenaWithProtectiveOrder(id);
    Releases.toQualityReview(id);
    // the protective order turns out not to exist: no assurance, the release is refused
    given()
        .contentType("application/json")
        .body(Map.of("issuedOn", LocalDate.now().minusDays(5).toString()))
        .put(Releases.ROI + "/" + id + "/subpoena")
        .then()
        .statusCode(200);
    assertThat(Releases.move(id, Releases.version(id), Map.of("to", "RELEASED"), "ev-stopped"))
        .isEqualTo(409);
    assertThat(storedDisclosureIds(id)).isEmpty();
    assertThat(count("RequestReleased", id)).isZero();
  }

  // --- helpers ---

  JsonNode event(String type, String requestId) throws Exception {
    return JSON.readTree(new OutboxProbe(db).awaitEvent(type, "requestId", requestId));
  }

  int count(String type, String requestId) {
    return new OutboxProbe(db).countEvents(type, "requestId", requestId);
  }

  /** topic, key and version of the outbox row. */
  List<String> row(String type, String requestId) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select topic, event_key, event_version from outbox_event"
                    + " where event_type = ? and payload->>'requestId' = ?")) {
      q.setString(1, type);
      q.setString(2, requestId);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).isTrue();
      return List.of(rs.getString(1), rs.getString(2), rs.getString(3));
    }
  }

  List<JsonNode> accessEvents(String correlationId) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select cast(payload as text) from outbox_event where event_type = 'AccessEvent'"
                    + " and payload->>'correlationId' = ?")) {
      q.setString(1, correlationId);
      ResultSet rs = q.executeQuery();
      while (rs.next()) {
        out.add(JSON.readTree(rs.getString(1)));
      }
    }
    return out;
  }

  List<String> storedDisclosureIds(String requestId) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select id from roi_disclosure where request_id = cast(? as uuid)")) {
      q.setString(1, requestId);
      ResultSet rs = q.executeQuery();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
