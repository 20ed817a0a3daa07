package dev.him.coding.icd10cm;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class Icd10CmResourceTest {
  static final String CODES = "/api/coding/icd10cm/codes/";
  static final String PROBLEM = "application/problem+json";

  @Inject CodeSetConfig config;

  void requireIcd10Cm() {
    CodeSetData.requireFile(config.icd10cmZip());
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void billableCodeWithItsDescriptionsAndRelease() {
    requireIcd10Cm();
    given()
        .get(CODES + "E11.9")
        .then()
        .statusCode(200)
        .contentType(containsString("application/json"))
        .body("code", equalTo("E11.9"))
        .body("codeWithoutDot", equalTo("E119"))
        .body("billable", equalTo(true))
        .body("shortDescription", equalTo("Type 2 diabetes mellitus without complications"))
        .body("longDescription", containsString("Type 2 diabetes mellitus without complications"))
        .body("codeSetVersion", equalTo("FY2025"))
        .body("effectiveFrom", equalTo("2024-10-01"));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void dottedUndottedAndLowerCaseFindTheSameCode() {
    requireIcd10Cm();
    for (String asTyped : new String[] {"E119", "e119", "e11.9"}) {
      given()
          .get(CODES + asTyped)
          .then()
          .statusCode(200)
          .body("code", equalTo("E11.9"))
          .body("codeWithoutDot", equalTo("E119"))
          .body("billable", equalTo(true));
    }
    // seven characters with a letter in the third place and the 7th-character extension
    given()
        .get(CODES + "s72001a")
        .then()
        .statusCode(200)
        .body("code", equalTo("S72.001A"))
        .body(
            "longDescription",
            equalTo(
                "Fracture of unspecified part of neck of right femur, initial encounter for"
                    + " closed fracture"));
    given().get(CODES + "C4A.0").then().statusCode(200).body("codeWithoutDot", equalTo("C4A0"));
  }

  @Test
  @TestSecurity(user = "doc", roles = "clinician")
  void headerCodeIsNotBillable() {
    requireIcd10Cm();
    given()
        .get(CODES + "E11")
        .then()
        .statusCode(200)
        .body("code", equalTo("E11"))
        .body("codeWithoutDot", equalTo("E11"))
        .body("billable", equalTo(false))
        .body("longDescription", equalTo("Type 2 diabetes mellitus"));
  }

  @Test
  @TestSecurity(user = "roi", roles = "roi-specialist")
  void unknownCodeIs404ProblemJson() {
    requireIcd10Cm();
    given()
        .header("X-Request-Id", "unknown-code-1")
        .get(CODES + "U99.9")
        .then()
        .statusCode(404)
        .contentType(PROBLEM)
        .body("status", equalTo(404))
        .body("title", equalTo("Not found"))
        .body("detail", containsString("U99.9"))
        .body("instance", equalTo(CODES + "U99.9"))
        .body("requestId", equalTo("unknown-code-1"));
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void malformedCodeIs400NamingTheField() {
    for (String bad : new String[] {"E1", "119", "E1.19", "E11..9", "E11.99999", "E11%2D9"}) {
      given()
          .get(CODES + bad)
          .then()
          .statusCode(400)
          .contentType(PROBLEM)
          .body("status", equalTo(400))
          .body("invalid-params[0].name", equalTo("code"))
          .body("invalid-params[0].reason", containsString("not an ICD-10-CM code"))
          .body(not(containsString("Exception")));
    }
  }

  @Test
  void withoutATokenLookupIs401() {
    given()
        .get(CODES + "E11.9")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"))
        .contentType(PROBLEM)
        .body("status", equalTo(401))
        .body("title", equalTo("Unauthorized"));
  }

  @Test
  @TestSecurity(user = "someone", roles = "hospital-system")
  void aRoleOutsideTheHimRolesIs403() {
    given()
        .get(CODES + "E11.9")
        .then()
        .statusCode(403)
        .contentType(PROBLEM)
        .body("title", equalTo("Forbidden"));
  }
}
