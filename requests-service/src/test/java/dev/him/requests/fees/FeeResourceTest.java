package dev.him.requests.fees;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

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
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fee quotes from the packet of a real Synthea patient, with the schedule of application.properties
 * (him.roi.fees.*): the individual pays no search and retrieval and may take the flat 6.50 for an
 * electronic copy; an attorney pays the schedule.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "requests"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(RecordsServiceStub.class)
class FeeResourceTest {
  static final String ROI = "/api/requests/roi";
  static final String PROBLEM = "application/problem+json";
  static final ObjectMapper JSON = new ObjectMapper();

  @Inject AgroalDataSource db;
  @Inject FeeSchedule schedule;

  String patientId;

  @BeforeEach
  void patient() {
    RecordsServiceStub.reset();
    patientId = SyntheaPatients.load(SyntheaPatients.SMALL).serve().patientId();
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void theIndividualPaysTheFlatFeeForAnElectronicCopyAndNeverSearchAndRetrieval() {
    String id = packetFor("INDIVIDUAL", "ELECTRONIC");

    JsonPath flat = quote(id, "");
    assertThat(flat.getString("requesterKind")).isEqualTo("INDIVIDUAL");
    assertThat(flat.getList("lines.code")).containsExactly("ELECTRONIC_FLAT_FEE");
    assertThat(money(flat, "total")).isEqualByComparingTo("6.50");
    assertThat(flat.getString("lines[0].basis")).contains("164.524(c)(4)");

    // cost-based instead: labor for copying per page, still no search and retrieval
    JsonPath costBased = quote(id, "?flatFee=false&media=USB");
    int pages = costBased.getInt("pages");
    assertThat(pages).isEqualTo(packetPages(id)).isPositive();
    assertThat(costBased.getList("lines.code")).containsExactly("COPY_LABOR", "MEDIA_USB");
    assertThat(costBased.getInt("lines[0].quantity")).isEqualTo(pages);
    BigDecimal labor = schedule.individualCopyPerPage().multiply(BigDecimal.valueOf(pages));
    assertThat(money(costBased, "lines[0].amount")).isEqualByComparingTo(labor);
    assertThat(money(costBased, "total")).isEqualByComparingTo(labor.add(schedule.usb()));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void theIndividualsPaperCopyIsCopyingAndPostageOnly() {
    String id = packetFor("PERSONAL_REPRESENTATIVE", "PAPER");
    JsonPath q = quote(id, "?summary=true");
    int pages = q.getInt("pages");
    assertThat(q.getList("lines.code")).containsExactly("COPY_LABOR", "POSTAGE", "SUMMARY");
    BigDecimal expected =
        schedule
            .individualCopyPerPage()
            .multiply(BigDecimal.valueOf(pages))
            .add(schedule.postage())
            .add(schedule.summary());
    assertThat(money(q, "total")).isEqualByComparingTo(expected);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void anAttorneyPaysTheScheduleWithSearchAndRetrieval() {
    String id = packetFor("ATTORNEY", "PAPER");
    JsonPath q = quote(id, "");
    int pages = q.getInt("pages");
    assertThat(q.getString("requesterKind")).isEqualTo("THIRD_PARTY");
    assertThat(q.getList("lines.code"))
        .containsExactly("SEARCH_AND_RETRIEVAL", "PAPER_COPY", "POSTAGE");
    assertThat(q.getInt("lines[1].quantity")).isEqualTo(pages);
    assertThat(money(q, "lines[1].unitPrice")).isEqualByComparingTo(schedule.paperPerPage());
    BigDecimal expected =
        schedule
            .searchAndRetrieval()
            .add(schedule.paperPerPage().multiply(BigDecimal.valueOf(pages)))
            .add(schedule.postage());
    assertThat(money(q, "total")).isEqualByComparingTo(expected);
    assertThat(q.getString("total")).matches("\\d+\\.\\d{1,2}");

    JsonPath electronic = quote(packetFor("ATTORNEY", "ELECTRONIC"), "?media=cd");
    assertThat(electronic.getList("lines.code"))
        .containsExactly("SEARCH_AND_RETRIEVAL", "ELECTRONIC_COPY", "MEDIA_CD");
    assertThat(money(electronic, "total"))
        .isEqualByComparingTo(
            schedule
                .searchAndRetrieval()
                .add(
                    schedule
                        .electronicPerPage()
                        .multiply(BigDecimal.valueOf(electronic.getInt("pages"))))
                .add(schedule.cd()));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void theAcknowledgementRecordsWhoSawWhichTotalAndMustMatchTheQuote() throws Exception {
    String id = packetFor("ATTORNEY", "ELECTRONIC");
    JsonPath q = quote(id, "");
    assertThat(q.getString("acknowledgement")).isNull();

    Map<String, Object> wrong = ack("Smith & Jones LLP", "1.00");
    given()
        .contentType("application/json")
        .body(wrong)
        .post(ROI + "/" + id + "/fee/acknowledgement")
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("total"));

    String requestId = "fee-ack-" + UUID.randomUUID();
    given()
        .contentType("application/json")
        .header("X-Request-Id", requestId)
        .body(ack("Smith & Jones LLP", q.getString("total")))
        .post(ROI + "/" + id + "/fee/acknowledgement")
        .then()
        .statusCode(201)
        .body("acknowledgement.shownTo", equalTo("Smith & Jones LLP"))
        .body("acknowledgement.recordedBy", equalTo("rita"));
    given()
        .get(ROI + "/" + id + "/fee")
        .then()
        .statusCode(200)
        .body("acknowledgement.shownVia", equalTo("EMAIL"));
    assertThat(
            row(
                "select shown_to || '|' || total || '|' || recorded_by from roi_fee_acknowledgement where request_id = cast(? as uuid)",
                id))
        .isEqualTo("Smith & Jones LLP|" + money(q, "total").setScale(2) + "|rita");
    JsonNode event = JSON.readTree(new OutboxProbe(db).awaitByCorrelationId(requestId));
    assertThat(event.path("action").asText()).isEqualTo("UPDATE");
    assertThat(event.path("resourceType").asText()).isEqualTo("RoiFee");

    // a rebuilt packet has no acknowledgement yet
    Packets.build(id);
    given().get(ROI + "/" + id + "/fee").then().body("acknowledgement", nullValue());
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void badInputIs400AndNoPacket409() {
    String id = newRequest("ATTORNEY", "ELECTRONIC");
    given()
        .get(ROI + "/" + id + "/fee")
        .then()
        .statusCode(409)
        .body("invalid-params[0].name", equalTo("packet"));
    given()
        .get(ROI + "/" + id + "/fee?media=DVD")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("media"));
    Map<String, Object> noOne = ack(" ", "1.00");
    given()
        .contentType("application/json")
        .body(noOne)
        .post(ROI + "/" + id + "/fee/acknowledgement")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body(
            "invalid-params.name",
            org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString("shownTo")));
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void otherRolesMayNotSeeOrAcknowledgeTheFee() {
    String id = UUID.randomUUID().toString();
    given().get(ROI + "/" + id + "/fee").then().statusCode(403).contentType(PROBLEM);
    given()
        .contentType("application/json")
        .body(ack("x", "1.00"))
        .post(ROI + "/" + id + "/fee/acknowledgement")
        .then()
        .statusCode(403);
  }

  // --- helpers ---

  String packetFor(String requesterType, String format) {
    String id = newRequest(requesterType, format);
    // the steps up to IN_PROCESSING belong to the workflow tests
    sql("update roi_request set status = 'IN_PROCESSING' where id = cast('" + id + "' as uuid)");
    Packets.build(id);
    return id;
  }

  String newRequest(String requesterType, String format) {
    boolean own =
        requesterType.equals("INDIVIDUAL") || requesterType.equals("PERSONAL_REPRESENTATIVE");
    Map<String, Object> requester = new LinkedHashMap<>();
    requester.put("type", requesterType);
    requester.put("name", own ? "Bill Reinger" : "Smith & Jones LLP");
    if (requesterType.equals("PERSONAL_REPRESENTATIVE")) {
      requester.put("relationship", "son, holding a health care power of attorney");
      requester.put("authorityDocument", "POWER_OF_ATTORNEY");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("patientId", patientId);
    body.put("requester", requester);
    body.put("requestType", own ? "RIGHT_OF_ACCESS" : "SUBPOENA");
    body.put("receivedOn", LocalDate.now().toString());
    body.put("recordsRequested", "All records");
    body.put("deliveryFormat", format);
    String id =
        given()
            .contentType("application/json")
            .body(body)
            .post(ROI)
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    if (!own) {
      // a subpoena with a qualified protective order: a valid basis for the build
      given()
          .contentType("application/json")
          .body(
              Map.of(
                  "issuedOn",
                  LocalDate.now().minusDays(5).toString(),
                  "protectiveOrder",
                  "OBTAINED"))
          .put(ROI + "/" + id + "/subpoena")
          .then()
          .statusCode(200);
    }
    return id;
  }

  static JsonPath quote(String id, String query) {
    return given().get(ROI + "/" + id + "/fee" + query).then().statusCode(200).extract().jsonPath();
  }

  int packetPages(String id) {
    return given()
        .get(ROI + "/" + id + "/packet")
        .then()
        .statusCode(200)
        .extract()
        .path("pageCount");
  }

  static BigDecimal money(JsonPath json, String path) {
    return new BigDecimal(json.getString(path));
  }

  static Map<String, Object> ack(String shownTo, String total) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shownTo", shownTo);
    m.put("shownVia", "EMAIL");
    m.put("total", total);
    return m;
  }

  String row(String query, String param) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(query)) {
      q.setString(1, param);
      ResultSet rs = q.executeQuery();
      return rs.next() ? rs.getString(1) : null;
    }
  }

  void sql(String statement) {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(statement)) {
      q.executeUpdate();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
