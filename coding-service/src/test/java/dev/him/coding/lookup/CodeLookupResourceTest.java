package dev.him.coding.lookup;

import static dev.him.coding.testing.SharedCodeSets.requireIcd10Cm;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.Test;

/** Lookup of ICD-10-CM codes in the FY2025 release the service loads from the CDC file. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class CodeLookupResourceTest {
  static final String CODES = "/api/coding/icd10cm/codes/";
  static final String PROBLEM = "application/problem+json";

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void billableCodeWithItsDescriptionsReleaseAndParent() {
    requireIcd10Cm();
    given()
        .get(CODES + "E11.9")
        .then()
        .statusCode(200)
        .contentType(containsString("application/json"))
        .body("system", equalTo("ICD-10-CM"))
        .body("code", equalTo("E11.9"))
        .body("codeWithoutDot", equalTo("E119"))
        .body("billable", equalTo(true))
        .body("shortDescription", equalTo("Type 2 diabetes mellitus without complications"))
        .body("longDescription", equalTo("Type 2 diabetes mellitus without complications"))
        .body("codeSetVersion", equalTo("FY2025"))
        .body("effectiveFrom", equalTo("2024-10-01"))
        .body("parent.code", equalTo("E11"))
        .body("parent.billable", equalTo(false))
        .body("parent.description", equalTo("Type 2 diabetes mellitus"))
        .body("children", hasSize(0));
  }

  @Test
  @TestSecurity(user = "doc", roles = "clinician")
  void headerCodeIsNotBillableAndListsItsChildrenInTabularOrder() {
    requireIcd10Cm();
    given()
        .get(CODES + "E11")
        .then()
        .statusCode(200)
        .body("code", equalTo("E11"))
        .body("billable", equalTo(false))
        .body("longDescription", equalTo("Type 2 diabetes mellitus"))
        .body("parent", nullValue())
        // E11.0 hyperosmolarity ... E11.9 without complications: the 4-character subcategories
        .body("children.code", hasItems("E11.0", "E11.6", "E11.8", "E11.9"))
        .body("children.code[0]", equalTo("E11.0"))
        .body("children.code[-1]", equalTo("E11.9"))
        .body("children.code", everyItem(startsWith("E11.")))
        .body("children.code", not(hasItem("E11.65")))
        .body("children.find { it.code == 'E11.9' }.billable", equalTo(true))
        .body("children.find { it.code == 'E11.6' }.billable", equalTo(false));
    // a subcategory's parent is the category, and its children the next level down
    given()
        .get(CODES + "e11.6")
        .then()
        .statusCode(200)
        .body("parent.code", equalTo("E11"))
        .body("children.code", hasItems("E11.61", "E11.65", "E11.69"));
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
    // seven characters with the 7th-character extension; its parent is the 6-character header
    given()
        .get(CODES + "s72001a")
        .then()
        .statusCode(200)
        .body("code", equalTo("S72.001A"))
        .body(
            "longDescription",
            equalTo(
                "Fracture of unspecified part of neck of right femur, initial encounter for"
                    + " closed fracture"))
        .body("parent.code", equalTo("S72.001"));
    given().get(CODES + "C4A.0").then().statusCode(200).body("codeWithoutDot", equalTo("C4A0"));
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void versionAndDateChooseTheRelease() {
    requireIcd10Cm();
    given()
        .queryParam("version", "FY2025")
        .get(CODES + "E10.A0")
        .then()
        .statusCode(200)
        .body("codeSetVersion", equalTo("FY2025"))
        .body("longDescription", equalTo("Type 1 diabetes mellitus, presymptomatic, unspecified"));
    given()
        .queryParam("date", "2025-03-01")
        .get(CODES + "E11.9")
        .then()
        .statusCode(200)
        .body("codeSetVersion", equalTo("FY2025"));
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void anUnknownVersionIs404NamingIt() {
    requireIcd10Cm();
    given()
        .queryParam("version", "FY1999")
        .get(CODES + "E11.9")
        .then()
        .statusCode(404)
        .contentType(PROBLEM)
        .body("detail", containsString("FY1999"))
        .body("detail", containsString("FY2025 from 2024-10-01"))
        .body("invalid-params[0].name", equalTo("version"));
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void aDateBeforeAnyReleaseIs404NamingTheDate() {
    requireIcd10Cm();
    given()
        .queryParam("date", "1999-01-01")
        .get(CODES + "E11.9")
        .then()
        .statusCode(404)
        .contentType(PROBLEM)
        .body("detail", containsString("No ICD-10-CM release is in force on 1999-01-01"))
        .body("invalid-params[0].name", equalTo("date"));
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void badParametersAre400NamingThem() {
    given()
        .queryParam("date", "1 Oct 2024")
        .get(CODES + "E11.9")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("date"))
        .body("invalid-params[0].reason", containsString("YYYY-MM-DD"));
    given()
        .queryParam("version", "FY2025")
        .queryParam("date", "2025-01-01")
        .get(CODES + "E11.9")
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItems("version", "date"));
    given()
        .queryParam("verison", "FY2025")
        .get(CODES + "E11.9")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("verison"))
        .body("invalid-params[0].reason", containsString("is not a parameter here"));
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
        .body("detail", equalTo("ICD-10-CM code U99.9 is not in FY2025"))
        .body("invalid-params[0].name", equalTo("code"))
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
