package dev.him.coding.codeset;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Without the code set files the service still starts and is ready (each missing file is a
 * warning); it just has no codes, and importing a configured release says the file is missing.
 */
@QuarkusTest
@TestProfile(MissingCodeSetsTest.NoCodeSets.class)
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class MissingCodeSetsTest {

  public static class NoCodeSets implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("him.codesets.dir", "target/no-such-codesets");
    }
  }

  @Test
  void readinessStaysUp() {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void nothingIsLoadedAndNoJobWasStarted() {
    given().get(CodeSetApi.CODE_SETS).then().statusCode(200).body("$", hasSize(0));
    given().get(CodeSetApi.CODE_SETS + "/imports").then().statusCode(200).body("total", equalTo(0));
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void importSaysTheFileIsMissing() {
    for (String path : new String[] {"/icd10cm/imports", "/hcpcs/imports", "/icd10cm/import"}) {
      given()
          .post(CodeSetApi.CODE_SETS + path)
          .then()
          .statusCode(503)
          .contentType("application/problem+json")
          .body("title", equalTo("Code set unavailable"))
          .body("detail", containsString("him.codesets.dir"));
    }
  }
}
