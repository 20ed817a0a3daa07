package dev.him.coding.search;

import static dev.him.coding.testing.SharedCodeSets.requireIcd10Cm;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Search over the whole FY2025 ICD-10-CM release (97,584 entries) loaded from the CDC file. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
@TestSecurity(user = "coder", roles = "coder")
class CodeSearchResourceTest {
  static final String SEARCH = "/api/coding/icd10cm/search";
  static final String PROBLEM = "application/problem+json";

  JsonPath search(String q, Object... more) {
    var request = given().queryParam("q", q);
    for (int i = 0; i < more.length; i += 2) request.queryParam((String) more[i], more[i + 1]);
    return request.get(SEARCH).then().statusCode(200).extract().jsonPath();
  }

  @Test
  void wordsInAnyOrderEachAPrefixRankTypeTwoDiabetesFirst() {
    requireIcd10Cm();
    JsonPath r = search("diab mell type 2", "limit", 20);
    assertThat(r.getString("system")).isEqualTo("ICD-10-CM");
    assertThat(r.getString("version")).isEqualTo("FY2025");
    List<String> codes = r.getList("items.code");
    assertThat(codes).hasSize(20).allSatisfy(c -> assertThat(c).startsWith("E11."));
    assertThat(r.getList("items.billable", Boolean.class)).containsOnly(true);
    assertThat(r.getList("items.match", String.class)).containsOnly("words");
    // the shortest titles first: "Type 2 diabetes mellitus with hyperglycemia" / "without
    // complications" (six words each, in tabular order)
    assertThat(codes.subList(0, 2)).containsExactly("E11.65", "E11.9");
    int total = r.getInt("total");
    assertThat(total).isGreaterThan(100);
    JsonPath all = search("mell diab 2 type", "limit", 100, "offset", 0);
    assertThat(all.getInt("total")).isEqualTo(total);
    assertThat(all.getList("items.code", String.class))
        .as("the same matches whatever the word order")
        .isEqualTo(search("diab mell type 2", "limit", 100).getList("items.code", String.class));
    // every billable E11 code title starts with the words typed, so they all come before
    // O24.11- "Pre-existing type 2 diabetes mellitus...", E10.A2 "Type 1 diabetes mellitus,
    // presymptomatic, Stage 2" and the E11 header itself
    List<String> everything = allCodes("diab mell type 2");
    int firstOther = firstIndexNotStartingWith(everything, "E11.");
    assertThat(firstOther).isGreaterThan(50);
    assertThat(everything.subList(0, firstOther)).contains("E11.9", "E11.65", "E11.22");
    assertThat(everything.subList(firstOther, everything.size()))
        .as("after the E11 billable codes")
        .contains("O24.111", "E10.A2", "E11");
  }

  @Test
  void anExactCodeComesFirstWithOrWithoutTheDot() {
    requireIcd10Cm();
    for (String q : new String[] {"E11.9", "e119", " e11.9 "}) {
      JsonPath r = search(q);
      assertThat(r.getString("items[0].code")).isEqualTo("E11.9");
      assertThat(r.getString("items[0].match")).isEqualTo("code");
      assertThat(r.getString("items[0].description"))
          .isEqualTo("Type 2 diabetes mellitus without complications");
      assertThat(r.getInt("total")).isEqualTo(1);
    }
  }

  @Test
  void aCodePrefixListsTheCodesUnderItExactFirstThenBillableThenShorter() {
    requireIcd10Cm();
    JsonPath r = search("E11", "limit", 100);
    assertThat(r.getString("items[0].code")).isEqualTo("E11");
    assertThat(r.getString("items[0].match")).isEqualTo("code");
    // E11 and everything under it: 9 subcategories and their codes
    assertThat(r.getInt("total")).isEqualTo(116);
    List<String> codes = r.getList("items.code");
    List<Boolean> billable = r.getList("items.billable");
    assertThat(r.getList("items.match", String.class).subList(1, codes.size()))
        .containsOnly("code-prefix");
    // billable first (E11.8 and E11.9 have four characters, so they lead), headers after
    assertThat(codes.subList(1, 3)).containsExactly("E11.8", "E11.9");
    int firstHeader = billable.subList(1, billable.size()).indexOf(false) + 1;
    assertThat(billable.subList(firstHeader, billable.size())).containsOnly(false);
    assertThat(codes.get(firstHeader)).isEqualTo("E11.0");
  }

  @Test
  void totalAndPaging() {
    requireIcd10Cm();
    JsonPath first = search("fracture femur", "limit", 10, "offset", 0);
    JsonPath second = search("fracture femur", "limit", 10, "offset", 10);
    int total = first.getInt("total");
    assertThat(total).isGreaterThan(1000);
    assertThat(second.getInt("total")).isEqualTo(total);
    assertThat(first.getInt("limit")).isEqualTo(10);
    assertThat(second.getInt("offset")).isEqualTo(10);
    assertThat(first.getList("items")).hasSize(10);
    List<String> both = new ArrayList<>(first.getList("items.code"));
    both.addAll(second.getList("items.code"));
    assertThat(search("fracture femur", "limit", 20).getList("items.code", String.class))
        .isEqualTo(both);
    // past the end: the total, no items
    JsonPath beyond = search("diab mell type 2", "offset", 5000);
    assertThat(beyond.getList("items")).isEmpty();
    assertThat(beyond.getInt("total")).isGreaterThan(100);
  }

  @Test
  void billableFilter() {
    requireIcd10Cm();
    JsonPath headers = search("type 2 diabetes", "billable", "false", "limit", 100);
    assertThat(headers.getList("items.billable", Boolean.class)).containsOnly(false);
    assertThat(headers.getList("items.code", String.class)).contains("E11", "E11.6");
    JsonPath billable = search("type 2 diabetes", "billable", "true", "limit", 100);
    assertThat(billable.getList("items.billable", Boolean.class)).containsOnly(true);
    assertThat(search("type 2 diabetes").getInt("total"))
        .isEqualTo(headers.getInt("total") + billable.getInt("total"));
  }

  @Test
  void wholeWordsBeforePrefixesAndTitleStartsFirst() {
    requireIcd10Cm();
    // "pain" is a whole word in R52 "Pain, unspecified"; only a prefix in "Painful ..."
    assertThat(search("pain").getString("items[0].code")).isEqualTo("R52");
    // the description starts with the word: J18.9 "Pneumonia, unspecified organism"
    assertThat(search("pneumonia").getString("items[0].code")).isEqualTo("J18.9");
    // a code-like word narrows by code: E11 codes with "kidney"
    JsonPath r = search("e11 kidney");
    assertThat(r.getList("items.code", String.class))
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c).startsWith("E11."));
    assertThat(r.getList("items.code", String.class)).contains("E11.22");
  }

  @Test
  void nothingFoundIsAnEmptyPage() {
    requireIcd10Cm();
    JsonPath r = search("zzqx");
    assertThat(r.getInt("total")).isZero();
    assertThat(r.getList("items")).isEmpty();
  }

  @Test
  void theTimeInsideTheServiceIsInServerTiming() {
    requireIcd10Cm();
    given()
        .queryParam("q", "heart failure")
        .get(SEARCH)
        .then()
        .statusCode(200)
        .header("Server-Timing", matchesPattern("search;dur=\\d+\\.\\d{3}"))
        .body("items", hasSize(greaterThan(0)))
        .body("items.description", everyItem(containsString("eart failure")));
  }

  @Test
  void versionAndDate() {
    requireIcd10Cm();
    given()
        .queryParam("q", "E10.A")
        .queryParam("version", "FY2025")
        .get(SEARCH)
        .then()
        .statusCode(200)
        .body("version", equalTo("FY2025"))
        .body("items.code", everyItem(startsWith("E10.A")))
        .body("total", equalTo(4));
    given()
        .queryParam("q", "E11.9")
        .queryParam("version", "FY2023")
        .get(SEARCH)
        .then()
        .statusCode(404)
        .contentType(PROBLEM)
        .body("detail", containsString("ICD-10-CM version FY2023 is not loaded"))
        .body("invalid-params[0].name", equalTo("version"));
    given()
        .queryParam("q", "E11.9")
        .queryParam("date", "2001-01-01")
        .get(SEARCH)
        .then()
        .statusCode(404)
        .body("invalid-params[0].name", equalTo("date"));
  }

  @Test
  void badQueryOrLimitIs400NamingTheField() {
    given()
        .get(SEARCH)
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params[0].name", equalTo("q"))
        .body("invalid-params[0].reason", containsString("is required"));
    given()
        .queryParam("q", "   ")
        .get(SEARCH)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("q"));
    given()
        .queryParam("q", "x".repeat(201))
        .get(SEARCH)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("q"));
    for (String limit : new String[] {"0", "101", "-1", "ten"}) {
      given()
          .queryParam("q", "diabetes")
          .queryParam("limit", limit)
          .get(SEARCH)
          .then()
          .statusCode(400)
          .body("invalid-params[0].name", equalTo("limit"))
          .body("invalid-params[0].reason", equalTo("must be a whole number from 1 to 100"));
    }
    given()
        .queryParam("q", "diabetes")
        .queryParam("offset", "-1")
        .get(SEARCH)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("offset"));
    given()
        .queryParam("q", "diabetes")
        .queryParam("billable", "yes")
        .get(SEARCH)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("billable"));
    given()
        .queryParam("q", "diabetes")
        .queryParam("sort", "code")
        .get(SEARCH)
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("sort"));
  }

  @Test
  @TestSecurity(user = "ehr", roles = "hospital-system")
  void aRoleOutsideTheReadersIs403() {
    given().queryParam("q", "diabetes").get(SEARCH).then().statusCode(403).contentType(PROBLEM);
  }

  @Test
  @TestSecurity
  void withoutATokenIs401() {
    given().queryParam("q", "diabetes").get(SEARCH).then().statusCode(401).contentType(PROBLEM);
  }

  /** Every match, best first, paging through with the largest page. */
  List<String> allCodes(String q) {
    List<String> out = new ArrayList<>();
    int total;
    do {
      JsonPath page = search(q, "limit", 100, "offset", out.size());
      total = page.getInt("total");
      List<String> codes = page.getList("items.code");
      if (codes.isEmpty()) break;
      out.addAll(codes);
    } while (out.size() < total);
    assertThat(out).hasSize(total).doesNotHaveDuplicates();
    return out;
  }

  static int firstIndexNotStartingWith(List<String> codes, String prefix) {
    for (int i = 0; i < codes.size(); i++) {
      if (!codes.get(i).startsWith(prefix)) return i;
    }
    return codes.size();
  }
}
