package dev.him.records.mpi;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/** Patients, resources and queries the MPI tests share. Each test makes its own patients. */
final class MpiFixtures {
  static final String FHIR = "application/fhir+json; charset=UTF-8";
  static final ObjectMapper JSON = new ObjectMapper();

  private MpiFixtures() {}

  /** A birth date no other test is likely to use, so pairs come only from what a test sets up. */
  static String birthDate() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return LocalDate.of(1920 + r.nextInt(80), 1 + r.nextInt(12), 1 + r.nextInt(28)).toString();
  }

  static String phone() {
    return "+1 617 "
        + (200 + ThreadLocalRandom.current().nextInt(800))
        + " "
        + (1000 + ThreadLocalRandom.current().nextInt(9000));
  }

  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** A name no other patient has: letters only, so it has a phonetic code of its own. */
  static String uniqueName() {
    StringBuilder s = new StringBuilder("Q");
    String letters = "bcdfghjklmnpqrstvwxz";
    for (int i = 0; i < 9; i++) {
      s.append(letters.charAt(ThreadLocalRandom.current().nextInt(letters.length())));
    }
    return s.toString();
  }

  static String patientJson(
      String family, String given, String gender, String birthDate, String phone, String line) {
    return """
        {"resourceType":"Patient",
         "identifier":[{"system":"http://hl7.org/fhir/sid/us-ssn","value":"%s"}],
         "name":[{"use":"official","family":"%s","given":["%s"]}],
         "gender":"%s","birthDate":"%s"%s%s}
        """
        .formatted(
            "9" + unique(),
            family,
            given,
            gender,
            birthDate,
            phone == null
                ? ""
                : ",\"telecom\":[{\"system\":\"phone\",\"value\":\"" + phone + "\"}]",
            line == null
                ? ""
                : ",\"address\":[{\"line\":[\""
                    + line
                    + "\"],\"city\":\"Boston\",\"postalCode\":\"02118\"}]");
  }

  static String createPatient(String json) {
    return given()
        .contentType(FHIR)
        .body(json)
        .post("/fhir/r4/Patient")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  static String createResource(String type, String json) {
    return given()
        .contentType(FHIR)
        .body(json)
        .post("/fhir/r4/" + type)
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  static String encounter(String patientId) {
    return """
        {"resourceType":"Encounter","status":"finished",
         "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},
         "subject":{"reference":"Patient/%s"},
         "period":{"start":"2026-03-01T08:00:00Z","end":"2026-03-04T12:00:00Z"}}
        """
        .formatted(patientId);
  }

  static String condition(String patientId, String encounterId) {
    return """
        {"resourceType":"Condition","subject":{"reference":"Patient/%s"},
         "encounter":{"reference":"Encounter/%s"},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}]},
         "onsetDateTime":"2026-03-02"}
        """
        .formatted(patientId, encounterId);
  }

  /** The queue entry for this pair (any status), or null: found through the API. */
  static Map<String, Object> candidateOf(String x, String y, String status) {
    JsonPath page =
        given()
            .queryParam("patient", x)
            .queryParam("status", status)
            .queryParam("count", 100)
            .get("/api/records/mpi/candidates")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<Map<String, Object>> items = page.getList("items");
    for (Map<String, Object> item : items) {
      Object a = ((Map<?, ?>) item.get("patientA")).get("id");
      Object b = ((Map<?, ?>) item.get("patientB")).get("id");
      if ((x.equals(a) && y.equals(b)) || (x.equals(b) && y.equals(a))) return item;
    }
    return null;
  }

  static long count(DataSource db, String sql, Object... args) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) q.setObject(i + 1, args[i]);
      ResultSet rs = q.executeQuery();
      rs.next();
      return rs.getLong(1);
    }
  }

  static String text(DataSource db, String sql, Object... args) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) q.setObject(i + 1, args[i]);
      ResultSet rs = q.executeQuery();
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** The access events a request wrote (by its X-Request-Id). */
  static List<JsonNode> accessEvents(DataSource db, String requestId) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select cast(payload as text) from outbox_event where event_type = 'AccessEvent'"
                    + " and payload->>'correlationId' = ? order by created_at")) {
      q.setString(1, requestId);
      ResultSet rs = q.executeQuery();
      while (rs.next()) events.add(JSON.readTree(rs.getString(1)));
    }
    return events;
  }
}
