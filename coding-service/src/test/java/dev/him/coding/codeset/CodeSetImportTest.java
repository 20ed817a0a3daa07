package dev.him.coding.codeset;

import static dev.him.coding.codeset.CodeSetApi.CODE_SETS;
import static dev.him.coding.codeset.CodeSetApi.JOBS;
import static dev.him.coding.codeset.CodeSetApi.count;
import static dev.him.coding.codeset.CodeSetApi.testVersion;
import static dev.him.coding.codeset.CodeSetApi.upload;
import static dev.him.coding.codeset.CodeSetApi.uploadAndWait;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.him.coding.testing.SharedCodeSets;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** ICD-10-CM order file imports through the job API: the real CDC file, broken and wrong files. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class CodeSetImportTest {
  static final String ORDER_ENTRY = "icd10cm-order-2025.txt";
  static final String PROBLEM = "application/problem+json";

  @Inject CodeSetConfig config;
  @Inject CodeSetVersions versions;
  @Inject AgroalDataSource db;

  Path orderZip() {
    return SharedCodeSets.requireFile(config.icd10cmZip());
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void theConfiguredReleaseIsLoadedAtStartUpAndImportingItAgainIsSkipped() throws Exception {
    Path zip = orderZip();
    String sha256 = ReleaseLoader.sha256(zip);
    // loaded at start-up (him.codesets.auto-import)
    JsonPath loaded = given().get(CODE_SETS).then().statusCode(200).extract().jsonPath();
    Map<String, Object> fy2025 =
        loaded.getMap("find { it.codeSystem == 'ICD-10-CM' && it.version == 'FY2025' }");
    assertThat(fy2025)
        .containsEntry("fiscalYear", 2025)
        .containsEntry("effectiveFrom", "2024-10-01")
        .containsEntry("fileName", "ICD10-CM-Code-Descriptions-2025.zip!/icd10cm-order-2025.txt")
        .containsEntry("fileSha256", sha256)
        .containsEntry("rows", 97584)
        .containsEntry("inForce", true);

    Response accepted = given().post(CODE_SETS + "/icd10cm/imports");
    accepted
        .then()
        .statusCode(202)
        .header("Location", endsWith(JOBS + accepted.jsonPath().getString("id")))
        .body("status", equalTo("queued"))
        .body("codeSystem", equalTo("ICD-10-CM"))
        .body("version", equalTo("FY2025"))
        .body("fileSha256", equalTo(sha256))
        .body("requestedBy", equalTo("admin"));
    JsonPath job = CodeSetApi.awaitJob(accepted.jsonPath().getString("id"));
    assertThat(job.getString("status")).isEqualTo("skipped");
    assertThat(job.getInt("rowsTotal")).isEqualTo(97584);
    assertThat(job.getInt("percent")).isEqualTo(100);

    assertThat(count(db, "select count(*) from icd10cm_code where code_set_version = 'FY2025'"))
        .isEqualTo(97584);
    assertThat(
            count(
                db,
                "select count(*) from icd10cm_code where code_set_version = 'FY2025'"
                    + " and billable"))
        .isEqualTo(74260);
    assertThat(
            count(
                db,
                "select count(*) from code_set_import where code_system = 'ICD-10-CM'"
                    + " and version = 'FY2025'"))
        .isEqualTo(1);
    assertThat(
            count(
                db,
                "select count(*) from icd10cm_code where code_set_version = 'FY2025'"
                    + " and code = 'E119' and display_code = 'E11.9' and billable"
                    + " and short_description = 'Type 2 diabetes mellitus without complications'"
                    + " and long_description = 'Type 2 diabetes mellitus without complications'"))
        .isEqualTo(1);
    assertThat(
            count(
                db,
                "select count(*) from icd10cm_code where code_set_version = 'FY2025'"
                    + " and code = 'E11' and not billable"))
        .isEqualTo(1);
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void theRealOrderFileUploadedAsAReleaseLoadsFullyWithProgressTo100() throws Exception {
    Path zip = orderZip();
    String version = testVersion();
    try {
      JsonPath job =
          uploadAndWait(
              "ICD-10-CM",
              Files.readAllBytes(zip),
              Map.of(
                  "version",
                  version,
                  "fiscalYear",
                  1991,
                  "effectiveFrom",
                  "1990-10-01",
                  "effectiveTo",
                  "1991-09-30",
                  "entry",
                  ORDER_ENTRY,
                  "fileName",
                  zip.getFileName().toString()));
      System.out.printf(
          "ICD-10-CM order file import (97,584 codes) through the job API: %d ms%n",
          job.getLong("durationMs"));
      assertThat(job.getString("status")).isEqualTo("succeeded");
      assertThat(job.getInt("percent")).isEqualTo(100);
      assertThat(job.getInt("rowsRead")).isEqualTo(97584);
      assertThat(job.getInt("rowsTotal")).isEqualTo(97584);
      assertThat(job.getString("fileSha256")).isEqualTo(ReleaseLoader.sha256(zip));
      assertThat(job.getString("fileName"))
          .isEqualTo("ICD10-CM-Code-Descriptions-2025.zip!/" + ORDER_ENTRY);
      assertThat(job.getString("error")).isNull();
      assertThat(job.getLong("durationMs")).isLessThan(30_000);
      assertThat(count(db, "select count(*) from icd10cm_code where code_set_version = ?", version))
          .isEqualTo(97584);
      assertThat(
              count(
                  db,
                  "select count(*) from icd10cm_code where code_set_version = ? and code = 'S72001A'"
                      + " and display_code = 'S72.001A' and billable and long_description ="
                      + " 'Fracture of unspecified part of neck of right femur, initial encounter"
                      + " for closed fracture'",
                  version))
          .isEqualTo(1);
      assertThat(
              count(
                  db,
                  "select count(*) from code_set_import where version = ? and fiscal_year = 1991"
                      + " and effective_from = date '1990-10-01'"
                      + " and effective_to = date '1991-09-30' and row_count = 97584"
                      + " and imported_by = 'admin' and file_sha256 = ?",
                  version,
                  ReleaseLoader.sha256(zip)))
          .isEqualTo(1);
      // in force only in its own days
      assertThat(inForce(LocalDate.of(1991, 3, 1))).contains(version);
      assertThat(inForce(LocalDate.of(2025, 3, 1))).contains("FY2025");

      // the same file again: skipped, with the rows of the first load
      JsonPath again =
          uploadAndWait(
              "icd10cm",
              Files.readAllBytes(zip),
              Map.of(
                  "version",
                  version,
                  "fiscalYear",
                  1991,
                  "effectiveFrom",
                  "1990-10-01",
                  "entry",
                  ORDER_ENTRY));
      assertThat(again.getString("status")).isEqualTo("skipped");
      assertThat(again.getInt("rowsTotal")).isEqualTo(97584);
      assertThat(count(db, "select count(*) from icd10cm_code where code_set_version = ?", version))
          .isEqualTo(97584);
    } finally {
      CodeSetApi.delete(db, "icd10cm_code", "code_set_version", version);
    }
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aBrokenLineFailsTheJobNamingItAndThePreviousReleaseStaysInForce() throws Exception {
    List<String> lines = orderLines();
    int broken = 50_000;
    // the billable flag (column 15) of line 50,000 is neither 0 nor 1
    String line = lines.get(broken - 1);
    lines.set(broken - 1, line.substring(0, 14) + "Y" + line.substring(15));
    String version = testVersion();
    LocalDate inFy2026 = LocalDate.of(2025, 12, 1);
    assertThat(inForce(inFy2026)).contains("FY2025");
    try {
      JsonPath job =
          uploadAndWait(
              "ICD-10-CM",
              zip(ORDER_ENTRY, lines),
              Map.of(
                  "version",
                  version,
                  "fiscalYear",
                  2026,
                  "effectiveFrom",
                  "2025-10-01",
                  "entry",
                  ORDER_ENTRY));
      assertThat(job.getString("status")).isEqualTo("failed");
      assertThat(job.getInt("errorLine")).isEqualTo(broken);
      assertThat(job.getString("error"))
          .contains("line 50000")
          .contains("billable flag")
          .contains("\"Y\"");
      assertThat(job.getInt("percent")).isLessThan(100);
      // nothing of the new version, and FY2025 still answers for FY2026 days
      assertThat(count(db, "select count(*) from icd10cm_code where code_set_version = ?", version))
          .isZero();
      assertThat(count(db, "select count(*) from code_set_import where version = ?", version))
          .isZero();
      assertThat(inForce(inFy2026)).contains("FY2025");
    } finally {
      CodeSetApi.delete(db, "icd10cm_code", "code_set_version", version);
    }
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aTruncatedOrderFileFailsAtTheLineWhereItStops() throws Exception {
    List<String> lines = new ArrayList<>(orderLines().subList(0, 1234));
    // cut inside the last line's short description, as a download cut short leaves it
    lines.set(1233, lines.get(1233).substring(0, 40));
    String version = testVersion();
    JsonPath job =
        uploadAndWait(
            "ICD-10-CM",
            zip(ORDER_ENTRY, lines),
            Map.of(
                "version",
                version,
                "fiscalYear",
                2026,
                "effectiveFrom",
                "2025-10-01",
                "entry",
                ORDER_ENTRY));
    assertThat(job.getString("status")).isEqualTo("failed");
    assertThat(job.getInt("errorLine")).isEqualTo(1234);
    assertThat(job.getString("error")).contains("line 1234").contains("too short");
    assertThat(count(db, "select count(*) from icd10cm_code where code_set_version = ?", version))
        .isZero();
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aTruncatedZipFailsClearly() throws Exception {
    byte[] whole = Files.readAllBytes(orderZip());
    JsonPath job =
        uploadAndWait(
            "ICD-10-CM",
            Arrays.copyOf(whole, whole.length / 2),
            Map.of(
                "version",
                testVersion(),
                "fiscalYear",
                2026,
                "effectiveFrom",
                "2025-10-01",
                "entry",
                ORDER_ENTRY));
    assertThat(job.getString("status")).isEqualTo("failed");
    assertThat(job.getString("error")).contains("is not a complete zip file");
    assertThat((Object) job.get("errorLine")).isNull();
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aWrongFileFailsClearly() throws Exception {
    Path tabular = SharedCodeSets.requireFile(config.path(config.icd10cmTabular()));
    JsonPath xmlAsOrderFile =
        uploadAndWait(
            "ICD-10-CM",
            Files.readAllBytes(tabular),
            Map.of(
                "version",
                testVersion(),
                "fiscalYear",
                2026,
                "effectiveFrom",
                "2025-10-01",
                "fileName",
                "icd10cm_tabular_2023.xml.gz"));
    assertThat(xmlAsOrderFile.getString("status")).isEqualTo("failed");
    assertThat(xmlAsOrderFile.getString("error"))
        .isEqualTo(
            "icd10cm_tabular_2023.xml.gz: is gzip-compressed, not a plain-text ICD-10-CM order"
                + " file");

    // the zip without saying which entry, and an entry the zip does not have
    byte[] zip = Files.readAllBytes(orderZip());
    JsonPath noEntry =
        uploadAndWait(
            "ICD-10-CM",
            zip,
            Map.of("version", testVersion(), "fiscalYear", 2026, "effectiveFrom", "2025-10-01"));
    assertThat(noEntry.getString("error")).contains("is a zip file").contains("entry");
    JsonPath wrongEntry =
        uploadAndWait(
            "ICD-10-CM",
            zip,
            Map.of(
                "version",
                testVersion(),
                "fiscalYear",
                2026,
                "effectiveFrom",
                "2025-10-01",
                "entry",
                "icd10cm-order-2026.txt"));
    assertThat(wrongEntry.getString("error"))
        .contains("has no entry icd10cm-order-2026.txt")
        .contains(ORDER_ENTRY);

    // the plain tabular XML read as an order file: its first line is named
    JsonPath xmlLines =
        uploadAndWait(
            "ICD-10-CM",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ICD10CM.tabular>\n"
                .getBytes(StandardCharsets.UTF_8),
            Map.of("version", testVersion(), "fiscalYear", 2026, "effectiveFrom", "2025-10-01"));
    assertThat(xmlLines.getInt("errorLine")).isEqualTo(1);
    assertThat(xmlLines.getString("error")).contains("line 1").contains("fixed-width layout");
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void theSameVersionFromAnotherFileIsRefused() throws Exception {
    orderZip();
    byte[] other =
        zip(
            ORDER_ENTRY,
            List.of(
                line("00001", "Q0Z", '0', "Test header", "Test header, long"),
                line("00002", "Q0Z1", '1', "Test leaf", "Test leaf")));
    upload(
            "ICD-10-CM",
            other,
            Map.of(
                "version",
                "FY2025",
                "fiscalYear",
                2025,
                "effectiveFrom",
                "2024-10-01",
                "entry",
                ORDER_ENTRY))
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("detail", containsString("ICD-10-CM FY2025 is already loaded"))
        .body("detail", containsString("SHA-256"))
        .body("detail", containsString("new version"));
    assertThat(count(db, "select count(*) from icd10cm_code where code = 'Q0Z1'")).isZero();
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aSmallReleaseKeepsItsFieldsAsWritten() throws Exception {
    String version = testVersion();
    byte[] zip =
        zip(
            "order.txt",
            List.of(
                line("00001", "Q0Z", '0', "Test header", "Test header, long"),
                line("00002", "Q0Z1", '1', "Test leaf", "Test leaf with a \\ backslash\tand tab"),
                "",
                line("00003", "Q0Z12AB", '1', "Test seven", "Test seven characters")));
    try {
      JsonPath job =
          uploadAndWait(
              "ICD-10-CM",
              zip,
              Map.of(
                  "version", version,
                  "fiscalYear", 2000,
                  "effectiveFrom", "2000-01-01",
                  "effectiveTo", "2000-01-31",
                  "entry", "order.txt"));
      assertThat(job.getString("status")).isEqualTo("succeeded");
      assertThat(job.getInt("rowsTotal")).isEqualTo(3);
      assertThat(
              count(
                  db,
                  "select count(*) from icd10cm_code where code_set_version = ? and ("
                      + "(code = 'Q0Z1' and display_code = 'Q0Z.1' and billable"
                      + " and long_description = E'Test leaf with a \\\\ backslash\\tand tab')"
                      + " or (code = 'Q0Z' and display_code = 'Q0Z' and not billable)"
                      + " or (code = 'Q0Z12AB' and display_code = 'Q0Z.12AB' and order_number = 3))",
                  version))
          .isEqualTo(3);
    } finally {
      CodeSetApi.delete(db, "icd10cm_code", "code_set_version", version);
    }
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aRepeatedCodeFailsNamingBothTheLineAndTheCode() throws Exception {
    String version = testVersion();
    JsonPath job =
        uploadAndWait(
            "ICD-10-CM",
            zip(
                "order.txt",
                List.of(
                    line("00001", "Q0Y", '0', "Test header", "Test header"),
                    line("00002", "Q0Y1", '1', "Test leaf", "Test leaf"),
                    line("00003", "Q0Y1", '1', "Test leaf", "Test leaf"))),
            Map.of(
                "version",
                version,
                "fiscalYear",
                2000,
                "effectiveFrom",
                "2000-01-01",
                "entry",
                "order.txt"));
    assertThat(job.getString("status")).isEqualTo("failed");
    assertThat(job.getInt("errorLine")).isEqualTo(3);
    assertThat(job.getString("error")).contains("line 3").contains("repeats code Q0Y.1");
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void badParametersAre400NamingEachField() {
    byte[] body = "x".getBytes(StandardCharsets.UTF_8);
    upload("ICD-10-CM", body, Map.of("fiscalYear", "soon", "effectiveFrom", "2025-13-01"))
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("'invalid-params'.name", hasItems("version", "fiscalYear", "effectiveFrom"))
        .body(
            "'invalid-params'.find { it.name == 'effectiveFrom' }.reason",
            containsString("yyyy-mm-dd"));
    upload(
            "ICD-10-CM",
            body,
            Map.of(
                "version", "FY 2026!",
                "fiscalYear", 2026,
                "effectiveFrom", "2025-10-01",
                "effectiveTo", "2025-01-01"))
        .then()
        .statusCode(400)
        .body("'invalid-params'.name", hasItems("version", "effectiveTo"));
    upload("ICD-10-CM", body, Map.of("release", "FY2026"))
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("release"))
        .body("invalid-params[0].reason", containsString("not a parameter"));
    // an uploaded file needs its version; parameters need a file
    upload("ICD-10-CM", body, Map.of())
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("version"));
    given()
        .queryParam("version", "FY2026")
        .queryParam("fiscalYear", 2026)
        .queryParam("effectiveFrom", "2025-10-01")
        .post(CODE_SETS + "/ICD-10-CM/imports")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("body"));
    given()
        .get(CODE_SETS + "/imports?status=done")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("status"));
    given()
        .get(CODE_SETS + "/imports?size=1000")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("size"));
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void anUnknownCodeSystemOrJobIs404NamingIt() {
    given()
        .post(CODE_SETS + "/ICD-11/imports")
        .then()
        .statusCode(404)
        .contentType(PROBLEM)
        .body("detail", containsString("code system ICD-11 is not known"))
        .body("detail", containsString("ICD-10-CM"));
    given()
        .get(JOBS + "00000000-0000-0000-0000-000000000000")
        .then()
        .statusCode(404)
        .body("detail", containsString("00000000-0000-0000-0000-000000000000"));
    given().get(JOBS + "nope").then().statusCode(404);
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void recentJobsAreListedNewestFirstAndFiltered() throws Exception {
    orderZip();
    String first = given().post(CODE_SETS + "/icd10cm/imports").jsonPath().getString("id");
    String second = given().post(CODE_SETS + "/ICD-10-CM/imports").jsonPath().getString("id");
    CodeSetApi.awaitJob(second);
    JsonPath page =
        given()
            .get(CODE_SETS + "/imports?codeSystem=icd10cm&size=2&page=0")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(page.getInt("size")).isEqualTo(2);
    assertThat(page.getLong("total")).isGreaterThanOrEqualTo(2);
    assertThat(page.getList("items.id", String.class)).containsExactly(second, first);
    assertThat(page.getList("items.codeSystem", String.class)).containsOnly("ICD-10-CM");
    JsonPath skipped =
        given().get(CODE_SETS + "/imports?status=skipped&size=100").then().extract().jsonPath();
    assertThat(skipped.getList("items.status", String.class)).containsOnly("skipped");
    assertThat(skipped.getList("items.id", String.class)).contains(first, second);
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void theOlderSynchronousImportStillAnswers() {
    orderZip();
    given()
        .post(CODE_SETS + "/icd10cm/import")
        .then()
        .statusCode(200)
        .body("codeSystem", equalTo("ICD-10-CM"))
        .body("version", equalTo("FY2025"))
        .body("rows", equalTo(97584))
        .body("alreadyImported", equalTo(true));
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void onlyAnAdminMayImportOrSeeImports() {
    given()
        .post(CODE_SETS + "/icd10cm/imports")
        .then()
        .statusCode(403)
        .contentType(PROBLEM)
        .body("detail", containsString("roles"));
    upload("ICD-10-CM", new byte[] {1}, Map.of("version", "FY2030")).then().statusCode(403);
    given().get(CODE_SETS).then().statusCode(403);
    given().get(CODE_SETS + "/imports").then().statusCode(403);
    given().get(JOBS + "00000000-0000-0000-0000-000000000000").then().statusCode(403);
    given().post(CODE_SETS + "/icd10cm/import").then().statusCode(403);
  }

  @Test
  void withoutATokenImportIs401() {
    given().post(CODE_SETS + "/icd10cm/imports").then().statusCode(401).contentType(PROBLEM);
    given().get(CODE_SETS).then().statusCode(401);
  }

  // --- helpers ---

  java.util.Optional<String> inForce(LocalDate day) {
    return QuarkusTransaction.requiringNew()
        .call(() -> versions.inForce(CodeSetVersions.ICD10CM, day));
  }

  List<String> orderLines() throws IOException {
    try (ZipFile zip = new ZipFile(orderZip().toFile());
        InputStream in = zip.getInputStream(zip.getEntry(ORDER_ENTRY))) {
      String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return new ArrayList<>(Arrays.asList(text.split("\r?\n")));
    }
  }

  static String line(String order, String code, char billable, String shortD, String longD) {
    return "%5s %-7s %c %-60s %s".formatted(order, code, billable, shortD, longD);
  }

  static byte[] zip(String entry, List<String> lines) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry(entry));
      for (String l : lines) {
        out.write((l + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      }
      out.closeEntry();
    }
    return bytes.toByteArray();
  }
}
