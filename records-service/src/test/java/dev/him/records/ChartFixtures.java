package dev.him.records;

import static io.restassured.RestAssured.given;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Builds charts through the FHIR API, as a hospital system would, for the tests. */
public final class ChartFixtures {
  public static final String FHIR = "application/fhir+json; charset=UTF-8";
  public static final String LOINC = "http://loinc.org";

  private ChartFixtures() {}

  public static String post(String type, String body) {
    return given()
        .contentType(FHIR)
        .body(body)
        .post("/fhir/r4/" + type)
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  public static void put(String type, String id, String body) {
    given().contentType(FHIR).body(body).put("/fhir/r4/" + type + "/" + id).then().statusCode(200);
  }

  public static String patient() {
    return post(
        "Patient",
        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Chart"
            + UUID.randomUUID().toString().substring(0, 8)
            + "\"}]}");
  }

  /** A fresh practitioner id (only referenced, never stored: references are not resolved). */
  public static String practitioner() {
    return "pr-" + UUID.randomUUID().toString().substring(0, 12);
  }

  public static String daysAgo(long days) {
    return Instant.now().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * An Encounter resource.
   *
   * @param attending a Practitioner id typed ATND, or null for none
   * @param extra more JSON members, starting with a comma, or ""
   */
  public static String encounter(
      String id,
      String patient,
      String status,
      String cls,
      String start,
      String end,
      String attending,
      String extra) {
    StringBuilder json = new StringBuilder("{\"resourceType\":\"Encounter\"");
    if (id != null) json.append(",\"id\":\"").append(id).append('"');
    json.append(",\"status\":\"").append(status).append('"');
    json.append(",\"class\":{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",")
        .append("\"code\":\"")
        .append(cls)
        .append("\"}");
    json.append(",\"subject\":{\"reference\":\"Patient/").append(patient).append("\"}");
    if (attending != null) {
      json.append(
              ",\"participant\":[{\"type\":[{\"coding\":[{\"system\":"
                  + "\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\","
                  + "\"code\":\"ATND\"}]}],\"individual\":{\"reference\":\"Practitioner/")
          .append(attending)
          .append("\"}}]");
    }
    json.append(",\"period\":{");
    if (start != null) json.append("\"start\":\"").append(start).append('"');
    if (end != null)
      json.append(start != null ? "," : "").append("\"end\":\"").append(end).append('"');
    json.append('}');
    json.append(extra).append('}');
    return json.toString();
  }

  /** A finished encounter admitted {@code days + 2} days ago and discharged {@code days} ago. */
  public static String discharged(String patient, String cls, String attending, long days) {
    return post(
        "Encounter",
        encounter(null, patient, "finished", cls, daysAgo(days + 2), daysAgo(days), attending, ""));
  }

  public static String condition(String patient, String encounter) {
    return post(
        "Condition",
        """
        {"resourceType":"Condition","subject":{"reference":"Patient/%s"},
         "encounter":{"reference":"Encounter/%s"},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes"}]}}
        """
            .formatted(patient, encounter));
  }

  /**
   * A DocumentReference of a LOINC type in an encounter's context.
   *
   * @param signer the authenticating Practitioner (docStatus final), or null for a preliminary,
   *     unsigned document
   */
  public static String document(
      String id, String patient, String encounter, String loinc, String author, String signer) {
    StringBuilder json = new StringBuilder("{\"resourceType\":\"DocumentReference\"");
    if (id != null) json.append(",\"id\":\"").append(id).append('"');
    json.append(",\"status\":\"current\"");
    json.append(",\"docStatus\":\"").append(signer == null ? "preliminary" : "final").append('"');
    json.append(",\"type\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"")
        .append(loinc)
        .append("\"}]}");
    json.append(",\"subject\":{\"reference\":\"Patient/").append(patient).append("\"}");
    if (author != null) {
      json.append(",\"author\":[{\"reference\":\"Practitioner/").append(author).append("\"}]");
    }
    if (signer != null) {
      json.append(",\"authenticator\":{\"reference\":\"Practitioner/").append(signer).append("\"}");
    }
    json.append(
        ",\"content\":[{\"attachment\":{\"contentType\":\"text/plain\",\"data\":\"bm90ZQ==\"}}]");
    json.append(",\"context\":{\"encounter\":[{\"reference\":\"Encounter/")
        .append(encounter)
        .append("\"}]}}");
    return json.toString();
  }
}
