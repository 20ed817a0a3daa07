package dev.him.requests.fulfilment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.OutboxProbe;
import dev.him.infra.testing.PostgresResource;
import dev.him.requests.testing.Packets;
import dev.him.requests.testing.RecordsServiceStub;
import dev.him.requests.testing.SyntheaPatients;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Release packets built from a real Synthea patient (304 entries) with sensitive resources added:
 * the substance-use episode (every resource mentioning the overdose, labelled 42CFRPart2), an HIV
 * result, a psychotherapy note, a legal-proceedings memo and a note in characters outside WinAnsi.
 * The PDF is read back with PDFTextStripper.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "requests"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(RecordsServiceStub.class)
class PacketResourceTest {
  static final String ROI = "/api/requests/roi";
  static final String PROBLEM = "application/problem+json";
  static final ObjectMapper JSON = new ObjectMapper();
  static final LocalDate TODAY = LocalDate.now();
  static final String HIV_TEXT = "HIV-1 RNA viral load HIVQ7";
  static final String PSYCHOTHERAPY_TEXT = "PSYNOTE-Z9 session notes";
  static final String LEGAL_TEXT = "LEGALMEMO-K4 memo for counsel";
  static final String UNICODE_TEXT = "UNICODE-N1 Zoë Łukasz 李 ✓ done";
  static final Pattern DATED = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2})\\s");

  @Inject AgroalDataSource db;

  SyntheaPatients.Loaded patient;
  int encounters;

  @BeforeEach
  void servePatientWithSensitiveRecords() {
    RecordsServiceStub.reset();
    patient = SyntheaPatients.load(SyntheaPatients.LARGEST);
    FhirContext fhir = FhirContext.forR4Cached();
    for (Resource r : patient.record()) {
      String json = fhir.newJsonParser().encodeResourceToString(r).toLowerCase(Locale.ROOT);
      if (json.contains("overdose")) {
        label(r, "42CFRPart2");
      }
    }
    encounters = (int) patient.record().stream().filter(r -> r instanceof Encounter).count();
    Observation hiv = new Observation();
    hiv.setId("hiv-" + UUID.randomUUID());
    hiv.addCategory().addCoding().setCode("laboratory");
    hiv.setCode(new CodeableConcept().setText(HIV_TEXT));
    hiv.setEffective(new DateTimeType("2015-03-03"));
    hiv.setValue(new StringType("not detected"));
    label(hiv, "HIV");
    patient.record().add(hiv);
    patient.record().add(note("PSYTHPN", "2015-04-04", PSYCHOTHERAPY_TEXT));
    patient.record().add(note("LEGALPROC", "2015-05-05", LEGAL_TEXT));
    patient.record().add(note(null, "2015-06-06", UNICODE_TEXT));
    patient.serve();
  }

  // --- what goes in, what stays out ---

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void rightOfAccessGetsTheWholeRecordExceptPsychotherapyNotesAndLegalFiles() throws Exception {
    String id = newRequest("RIGHT_OF_ACCESS", "INDIVIDUAL", "Cary O'Hara");
    // what the individual narrowed does not cut the designated record set
    scope(id, List.of("LAB_RESULTS"), List.of(), "2020-01-01", "2020-12-31");
    toInProcessing(id);

    String built = "pk-roa-" + unique();
    ExtractableResponse<Response> created =
        given()
            .header("X-Request-Id", built)
            .post(ROI + "/" + id + "/packet")
            .then()
            .statusCode(201)
            .header("Location", containsString("/api/requests/roi/" + id + "/packet"))
            .header("Server-Timing", containsString("records;dur="))
            .body("current", equalTo(true))
            .body("minimumNecessary", equalTo(false))
            .body("included.ENCOUNTERS.count", equalTo(encounters))
            .body("included.BILLING.count", equalTo(count("Claim") + count("ExplanationOfBenefit")))
            .body("withheld.PSYCHOTHERAPY_NOTES", equalTo(1))
            .body("withheld.LEGAL_PROCEEDINGS", equalTo(1))
            .body("part2Notice", equalTo(true))
            .body("outsideScope", equalTo(0))
            .body("builtBy", equalTo("rita"))
            .extract();
    assertThat(created.jsonPath().getMap("withheld")).hasSize(2);
    int pages = created.jsonPath().getInt("pageCount");
    String sha = created.jsonPath().getString("sha256");

    byte[] pdf = download(id, sha);
    List<String> text = pages(pdf);
    assertThat(text).hasSize(pages);
    String all = String.join("\n", text);
    assertThat(all).contains(HIV_TEXT, "UNICODE-N1 Zoë", "Cary");
    assertThat(all.toLowerCase(Locale.ROOT)).contains("drug overdose");
    assertThat(all).doesNotContain("PSYNOTE-Z9").doesNotContain("LEGALMEMO-K4");
    assertThat(all).contains(PacketLayout.PART2_HEADING);
    assertThat(all.replace("\n", " ")).contains("any other use or disclosure of this record");
    assertThat(all.replace("\n", " "))
        .contains("This packet does not say whether any such records");
    // the cover letter: recipient, patient name and birth date, request id
    assertThat(text.get(0)).contains("Cary O'Hara", "1963-04-02", id, "right of access");
    assertBatesAndFooterOnEveryPage(id, text, "Cary O'Hara");

    JsonNode event = awaitOutboxEvent(built);
    assertThat(event.path("action").asText()).isEqualTo("CREATE");
    assertThat(event.path("resourceType").asText()).isEqualTo("RoiPacket");
    assertThat(event.path("patientIds").toString()).contains(patient.patientId());
    assertThat(storedSha(id)).isEqualTo(sha);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aCourtOrderReleasesOnlyTheTypesDatesAndCategoriesItNames() throws Exception {
    String id = newRequest("COURT_ORDER", "ATTORNEY", "Smith & Jones LLP");
    scope(id, List.of("DIAGNOSES", "LAB_RESULTS"), List.of(), "2000-01-01", "2016-12-31");
    courtOrder(id, List.of("DIAGNOSES", "LAB_RESULTS"), List.of(), "2000-01-01", "2016-12-31");
    toInProcessing(id);

    ExtractableResponse<Response> created =
        given()
            .post(ROI + "/" + id + "/packet")
            .then()
            .statusCode(201)
            .body("minimumNecessary", equalTo(true))
            .body("part2Notice", equalTo(false))
            .extract();
    Map<String, Object> included = created.jsonPath().getMap("included");
    assertThat(included.keySet()).containsExactlyInAnyOrder("DIAGNOSES", "LAB_RESULTS");
    for (String type : included.keySet()) {
      String from = created.jsonPath().getString("included." + type + ".from");
      String to = created.jsonPath().getString("included." + type + ".to");
      assertThat(from).isGreaterThanOrEqualTo("2000-01-01");
      assertThat(to).isLessThanOrEqualTo("2016-12-31");
    }
    // the overdose (2002) is in range but Part 2, the HIV result in range but not named
    assertThat(created.jsonPath().getInt("withheld.SUBSTANCE_USE_DISORDER")).isPositive();
    assertThat(created.jsonPath().getInt("withheld.HIV")).isEqualTo(1);
    assertThat(created.jsonPath().getInt("outsideScope")).isPositive();

    List<String> text = pages(download(id, created.jsonPath().getString("sha256")));
    String all = String.join("\n", text);
    assertThat(all.toLowerCase(Locale.ROOT)).doesNotContain("overdose");
    assertThat(all).doesNotContain("HIVQ7").doesNotContain("PSYNOTE-Z9");
    assertThat(all).doesNotContain(PacketLayout.PART2_HEADING);
    assertThat(all).doesNotContain("Encounter:").doesNotContain("Claim:");
    // 1992 and 1993 diagnoses are outside the dates; 2013 and 2015 inside
    assertThat(all).doesNotContain("Chronic intractable migraine").doesNotContain("Chronic pain");
    assertThat(all).contains("Acute viral pharyngitis", "Viral sinusitis");
    assertThat(all.replace("\n", " ")).contains("not included", "Not expressly named in the court");
    List<String> days = recordDays(text);
    assertThat(days)
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d).isBetween("2000-01-01", "2016-12-31"));
    assertBatesAndFooterOnEveryPage(id, text, "Smith & Jones LLP");
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void anAuthorizationWithPart2ConsentReleasesTheSudRecordsWithTheNotice() throws Exception {
    String id = newRequest("AUTHORIZATION", "INSURER", "Acme Life Insurance");
    scope(id, List.of("DIAGNOSES", "ENCOUNTERS"), List.of("SUBSTANCE_USE_DISORDER"), null, null);
    Map<String, Object> auth = completeAuthorization();
    auth.put("coversSubstanceUseRecords", true);
    auth.put("part2", completePart2());
    given()
        .contentType("application/json")
        .body(auth)
        .put(ROI + "/" + id + "/authorization")
        .then()
        .statusCode(200);
    toInProcessing(id);

    ExtractableResponse<Response> created =
        given()
            .post(ROI + "/" + id + "/packet")
            .then()
            .statusCode(201)
            .body("part2Notice", equalTo(true))
            .body("included.ENCOUNTERS.count", equalTo(encounters))
            .extract();
    assertThat(created.jsonPath().getMap("included").keySet())
        .containsExactlyInAnyOrder("DIAGNOSES", "ENCOUNTERS");
    String all = String.join("\n", pages(download(id, created.jsonPath().getString("sha256"))));
    assertThat(all.toLowerCase(Locale.ROOT)).contains("drug overdose");
    assertThat(all).contains(PacketLayout.PART2_HEADING);
    assertThat(all)
        .doesNotContain("HIVQ7")
        .doesNotContain("PSYNOTE-Z9")
        .doesNotContain("LEGALMEMO");
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void withoutPart2ConsentTheSudRecordsAndTheNoticeStayOut() throws Exception {
    String id = newRequest("AUTHORIZATION", "INSURER", "Acme Life Insurance");
    scope(id, List.of("DIAGNOSES", "ENCOUNTERS"), List.of(), null, null);
    given()
        .contentType("application/json")
        .body(completeAuthorization())
        .put(ROI + "/" + id + "/authorization")
        .then()
        .statusCode(200);
    toInProcessing(id);

    ExtractableResponse<Response> created =
        given().post(ROI + "/" + id + "/packet").then().statusCode(201).extract();
    assertThat(created.jsonPath().getBoolean("part2Notice")).isFalse();
    assertThat(created.jsonPath().getInt("withheld.SUBSTANCE_USE_DISORDER")).isPositive();
    String all = String.join("\n", pages(download(id, created.jsonPath().getString("sha256"))));
    assertThat(all.toLowerCase(Locale.ROOT)).doesNotContain("overdose");
    assertThat(all).doesNotContain(PacketLayout.PART2_HEADING);
    assertThat(all).contains("Acute viral pharyngitis");
  }

  // --- when a packet may be built, and rebuilt ---

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aPacketIsBuiltOnlyInProcessingAndARebuildSupersedesTheOldOne() throws Exception {
    String id = newRequest("RIGHT_OF_ACCESS", "INDIVIDUAL", "Cary O'Hara");
    given()
        .post(ROI + "/" + id + "/packet")
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("status"))
        .body("detail", containsString("RECEIVED"));
    given().get(ROI + "/" + id + "/packet").then().statusCode(404).contentType(PROBLEM);

    toInProcessing(id);
    String first = Packets.build(id);
    String second = Packets.build(id);
    assertThat(second).isNotEqualTo(first);
    given()
        .get(ROI + "/" + id + "/packet")
        .then()
        .statusCode(200)
        .body("id", equalTo(second))
        .body("current", equalTo(true));
    List<String> rows =
        rows(
            "select id || ':' || current || ':' || (superseded_at is not null) from roi_packet"
                + " where request_id = cast(? as uuid) order by built_at",
            id);
    assertThat(rows).containsExactly(first + ":false:true", second + ":true:false");
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aRevokedAuthorizationStopsTheBuild() throws Exception {
    String id = newRequest("AUTHORIZATION", "INSURER", "Acme Life Insurance");
    given()
        .contentType("application/json")
        .body(completeAuthorization())
        .put(ROI + "/" + id + "/authorization")
        .then()
        .statusCode(200);
    toInProcessing(id);
    given()
        .contentType("application/json")
        .body(Map.of("revokedBy", "Cary", "reason", "No", "receivedOn", TODAY.toString()))
        .post(ROI + "/" + id + "/authorization/revocation")
        .then()
        .statusCode(200);
    given()
        .post(ROI + "/" + id + "/packet")
        .then()
        .statusCode(409)
        .body("invalid-params.name", hasItem("authorization.revocation"));
    assertThat(rows("select id::text from roi_packet where request_id = cast(? as uuid)", id))
        .isEmpty();
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void whenRecordsServiceFailsTheAnswerIs503AndNothingIsStored() throws Exception {
    String id = newRequest("RIGHT_OF_ACCESS", "INDIVIDUAL", "Cary O'Hara");
    toInProcessing(id);
    RecordsServiceStub.failNext(3, 503); // the first try and both retries

    given()
        .post(ROI + "/" + id + "/packet")
        .then()
        .statusCode(503)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("records-service"));
    assertThat(rows("select id::text from roi_packet where request_id = cast(? as uuid)", id))
        .isEmpty();
    given().get(ROI + "/" + id + "/packet").then().statusCode(404);
  }

  // --- the workflow needs the packet and the fee ---

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void qualityReviewNeedsAPacketAndReleaseTheFeeShownForTheCurrentPacket() throws Exception {
    String id = newRequest("RIGHT_OF_ACCESS", "INDIVIDUAL", "Cary O'Hara");
    toInProcessing(id);
    move(id, version(id), "QUALITY_REVIEW")
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("invalid-params.name", equalTo(List.of("packet")))
        .body("title", containsString("QUALITY_REVIEW"));

    Packets.build(id);
    Packets.acknowledgeFee(id);
    Packets.build(id); // the packet changed after the fee was shown: show it again
    move(id, version(id), "QUALITY_REVIEW").then().statusCode(200);
    move(id, version(id), "RELEASED")
        .then()
        .statusCode(409)
        .body("invalid-params.name", equalTo(List.of("feeAcknowledgement")))
        .body("detail", containsString("feeAcknowledgement"));

    Packets.acknowledgeFee(id);
    move(id, version(id), "RELEASED").then().statusCode(200).body("status", equalTo("RELEASED"));
    // released: downloadable for download-days from the release
    ExtractableResponse<Response> meta =
        given().get(ROI + "/" + id + "/packet").then().statusCode(200).extract();
    assertThat(meta.jsonPath().getBoolean("downloadable")).isTrue();
    download(id, meta.jsonPath().getString("sha256"));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void releaseWithoutAnyPacketNamesBothMissingThings() throws Exception {
    String id = newRequest("RIGHT_OF_ACCESS", "INDIVIDUAL", "Cary O'Hara");
    toInProcessing(id);
    sql("update roi_request set status = 'QUALITY_REVIEW' where id = cast('" + id + "' as uuid)");
    move(id, version(id), "RELEASED")
        .then()
        .statusCode(409)
        .body("invalid-params.name", equalTo(List.of("packet", "feeAcknowledgement")));
  }

  // --- download ---

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aPacketCannotBeDownloadedAfterItsExpiryAndEachDownloadIsRecorded() throws Exception {
    String id = newRequest("RIGHT_OF_ACCESS", "INDIVIDUAL", "Cary O'Hara");
    toInProcessingDirectly(id);
    String packetId = Packets.build(id);
    String downloadId = "pk-dl-" + unique();
    given()
        .header("X-Request-Id", downloadId)
        .get(ROI + "/" + id + "/packet/content")
        .then()
        .statusCode(200)
        .contentType("application/pdf");
    JsonNode event = awaitOutboxEvent(downloadId);
    assertThat(event.path("action").asText()).isEqualTo("READ");
    assertThat(event.path("resourceType").asText()).isEqualTo("RoiPacket");
    assertThat(event.path("resourceId").asText()).isEqualTo(packetId);
    assertThat(event.path("actor").path("username").asText()).isEqualTo("admin");

    // built 31 days ago and not released: the 30 days are over
    sql(
        "update roi_packet set built_at = now() - interval '31 days' where id = cast('"
            + packetId
            + "' as uuid)");
    given()
        .get(ROI + "/" + id + "/packet/content")
        .then()
        .statusCode(410)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("packet"));
    given()
        .get(ROI + "/" + id + "/packet")
        .then()
        .statusCode(200)
        .body("downloadable", equalTo(false));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void otherRolesMayNotBuildOrDownload() throws Exception {
    String id = UUID.randomUUID().toString();
    String refused = "pk-403-" + unique();
    given()
        .header("X-Request-Id", refused)
        .post(ROI + "/" + id + "/packet")
        .then()
        .statusCode(403)
        .contentType(PROBLEM);
    assertThat(awaitOutboxEvent(refused).path("outcome").asText()).isEqualTo("FORBIDDEN");
    given().get(ROI + "/" + id + "/packet").then().statusCode(403);
    given().get(ROI + "/" + id + "/packet/content").then().statusCode(403);
  }

  @Test
  void withoutATokenThePacketIs401() {
    given().post(ROI + "/" + UUID.randomUUID() + "/packet").then().statusCode(401);
  }

  // --- helpers ---

  void assertBatesAndFooterOnEveryPage(String id, List<String> pages, String recipient) {
    String prefix = "HIM-" + id.substring(0, 8).toUpperCase(Locale.ROOT) + "-";
    for (int i = 0; i < pages.size(); i++) {
      String page = pages.get(i);
      assertThat(page)
          .as("page %d", i + 1)
          .contains(prefix + String.format("%06d", i + 1))
          .contains("Released to " + recipient + " on ")
          .contains("Page " + (i + 1) + " of " + pages.size());
    }
  }

  /** The days heading each record entry (after the "Records" heading). */
  static List<String> recordDays(List<String> pages) {
    List<String> days = new ArrayList<>();
    boolean inRecords = false;
    for (String page : pages) {
      for (String line : page.split("\n")) {
        if (line.strip().equals("Records")) {
          inRecords = true;
        }
        Matcher m = DATED.matcher(line);
        if (inRecords && m.find()) {
          days.add(m.group(1));
        }
      }
    }
    return days;
  }

  byte[] download(String id, String sha) throws Exception {
    ExtractableResponse<Response> r =
        given()
            .get(ROI + "/" + id + "/packet/content")
            .then()
            .statusCode(200)
            .contentType("application/pdf")
            .header("X-Content-SHA256", sha)
            .header("ETag", containsString(sha))
            .extract();
    byte[] pdf = r.asByteArray();
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf)))
        .isEqualTo(sha);
    return pdf;
  }

  static List<String> pages(byte[] pdf) throws Exception {
    List<String> pages = new ArrayList<>();
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      PDFTextStripper stripper = new PDFTextStripper();
      for (int i = 1; i <= doc.getNumberOfPages(); i++) {
        stripper.setStartPage(i);
        stripper.setEndPage(i);
        pages.add(stripper.getText(doc));
      }
    }
    return pages;
  }

  int count(String type) {
    return (int) patient.record().stream().filter(r -> r.fhirType().equals(type)).count();
  }

  static void label(Resource r, String code) {
    r.getMeta()
        .addSecurity(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", code, code));
  }

  DocumentReference note(String label, String day, String text) {
    DocumentReference d = new DocumentReference();
    d.setId("doc-" + UUID.randomUUID());
    d.setSubject(new Reference("Patient/" + patient.patientId()));
    d.setType(new CodeableConcept().setText("Progress note"));
    d.setDateElement(new InstantType(day + "T10:00:00Z"));
    d.addContent()
        .setAttachment(
            new Attachment()
                .setContentType("text/plain")
                .setData(text.getBytes(StandardCharsets.UTF_8)));
    if (label != null) {
      label(d, label);
    }
    return d;
  }

  String newRequest(String requestType, String requesterType, String requesterName) {
    Map<String, Object> requester = new LinkedHashMap<>();
    requester.put("type", requesterType);
    requester.put("name", requesterName);
    requester.put("address", "948 Lockman Knoll, Lynn, MA 01901");
    if (!List.of("INDIVIDUAL", "ATTORNEY", "PERSONAL_REPRESENTATIVE").contains(requesterType)) {
      requester.put("organization", requesterName);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("patientId", patient.patientId());
    body.put("requester", requester);
    body.put("requestType", requestType);
    body.put("receivedOn", TODAY.toString());
    body.put("recordsRequested", "Records");
    return given()
        .contentType("application/json")
        .body(body)
        .post(ROI)
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  void scope(String id, List<String> types, List<String> categories, String from, String to) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("recordTypes", types);
    body.put("sensitiveCategories", categories);
    body.put("from", from);
    body.put("to", to);
    given()
        .contentType("application/json")
        .body(body)
        .put(ROI + "/" + id + "/scope")
        .then()
        .statusCode(200);
  }

  void courtOrder(String id, List<String> types, List<String> categories, String from, String to) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("issuingCourt", "Superior Court of Essex County");
    body.put("issuedOn", TODAY.minusDays(3).toString());
    body.put("recordTypes", types);
    body.put("sensitiveCategories", categories);
    body.put("dateFrom", from);
    body.put("dateTo", to);
    given()
        .contentType("application/json")
        .body(body)
        .put(ROI + "/" + id + "/court-order")
        .then()
        .statusCode(200);
  }

  /** Through the steps; the version is read first (a scope or document change moves it). */
  void toInProcessing(String id) {
    move(id, version(id), Map.of("to", "IDENTITY_VERIFIED", "identityMethod", "PHOTO_ID"))
        .then()
        .statusCode(200);
    move(id, version(id), "BASIS_VALIDATED").then().statusCode(200);
    move(id, version(id), "IN_PROCESSING").then().statusCode(200);
  }

  static long version(String id) {
    return given()
        .get(ROI + "/" + id)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getLong("version");
  }

  /** For roles that may not make the steps (him-admin): the specialist did them. */
  void toInProcessingDirectly(String id) throws Exception {
    sql("update roi_request set status = 'IN_PROCESSING' where id = cast('" + id + "' as uuid)");
  }

  Response move(String id, long version, String to) {
    return move(id, version, Map.of("to", to));
  }

  Response move(String id, long version, Map<String, Object> body) {
    return given()
        .contentType("application/json")
        .header("If-Match", "\"" + version + "\"")
        .body(body)
        .post(ROI + "/" + id + "/transitions");
  }

  static Map<String, Object> completeAuthorization() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("informationDescription", "Diagnoses and encounters");
    a.put("discloser", "General Hospital HIM department");
    a.put("recipient", "Acme Life Insurance");
    a.put("purpose", "Life insurance application");
    a.put("expiresOn", TODAY.plusMonths(6).toString());
    a.put("signed", true);
    a.put("signedOn", TODAY.minusDays(2).toString());
    a.put("signerType", "PATIENT");
    a.put("statementRightToRevoke", true);
    a.put("statementConditioning", true);
    a.put("statementRedisclosure", true);
    return a;
  }

  static Map<String, Object> completePart2() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("patientName", "Cary O'Hara");
    p.put("recipient", "Acme Life Insurance");
    p.put("purpose", "Life insurance application");
    p.put("amountAndKind", "Diagnoses of the substance-use episode");
    p.put("expiration", "Six months from signature");
    p.put("statementRightToRevoke", true);
    p.put("redisclosureNotice", true);
    return p;
  }

  String storedSha(String id) throws Exception {
    return rows("select sha256 from roi_packet where request_id = cast(? as uuid) and current", id)
        .get(0);
  }

  List<String> rows(String query, String param) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(query)) {
      q.setString(1, param);
      ResultSet rs = q.executeQuery();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
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

  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
