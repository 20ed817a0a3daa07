package dev.him.coding;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
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
            hasItems("Database connections health check", "Kafka connection health check"))
        .body(
            "checks.find { it.name == 'Database connections health check' }.status", equalTo("UP"))
        .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
  }

  @Test
  void openApiDocumentsTheEndpointsWithTheirRoles() {
    given()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body(
            "paths.'/api/coding/{system}/codes/{code}'.get.description",
            org.hamcrest.Matchers.containsString("Roles: coder"))
        .body(
            "paths.'/api/coding/{system}/search'.get.description",
            org.hamcrest.Matchers.containsString("Roles: coder"))
        .body(
            "paths.'/fhir/r4/CodeSystem/$lookup'.get.description",
            org.hamcrest.Matchers.containsString("hospital-system"))
        .body(
            "paths.'/api/coding/code-sets/icd10cm/import'.post.description",
            org.hamcrest.Matchers.containsString("Roles: him-admin"));
  }
}
