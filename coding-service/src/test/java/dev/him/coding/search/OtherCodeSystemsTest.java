package dev.him.coding.search;

import static dev.him.coding.testing.SharedCodeSets.count;
import static dev.him.coding.testing.SharedCodeSets.execute;
import static dev.him.coding.testing.SharedCodeSets.fhirGet;
import static dev.him.coding.testing.SharedCodeSets.file;
import static dev.him.coding.testing.SharedCodeSets.markLoaded;
import static dev.him.coding.testing.SharedCodeSets.requireFile;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.him.coding.codeset.CodeSetVersions;
import dev.him.coding.terminology.Releases;
import dev.him.coding.testing.SharedCodeSets;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ICD-10-PCS and HCPCS lookup and search. Their importers come with other work; until then this
 * test loads a slice of the real files itself when no release of the system is loaded: the
 * ICD-10-PCS codes starting 0DTJ, 0FT4 and 0SR9 read from the CMS zip, and a handful of HCPCS rows
 * copied from HCPC2025_OCT_ANWEB.xlsx. When a release is loaded already, it runs on that.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestSecurity(user = "coder", roles = "coder")
class OtherCodeSystemsTest {
  static final String PCS_VERSION = "FY2026";
  static final String HCPCS_VERSION = "2025-10";

  /** code, modifier, short, long, coverage, action, added, terminated (HCPC2025_OCT_ANWEB). */
  static final List<Object[]> HCPCS_ROWS =
      List.of(
          hcpcs(
              "A0021",
              false,
              "Outside state ambulance serv",
              "Ambulance service, outside state per mile, transport (medicaid only)",
              "I",
              "1985-01-01",
              null),
          hcpcs(
              "E0100",
              false,
              "Cane adjust/fixed with tip",
              "Cane, includes canes of all materials, adjustable or fixed, with tip",
              "D",
              "1986-01-01",
              null),
          hcpcs(
              "J1094",
              false,
              "Inj dexamethasone acetate",
              "Injection, dexamethasone acetate, 1 mg",
              "D",
              "2003-01-01",
              "2025-03-31"),
          hcpcs(
              "J1100",
              false,
              "Dexamethasone sodium phos",
              "Injection, dexamethasone sodium phosphate, 1 mg",
              "D",
              "1982-01-01",
              null),
          hcpcs(
              "J1120",
              false,
              "Acetazolamid sodium injectio",
              "Injection, acetazolamide sodium, up to 500 mg",
              "D",
              "1982-01-01",
              null),
          hcpcs(
              "J1950",
              false,
              "Leuprolide acetate /3.75 mg",
              "Injection, leuprolide acetate (for depot suspension), per 3.75 mg",
              "D",
              "1986-01-01",
              null),
          hcpcs(
              "LT",
              true,
              "Left side",
              "Left side (used to identify procedures performed on the left side of the body)",
              "C",
              "1984-01-01",
              null),
          hcpcs(
              "RT",
              true,
              "Right side",
              "Right side (used to identify procedures performed on the right side of the body)",
              "C",
              "1984-01-01",
              null));

  @Inject AgroalDataSource db;
  @Inject Releases releases;
  boolean pcsInserted;
  boolean hcpcsInserted;

  static Object[] hcpcs(
      String code, boolean modifier, String s, String l, String cov, String added, String term) {
    return new Object[] {
      code,
      modifier,
      s,
      l,
      cov,
      "N",
      LocalDate.parse(added),
      term == null ? null : LocalDate.parse(term)
    };
  }

  @BeforeAll
  void slicesOfTheRealFiles() throws Exception {
    requireFile(file(SharedCodeSets.ICD10PCS_ZIP));
    if (count(
            db,
            "select count(*) from code_set_import where code_system = ?",
            CodeSetVersions.ICD10PCS)
        == 0) {
      int rows = 0;
      try (ZipFile zip = new ZipFile(file(SharedCodeSets.ICD10PCS_ZIP).toFile());
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(
                      zip.getInputStream(zip.getEntry("icd10pcs_codes_2026.txt")),
                      StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("0DTJ") || line.startsWith("0FT4") || line.startsWith("0SR9")) {
            execute(
                db,
                "insert into icd10pcs_code (code_set_version, code, description) values (?, ?, ?)",
                PCS_VERSION,
                line.substring(0, 7),
                line.substring(8).strip());
            rows++;
          }
        }
      }
      assertThat(rows).isEqualTo(29);
      markLoaded(
          db,
          CodeSetVersions.ICD10PCS,
          PCS_VERSION,
          LocalDate.of(2025, 10, 1),
          null,
          "test: lines of icd10pcs_codes_2026.txt",
          rows);
      pcsInserted = true;
    }
    if (count(
            db, "select count(*) from code_set_import where code_system = ?", CodeSetVersions.HCPCS)
        == 0) {
      for (Object[] r : HCPCS_ROWS) {
        execute(
            db,
            "insert into hcpcs_code (code_set_version, code, modifier, short_description,"
                + " long_description, coverage_code, action_code, added_on, terminated_on)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            HCPCS_VERSION,
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7]);
      }
      markLoaded(
          db,
          CodeSetVersions.HCPCS,
          HCPCS_VERSION,
          LocalDate.of(2025, 10, 1),
          null,
          "test: rows of HCPC2025_OCT_ANWEB.xlsx",
          HCPCS_ROWS.size());
      hcpcsInserted = true;
    }
    releases.refresh();
  }

  @AfterAll
  void removeThem() throws Exception {
    if (pcsInserted) {
      execute(db, "delete from icd10pcs_code where code_set_version = ?", PCS_VERSION);
      execute(
          db,
          "delete from code_set_import where code_system = ? and version = ?",
          CodeSetVersions.ICD10PCS,
          PCS_VERSION);
    }
    if (hcpcsInserted) {
      execute(db, "delete from hcpcs_code where code_set_version = ?", HCPCS_VERSION);
      execute(
          db,
          "delete from code_set_import where code_system = ? and version = ?",
          CodeSetVersions.HCPCS,
          HCPCS_VERSION);
    }
    releases.refresh();
  }

  @Test
  void icd10PcsLookup() {
    for (String asTyped : new String[] {"0DTJ4ZZ", "0dtj4zz"}) {
      given()
          .get("/api/coding/icd10pcs/codes/" + asTyped)
          .then()
          .statusCode(200)
          .body("system", equalTo("ICD-10-PCS"))
          .body("code", equalTo("0DTJ4ZZ"))
          .body("codeWithoutDot", equalTo("0DTJ4ZZ"))
          .body("billable", equalTo(true))
          .body(
              "longDescription", equalTo("Resection of Appendix, Percutaneous Endoscopic Approach"))
          .body("parent", nullValue())
          .body("children", nullValue())
          .body("notes", nullValue());
    }
    for (String bad : new String[] {"0DTJ4Z", "0DTJ4ZI", "E11.9"}) {
      given()
          .get("/api/coding/icd10pcs/codes/" + bad)
          .then()
          .statusCode(400)
          .body("invalid-params[0].name", equalTo("code"))
          .body("invalid-params[0].reason", containsString("not an ICD-10-PCS code"));
    }
    given()
        .get("/api/coding/icd10pcs/codes/0DTJ4ZX")
        .then()
        .statusCode(404)
        .body("invalid-params[0].name", equalTo("code"));
  }

  @Test
  void icd10PcsSearchByWordsAndCodePrefix() {
    JsonPath words = search("icd10pcs", "resection appendix");
    assertThat(words.getList("items.code", String.class))
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c).startsWith("0DTJ"));
    // the shortest title first: "Resection of Appendix, Open Approach"
    assertThat(words.getString("items[0].code")).isEqualTo("0DTJ0ZZ");
    JsonPath prefix = search("icd10pcs", "0dt");
    assertThat(prefix.getList("items.match", String.class)).containsOnly("code-prefix");
    assertThat(prefix.getList("items.code", String.class)).contains("0DTJ4ZZ");
    JsonPath exact = search("icd10pcs", "0DTJ4ZZ");
    assertThat(exact.getString("items[0].match")).isEqualTo("code");
    assertThat(search("icd10pcs", "hip replacement").getInt("total")).isGreaterThan(0);
  }

  @Test
  void hcpcsLookupSaysWhatIsBillable() {
    given()
        .get("/api/coding/hcpcs/codes/j1100")
        .then()
        .statusCode(200)
        .body("system", equalTo("HCPCS"))
        .body("code", equalTo("J1100"))
        .body("billable", equalTo(true))
        .body("shortDescription", equalTo("Dexamethasone sodium phos"))
        .body("longDescription", equalTo("Injection, dexamethasone sodium phosphate, 1 mg"));
    // a modifier is not reported on its own
    given()
        .get("/api/coding/hcpcs/codes/LT")
        .then()
        .statusCode(200)
        .body("billable", equalTo(false));
    // terminated on 2025-03-31, before the October 2025 quarter
    given()
        .get("/api/coding/hcpcs/codes/J1094")
        .then()
        .statusCode(200)
        .body("billable", equalTo(false));
    given()
        .get("/api/coding/hcpcs/codes/J11")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("code"));
  }

  @Test
  void hcpcsSearch() {
    // billable first: J1094 (terminated) after J1100
    List<String> dexamethasone = search("hcpcs", "dexamethasone").getList("items.code");
    assertThat(dexamethasone).contains("J1100", "J1094");
    assertThat(dexamethasone.indexOf("J1100")).isLessThan(dexamethasone.indexOf("J1094"));
    assertThat(search("hcpcs", "lt").getString("items[0].code")).isEqualTo("LT");
    // a code prefix: the codes under it, billable or not as asked
    JsonPath billable = search("hcpcs", "j11", "billable", "true");
    assertThat(billable.getList("items.code", String.class)).contains("J1100", "J1120");
    assertThat(billable.getList("items.match", String.class)).containsOnly("code-prefix");
    assertThat(search("hcpcs", "j10", "billable", "false").getList("items.code", String.class))
        .contains("J1094");
    assertThat(search("hcpcs", "j10", "billable", "true").getList("items.code", String.class))
        .doesNotContain("J1094");
  }

  @Test
  void icd10PcsOverFhir() {
    fhirGet(
            "/fhir/r4/CodeSystem/$lookup",
            "system",
            "http://www.cms.gov/Medicare/Coding/ICD10",
            "code",
            "0DTJ4ZZ")
        .statusCode(200)
        .contentType("application/fhir+json")
        .body("parameter.find { it.name == 'name' }.valueString", equalTo("ICD-10-PCS"))
        .body(
            "parameter.find { it.name == 'display' }.valueString",
            equalTo("Resection of Appendix, Percutaneous Endoscopic Approach"));
    fhirGet(
            "/fhir/r4/ValueSet/$expand",
            "url",
            "http://www.cms.gov/Medicare/Coding/ICD10?fhir_vs",
            "filter",
            "resection appendix")
        .statusCode(200)
        .body("expansion.total", org.hamcrest.Matchers.greaterThanOrEqualTo(5))
        .body("expansion.contains[0].code", equalTo("0DTJ0ZZ"))
        .body("expansion.contains[0].system", equalTo("http://www.cms.gov/Medicare/Coding/ICD10"));
  }

  static JsonPath search(String system, String q, String... more) {
    var request = given();
    for (int i = 0; i < more.length; i += 2) request.queryParam(more[i], more[i + 1]);
    return request
        .queryParam("q", q)
        .queryParam("limit", 100)
        .get("/api/coding/" + system + "/search")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
