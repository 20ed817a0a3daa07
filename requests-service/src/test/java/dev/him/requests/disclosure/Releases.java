package dev.him.requests.disclosure;

import static io.restassured.RestAssured.given;

import dev.him.requests.testing.Packets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Drives release-of-information requests through the real endpoints (intake, legal basis, the
 * workflow with If-Match) for the accounting and event tests. Needs a caller with the
 * roi-specialist role.
 */
public final class Releases {
  public static final String ROI = "/api/requests/roi";

  private Releases() {}

  /** Logs a request; returns its id. */
  public static String log(
      String patientId,
      String requestType,
      String requesterType,
      String requesterName,
      String requesterAddress,
      String purpose) {
    Map<String, Object> requester = new LinkedHashMap<>();
    requester.put("type", requesterType);
    requester.put("name", requesterName);
    requester.put("address", requesterAddress);
    if (!List.of("INDIVIDUAL", "PERSONAL_REPRESENTATIVE", "ATTORNEY").contains(requesterType)) {
      requester.put("organization", requesterName); // intake asks organisations to name themselves
    }
    Map<String, Object> body = new LinkedHashMap<>();
    Packets.serveSmallRecord(patientId); // intake checks the id, the packet reads the record
    body.put("patientId", patientId);
    body.put("requester", requester);
    body.put("requestType", requestType);
    body.put("receivedOn", LocalDate.now().minusDays(3).toString());
    body.put("recordsRequested", "Discharge summary and labs of 2024");
    body.put("purpose", purpose);
    return given()
        .contentType("application/json")
        .body(body)
        .post(ROI)
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  public static void scope(String id, List<String> recordTypes, LocalDate from, LocalDate to) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("recordTypes", recordTypes);
    body.put("from", from.toString());
    body.put("to", to.toString());
    given()
        .contentType("application/json")
        .body(body)
        .put(ROI + "/" + id + "/scope")
        .then()
        .statusCode(200);
  }

  /** A subpoena with a qualified protective order obtained: satisfactory assurance. */
  public static void subpoenaWithProtectiveOrder(String id) {
    given()
        .contentType("application/json")
        .body(
            Map.of(
                "issuedOn", LocalDate.now().minusDays(5).toString(), "protectiveOrder", "OBTAINED"))
        .put(ROI + "/" + id + "/subpoena")
        .then()
        .statusCode(200);
  }

  public static void courtOrder(String id, List<String> recordTypes, LocalDate from, LocalDate to) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("issuingCourt", "Suffolk Superior Court");
    body.put("issuedOn", LocalDate.now().minusDays(5).toString());
    body.put("recordTypes", recordTypes);
    body.put("dateFrom", from.toString());
    body.put("dateTo", to.toString());
    given()
        .contentType("application/json")
        .body(body)
        .put(ROI + "/" + id + "/court-order")
        .then()
        .statusCode(200);
  }

  public static void authorization(String id) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("informationDescription", "Discharge summaries and lab results, 2024");
    a.put("discloser", "General Hospital HIM department");
    a.put("recipient", "Acme Life Insurance");
    a.put("purpose", "Life insurance application");
    a.put("expiresOn", LocalDate.now().plusMonths(6).toString());
    a.put("signed", true);
    a.put("signedOn", LocalDate.now().minusDays(2).toString());
    a.put("signerType", "PATIENT");
    a.put("statementRightToRevoke", true);
    a.put("statementConditioning", true);
    a.put("statementRedisclosure", true);
    given()
        .contentType("application/json")
        .body(a)
        .put(ROI + "/" + id + "/authorization")
        .then()
        .statusCode(200);
  }

  /**
   * Moves a new request to QUALITY_REVIEW through every step; the last move releases it with this
   * X-Request-Id. Returns the release's HTTP status.
   */
  public static int release(String id, String correlationId) {
    toQualityReview(id);
    Packets.acknowledgeFee(id);
    return move(id, version(id), Map.of("to", "RELEASED"), correlationId);
  }

  public static void toQualityReview(String id) {
    Map<String, Object> verify = Map.of("to", "IDENTITY_VERIFIED", "identityMethod", "PHOTO_ID");
    expect(move(id, version(id), verify, x()), 200);
    expect(move(id, version(id), Map.of("to", "BASIS_VALIDATED"), x()), 200);
    expect(move(id, version(id), Map.of("to", "IN_PROCESSING"), x()), 200);
    Packets.build(id);
    expect(move(id, version(id), Map.of("to", "QUALITY_REVIEW"), x()), 200);
  }

  /** The version to send in If-Match: documents stored on the request (scope) move it on. */
  public static long version(String id) {
    return given()
        .get(ROI + "/" + id)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getLong("version");
  }

  public static int move(String id, long version, Map<String, Object> body, String correlationId) {
    return given()
        .contentType("application/json")
        .header("If-Match", "\"" + version + "\"")
        .header("X-Request-Id", correlationId)
        .body(body)
        .post(ROI + "/" + id + "/transitions")
        .then()
        .extract()
        .statusCode();
  }

  private static void expect(int status, int expected) {
    if (status != expected) {
      throw new AssertionError("move answered " + status + ", expected " + expected);
    }
  }

  private static String x() {
    return "step-" + unique();
  }

  public static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
