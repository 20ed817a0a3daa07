package dev.him.requests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "requests"))
@QuarkusTestResource(KafkaResource.class)
class HealthTest {

  @Test
  void readinessCoversTheDatabaseAndKafka() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(
            "checks.name",
            hasItems("Database connections health check", "Kafka connection health check"));
  }

  @Test
  void openApiDocumentsTheEndpointsWithTheirRoles() {
    given()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body(
            "paths.'/api/requests/roi'.post.description",
            containsString("Roles: roi-specialist, him-admin"))
        .body(
            "paths.'/api/requests/roi/{id}'.get.description",
            containsString("Roles: roi-specialist, him-admin"))
        .body(
            "components.schemas.NewRoiRequest.required",
            hasItems("requester", "requestType", "receivedOn", "recordsRequested"))
        // the patient is given by id or described (intake, V4): neither is required on its own
        .body("components.schemas.NewRoiRequest.required", not(hasItem("patientId")));
  }
}
