package dev.him.coding.fhir;

import static dev.him.coding.testing.SharedCodeSets.fhirGet;
import static dev.him.coding.testing.SharedCodeSets.requireIcd10Cm;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FHIR terminology operations over the FY2025 ICD-10-CM release loaded from the CDC file. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
@TestSecurity(user = "ehr", roles = "hospital-system")
class TerminologyOperationsTest {
  static final String CM = "http://hl7.org/fhir/sid/icd-10-cm";
  static final String FHIR = "application/fhir+json";
  static final String LOOKUP = "/fhir/r4/CodeSystem/$lookup";
  static final String VALIDATE = "/fhir/r4/CodeSystem/$validate-code";
  static final String EXPAND = "/fhir/r4/ValueSet/$expand";

  @Test
  void lookupGivesDisplayDesignationParentAndBillable() {
    requireIcd10Cm();
    fhirGet(LOOKUP, "system", CM, "code", "E11.610")
        .statusCode(200)
        .contentType(FHIR)
        .body("resourceType", equalTo("Parameters"))
        .body("parameter.find { it.name == 'name' }.valueString", equalTo("ICD-10-CM"))
        .body("parameter.find { it.name == 'version' }.valueString", equalTo("FY2025"))
        .body(
            "parameter.find { it.name == 'display' }.valueString",
            equalTo("Type 2 diabetes mellitus with diabetic neuropathic arthropathy"))
        .body(
            "parameter.find { it.name == 'designation' }.part.find { it.name == 'value' }"
                + ".valueString",
            equalTo("Type 2 diabetes mellitus w diabetic neuropathic arthropathy"))
        .body(
            "parameter.find { it.name == 'designation' }.part.find { it.name == 'use' }"
                + ".valueCoding.code",
            equalTo("short"))
        .body(
            "parameter.findAll { it.name == 'property' }.find { it.part[0].valueCode == 'parent' }"
                + ".part[1].valueCode",
            equalTo("E11.61"))
        .body(
            "parameter.findAll { it.name == 'property' }.find { it.part[0].valueCode =="
                + " 'billable' }.part[1].valueBoolean",
            equalTo(true));
  }

  @Test
  void lookupOfAHeaderListsItsChildren() {
    requireIcd10Cm();
    JsonPath r = fhirGet(LOOKUP, "system", CM, "code", "E11").statusCode(200).extract().jsonPath();
    List<String> children =
        r.getList(
            "parameter.findAll { it.name == 'property' && it.part[0].valueCode == 'child' }"
                + ".collect { it.part[1].valueCode }");
    assertThat(children).hasSize(9).startsWith("E11.0").endsWith("E11.9");
    assertThat(
            r.getBoolean(
                "parameter.findAll { it.name == 'property' }.find { it.part[0].valueCode =="
                    + " 'billable' }.part[1].valueBoolean"))
        .isFalse();
    // property asks for some properties only
    fhirGet(LOOKUP, "system", CM, "code", "E11", "property", "billable")
        .statusCode(200)
        .body("parameter.findAll { it.name == 'property' }.size()", equalTo(1));
  }

  @Test
  void lookupTakesAParametersBodyAndACoding() {
    requireIcd10Cm();
    String body =
        """
        {"resourceType": "Parameters", "parameter": [
          {"name": "system", "valueUri": "http://hl7.org/fhir/sid/icd-10-cm"},
          {"name": "code", "valueCode": "e119"},
          {"name": "version", "valueString": "FY2025"}]}
        """;
    given()
        .urlEncodingEnabled(false)
        .contentType(FHIR)
        .body(body)
        .post(LOOKUP)
        .then()
        .statusCode(200)
        .body(
            "parameter.find { it.name == 'display' }.valueString",
            equalTo("Type 2 diabetes mellitus without complications"));
    String coding =
        """
        {"resourceType": "Parameters", "parameter": [{"name": "coding", "valueCoding":
          {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "I10"}}]}
        """;
    given()
        .urlEncodingEnabled(false)
        .contentType(FHIR)
        .body(coding)
        .post(LOOKUP)
        .then()
        .statusCode(200)
        .body(
            "parameter.find { it.name == 'display' }.valueString",
            equalTo("Essential (primary) hypertension"));
  }

  @Test
  void lookupErrorsAreOperationOutcomesNamingTheParameter() {
    requireIcd10Cm();
    fhirGet(LOOKUP, "system", CM, "code", "U99.9")
        .statusCode(404)
        .contentType(FHIR)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("not-found"))
        .body("issue[0].expression[0]", equalTo("code"))
        .body("issue[0].diagnostics", containsString("U99.9 is not in FY2025"));
    fhirGet(LOOKUP, "system", CM)
        .statusCode(400)
        .contentType(FHIR)
        .body("issue[0].code", equalTo("invalid"))
        .body("issue[0].expression[0]", equalTo("code"));
    fhirGet(LOOKUP, "system", "http://snomed.info/sct", "code", "44054006")
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("system"))
        .body("issue[0].diagnostics", containsString("http://hl7.org/fhir/sid/icd-10-cm"));
    fhirGet(LOOKUP, "system", CM, "code", "E11.9", "version", "FY1999")
        .statusCode(404)
        .body("issue[0].expression[0]", equalTo("version"));
    fhirGet(LOOKUP, "system", CM, "code", "E1")
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("code"));
    given()
        .urlEncodingEnabled(false)
        .contentType(FHIR)
        .body("{\"resourceType\": \"Patient\"}")
        .post(LOOKUP)
        .then()
        .statusCode(400)
        .contentType(FHIR)
        .body("issue[0].expression[0]", equalTo("resourceType"));
    given()
        .urlEncodingEnabled(false)
        .contentType(FHIR)
        .body(
            "{\"resourceType\": \"Parameters\", \"parameter\": [{\"name\": \"cod\","
                + " \"valueCode\": \"E11.9\"}]}")
        .post(LOOKUP)
        .then()
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("cod"));
  }

  @Test
  void validateCodeSaysTrueOrFalseWithTheDisplay() {
    requireIcd10Cm();
    fhirGet(VALIDATE, "url", CM, "code", "E11.9")
        .statusCode(200)
        .contentType(FHIR)
        .body("parameter.find { it.name == 'result' }.valueBoolean", equalTo(true))
        .body(
            "parameter.find { it.name == 'display' }.valueString",
            equalTo("Type 2 diabetes mellitus without complications"))
        .body("parameter.find { it.name == 'message' }", nullValue());
    // not in the release (E10.A0 is, E11.A is new only in FY2026), or not a code at all
    for (String code : new String[] {"E11.A", "E11.99", "nonsense"}) {
      fhirGet(VALIDATE, "url", CM, "code", code)
          .statusCode(200)
          .body("parameter.find { it.name == 'result' }.valueBoolean", equalTo(false))
          .body(
              "parameter.find { it.name == 'message' }.valueString",
              containsString("is not a valid ICD-10-CM code in FY2025"));
    }
    // a display must be the long or the short description (case and spaces aside)
    fhirGet(
            VALIDATE,
            "system",
            CM,
            "code",
            "E11.9",
            "display",
            "type 2 diabetes mellitus  WITHOUT complications")
        .body("parameter.find { it.name == 'result' }.valueBoolean", equalTo(true));
    fhirGet(VALIDATE, "system", CM, "code", "E11.9", "display", "Type 1 diabetes mellitus")
        .body("parameter.find { it.name == 'result' }.valueBoolean", equalTo(false))
        .body(
            "parameter.find { it.name == 'message' }.valueString",
            containsString("is not a display of E11.9"));
    // a header is a valid code, and the message says it may not be reported
    fhirGet(VALIDATE, "url", CM, "code", "E11")
        .body("parameter.find { it.name == 'result' }.valueBoolean", equalTo(true))
        .body("parameter.find { it.name == 'message' }.valueString", containsString("header"));
    String body =
        """
        {"resourceType": "Parameters", "parameter": [
          {"name": "url", "valueUri": "http://hl7.org/fhir/sid/icd-10-cm"},
          {"name": "code", "valueCode": "J18.9"},
          {"name": "display", "valueString": "Pneumonia, unspecified organism"}]}
        """;
    given()
        .urlEncodingEnabled(false)
        .contentType(FHIR)
        .body(body)
        .post(VALIDATE)
        .then()
        .statusCode(200)
        .body("parameter.find { it.name == 'result' }.valueBoolean", equalTo(true));
    fhirGet(VALIDATE, "code", "E11.9")
        .statusCode(400)
        .contentType(FHIR)
        .body("issue[0].expression[0]", equalTo("system"));
  }

  @Test
  void expandFiltersRanksAndPages() {
    requireIcd10Cm();
    JsonPath vs =
        fhirGet(EXPAND, "url", CM + "?fhir_vs", "filter", "diab mell type 2", "count", 5)
            .statusCode(200)
            .contentType(FHIR)
            .body("resourceType", equalTo("ValueSet"))
            .body("url", equalTo(CM + "?fhir_vs"))
            .body("expansion.offset", equalTo(0))
            .body("expansion.contains.size()", equalTo(5))
            .body("expansion.contains.system", hasItems(CM))
            .body("expansion.contains.version", hasItems("FY2025"))
            .body(
                "expansion.parameter.find { it.name == 'filter' }.valueString",
                equalTo("diab mell type 2"))
            .extract()
            .jsonPath();
    List<String> codes = vs.getList("expansion.contains.code");
    assertThat(codes)
        .allSatisfy(c -> assertThat(c).startsWith("E11."))
        .startsWith("E11.65", "E11.9");
    assertThat(vs.getInt("expansion.total")).isGreaterThan(100);
    // the next page continues where this one ended
    List<String> next =
        fhirGet(
                EXPAND,
                "url",
                CM + "?fhir_vs",
                "filter",
                "diab mell type 2",
                "count",
                5,
                "offset",
                5)
            .statusCode(200)
            .body("expansion.offset", equalTo(5))
            .extract()
            .jsonPath()
            .getList("expansion.contains.code");
    assertThat(next).hasSize(5).doesNotContainAnyElementsOf(codes);
  }

  @Test
  void expandWithoutAFilterListsTheWholeReleaseInTabularOrder() {
    requireIcd10Cm();
    fhirGet(EXPAND, "url", CM + "?fhir_vs", "count", 3)
        .statusCode(200)
        .body("expansion.total", equalTo(97584))
        .body("expansion.contains.code", equalTo(List.of("A00", "A00.0", "A00.1")))
        .body("expansion.contains[0].abstract", equalTo(true))
        .body("expansion.contains[1].abstract", nullValue())
        .body(
            "expansion.contains[1].display",
            equalTo("Cholera due to Vibrio cholerae 01, biovar cholerae"));
    fhirGet(EXPAND, "url", CM + "?fhir_vs", "count", 0)
        .statusCode(200)
        .body("expansion.total", equalTo(97584))
        .body("expansion.contains", nullValue());
  }

  @Test
  void expandErrorsNameTheParameter() {
    fhirGet(EXPAND, "url", "http://loinc.org?fhir_vs")
        .statusCode(400)
        .contentType(FHIR)
        .body("issue[0].expression[0]", equalTo("url"));
    fhirGet(EXPAND).statusCode(400).body("issue[0].expression[0]", equalTo("url"));
    fhirGet(EXPAND, "url", CM + "?fhir_vs", "count", 5000)
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("count"));
    fhirGet(EXPAND, "url", CM + "?fhir_vs", "date", "yesterday")
        .statusCode(400)
        .body("issue[0].expression[0]", equalTo("date"));
  }

  @Test
  @TestSecurity(user = "records", roles = "platform-service")
  void platformServicesMayUseThem() {
    requireIcd10Cm();
    fhirGet(VALIDATE, "url", CM, "code", "I10")
        .statusCode(200)
        .body("parameter.find { it.name == 'result' }.valueBoolean", equalTo(true));
  }

  @Test
  @TestSecurity(user = "someone", roles = "default-roles-him")
  void aRoleOutsideTheReadersIs403() {
    fhirGet(LOOKUP, "system", CM, "code", "E11.9")
        .statusCode(403)
        .contentType(FHIR)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("forbidden"));
  }

  @Test
  @TestSecurity
  void withoutATokenIs401() {
    fhirGet(EXPAND, "url", CM + "?fhir_vs")
        .statusCode(401)
        .contentType(FHIR)
        .body("issue[0].code", equalTo("login"));
  }
}
