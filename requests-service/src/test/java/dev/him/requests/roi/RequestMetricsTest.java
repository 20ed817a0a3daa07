package dev.him.requests.roi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import dev.him.requests.testing.RecordsServiceStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.LocalDate;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * him_requests_total on GET /q/metrics counts the requests received by legal basis; a request
 * refused at intake is not counted.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "requests"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(
    value = RecordsServiceStub.class,
    initArgs = @ResourceArg(name = "app", value = "roi"))
class RequestMetricsTest {
  static final String ROI = "/api/requests/roi";

  static double received(String legalBasis) {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher m =
        Pattern.compile(
                "^him_requests_total\\{legal_basis=\"" + legalBasis + "\",?\\} (\\S+)$",
                Pattern.MULTILINE)
            .matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void eachRequestReceivedCountsOnceUnderItsLegalBasis() {
    // every basis is there from the start, counted or not
    for (RequestType basis : RequestType.values()) {
      assertThat(received(RequestMetrics.tagValue(basis))).as(basis.name()).isNotNaN();
    }
    double rightOfAccess = received("right-of-access");
    double authorization = received("authorization");

    String patientId = "pat-" + UUID.randomUUID().toString().substring(0, 8);
    given()
        .contentType("application/json")
        .body(RoiRequestResourceTest.body(patientId, LocalDate.now().minusDays(1)))
        .post(ROI)
        .then()
        .statusCode(201);
    assertThat(received("right-of-access")).isEqualTo(rightOfAccess + 1);
    assertThat(received("authorization")).isEqualTo(authorization);

    // refused at intake (no requester): nothing was received, nothing counted
    given()
        .contentType("application/json")
        .body(
            """
            {"patientId": "%s", "requestType": "RIGHT_OF_ACCESS",
             "receivedOn": "%s", "recordsRequested": "All"}
            """
                .formatted(patientId, LocalDate.now()))
        .post(ROI)
        .then()
        .statusCode(400);
    assertThat(received("right-of-access")).isEqualTo(rightOfAccess + 1);
  }
}
