package dev.him.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyLength;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The main flows of the platform as Gatling scenarios, each one iteration per virtual user, every
 * request through the gateway with the token of the role that does it in real life, every answer
 * checked (status and a key field) so that a wrong answer counts as a KO.
 */
final class Flows {
  private static final String FHIR_JSON = Fixtures.FHIR_JSON;

  private final LoadConfig config;
  private final Tokens tokens;
  private final Fixtures fixtures;

  /** A random setup patient per call (the setup fills the list before the first user starts). */
  private final Iterator<Map<String, Object>> patients;

  Flows(LoadConfig config, Tokens tokens, Fixtures fixtures) {
    this.config = config;
    this.tokens = tokens;
    this.fixtures = fixtures;
    this.patients = Stream.generate(fixtures::randomPatient).iterator();
  }

  ScenarioBuilder forFlow(String flow) {
    return switch (flow) {
      case "read" -> fhirRead();
      case "search" -> fhirSearch();
      case "import" -> bundleImport();
      case "codes" -> codeSearch();
      case "roi" -> releaseToPacket();
      case "audit" -> auditQuery();
      default -> throw new IllegalArgumentException(flow);
    };
  }

  /** FHIR read of a setup patient by the HIM clerk. */
  private ScenarioBuilder fhirRead() {
    return scenario("FHIR read")
        .feed(patients)
        .exec(
            as("clerk", http("FHIR read Patient").get("/fhir/r4/Patient/#{patientId}"))
                .header("Accept", FHIR_JSON)
                .check(
                    status().is(200),
                    jsonPath("$.resourceType").is("Patient"),
                    jsonPath("$.id").isEL("#{patientId}")));
  }

  /** FHIR searches a registration desk makes: family name + birth date, and the identifier. */
  private ScenarioBuilder fhirSearch() {
    return scenario("FHIR search")
        .feed(patients)
        .exec(
            as("clerk", http("FHIR search Patient family+birthdate").get("/fhir/r4/Patient"))
                .queryParam("family", "#{family}")
                .queryParam("birthdate", "#{birthDate}")
                .queryParam("_count", "20")
                .header("Accept", FHIR_JSON)
                .check(
                    status().is(200),
                    jsonPath("$.resourceType").is("Bundle"),
                    jsonPath("$.total").ofInt().gte(1),
                    jsonPath("$.entry[*].resource.id").findAll().exists()),
            as("clerk", http("FHIR search Patient identifier").get("/fhir/r4/Patient"))
                .queryParam("identifier", "#{identifier}")
                .header("Accept", FHIR_JSON)
                .check(
                    status().is(200),
                    jsonPath("$.total").ofInt().is(1),
                    jsonPath("$.entry[0].resource.id").isEL("#{patientId}")));
  }

  /** A hospital system posts one new patient's chart as a FHIR transaction bundle. */
  private ScenarioBuilder bundleImport() {
    return scenario("Bundle import")
        .exec(
            as("importer", http("FHIR transaction Bundle (8 resources)").post("/fhir/r4"))
                .header("Content-Type", FHIR_JSON)
                .header("Accept", FHIR_JSON)
                .body(StringBody(session -> fixtures.importBundle()))
                .check(
                    status().is(200),
                    jsonPath("$.type").is("transaction-response"),
                    jsonPath("$.entry[*].response.location")
                        .count()
                        .is(Fixtures.ENTRIES_PER_PATIENT)));
  }

  /** A coder's ICD-10-CM searches: real terms, abbreviations and codes (data/...csv). */
  private ScenarioBuilder codeSearch() {
    return scenario("Code search")
        .feed(csv("data/icd10cm-search-terms.csv").random())
        .exec(
            as(
                    "coder",
                    http("code search " + config.codeSystem)
                        .get("/api/coding/" + config.codeSystem + "/search"))
                .queryParam("q", "#{q}")
                .queryParam("limit", String.valueOf(config.codeLimit))
                .check(
                    status().is(200),
                    jsonPath("$.total").ofInt().gte(1),
                    jsonPath("$.items[0].code").exists()));
  }

  /**
   * Release of information, as the ROI specialist works it: log a right-of-access request for a
   * setup patient, verify identity, validate the basis, process, build the fulfilment packet and
   * download it; with -Droi.release=true also quote the fee, record that it was shown, quality
   * review and release. The group's time is the whole request-to-packet time.
   */
  private ScenarioBuilder releaseToPacket() {
    ChainBuilder toPacket =
        exec(as(
                    "roi",
                    http("ROI log request")
                        .post("/api/requests/roi")
                        .header("Content-Type", "application/json")
                        .body(StringBody(Flows::roiRequestBody)))
                .check(
                    status().is(201),
                    jsonPath("$.status").is("RECEIVED"),
                    jsonPath("$.patientId").isEL("#{patientId}"),
                    jsonPath("$.id").saveAs("requestId"),
                    jsonPath("$.version").saveAs("version")))
            .exitHereIfFailed()
            .exec(move("IDENTITY_VERIFIED", ", \"identityMethod\": \"PHOTO_ID\""))
            .exitHereIfFailed()
            .exec(move("BASIS_VALIDATED", ""))
            .exitHereIfFailed()
            .exec(move("IN_PROCESSING", ""))
            .exitHereIfFailed()
            .exec(
                as("roi", http("ROI build packet").post("/api/requests/roi/#{requestId}/packet"))
                    .check(
                        status().is(201),
                        jsonPath("$.resourceCount").ofInt().gte(1),
                        jsonPath("$.pageCount").ofInt().gte(1),
                        jsonPath("$.sha256").saveAs("packetSha256")))
            .exitHereIfFailed()
            .exec(
                as(
                        "roi",
                        http("ROI download packet PDF")
                            .get("/api/requests/roi/#{requestId}/packet/content"))
                    .header("Accept", "application/pdf")
                    .check(
                        status().is(200),
                        header("Content-Type").is("application/pdf"),
                        header("X-Content-SHA256").isEL("#{packetSha256}"),
                        bodyLength().gt(1000)));
    ChainBuilder release =
        exec(as("roi", http("ROI fee quote").get("/api/requests/roi/#{requestId}/fee"))
                .check(status().is(200), jsonPath("$.total").saveAs("feeTotal")))
            .exitHereIfFailed()
            .exec(
                as(
                        "roi",
                        http("ROI fee acknowledgement")
                            .post("/api/requests/roi/#{requestId}/fee/acknowledgement"))
                    .header("Content-Type", "application/json")
                    .body(
                        StringBody(
                            "{\"shownTo\": \"Load Test Patient\", \"shownVia\": \"PORTAL\","
                                + " \"total\": #{feeTotal}}"))
                    .check(status().is(201)))
            .exitHereIfFailed()
            .exec(move("QUALITY_REVIEW", ""))
            .exitHereIfFailed()
            .exec(move("RELEASED", ""));
    ChainBuilder flow = config.roiRelease ? toPacket.exitHereIfFailed().exec(release) : toPacket;
    return scenario("Release request to packet")
        .feed(patients)
        .group(config.roiRelease ? "ROI request to release" : "ROI request to packet")
        .on(flow);
  }

  /** The privacy officer asks who accessed a patient (the setup patients are read under load). */
  private ScenarioBuilder auditQuery() {
    return scenario("Audit query")
        .feed(patients)
        .exec(
            as("privacy", http("audit who accessed patient").get("/api/audit/entries"))
                .queryParam("patient", "#{patientId}")
                .queryParam("count", "50")
                .check(
                    status().is(200),
                    jsonPath("$.total").ofInt().gte(session -> fixtures.auditMinimum()),
                    jsonPath("$.entries").exists()));
  }

  /** A right-of-access request by the individual for the session's patient. */
  private static String roiRequestBody(Session session) {
    return """
    {"patientId": "%s",
     "requester": {"type": "INDIVIDUAL", "name": "Load Test Patient",
                   "address": "1 Main Street, Boston, MA 02118"},
     "requestType": "RIGHT_OF_ACCESS", "receivedOn": "%s",
     "recordsRequested": "My whole record", "deliveryFormat": "ELECTRONIC"}
    """
        .formatted(
            session.getString("patientId"),
            // yesterday in UTC is not in the future in any time zone the service may use
            LocalDate.now(ZoneOffset.UTC).minusDays(1));
  }

  /** One workflow move with the request's current version; saves the new one. */
  private HttpRequestActionBuilder move(String to, String extra) {
    return as("roi", http("ROI move to " + to).post("/api/requests/roi/#{requestId}/transitions"))
        .header("Content-Type", "application/json")
        .header("If-Match", "\"#{version}\"")
        .body(StringBody("{\"to\": \"" + to + "\"" + extra + "}"))
        .check(
            status().is(200), jsonPath("$.status").is(to), jsonPath("$.version").saveAs("version"));
  }

  /** The request with the role's current bearer token. */
  private HttpRequestActionBuilder as(String role, HttpRequestActionBuilder request) {
    return request.header("Authorization", session -> tokens.bearer(role));
  }
}
