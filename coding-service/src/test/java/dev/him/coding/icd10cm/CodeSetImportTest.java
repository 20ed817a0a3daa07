package dev.him.coding.icd10cm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class CodeSetImportTest {
  static final String IMPORT = "/api/coding/code-sets/icd10cm/import";

  @Inject CodeSetConfig config;
  @Inject Icd10CmImporter importer;
  @Inject AgroalDataSource db;

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void theWholeReleaseIsLoadedOnceAndASecondImportChangesNothing() throws Exception {
    CodeSetData.requireFile(config.icd10cmZip());
    // loaded at start-up (him.codesets.auto-import), so the endpoint finds it there
    given()
        .post(IMPORT)
        .then()
        .statusCode(200)
        .body("codeSystem", equalTo("ICD-10-CM"))
        .body("version", equalTo("FY2025"))
        .body("rows", equalTo(97584))
        .body("alreadyImported", equalTo(true));
    assertThat(count("select count(*) from icd10cm_code")).isEqualTo(97584);
    assertThat(count("select count(*) from icd10cm_code where billable")).isEqualTo(74260);
    assertThat(count("select count(*) from icd10cm_code where not billable")).isEqualTo(23324);
    assertThat(count("select count(distinct display_code) from icd10cm_code")).isEqualTo(97584);
    assertThat(
            count(
                "select count(*) from code_set_import where code_system = 'ICD-10-CM'"
                    + " and version = 'FY2025' and row_count = 97584"
                    + " and effective_from = date '2024-10-01'"
                    + " and file_name = 'ICD10-CM-Code-Descriptions-2025.zip!/icd10cm-order-2025.txt'"))
        .isEqualTo(1);

    given().post(IMPORT).then().statusCode(200).body("alreadyImported", equalTo(true));
    assertThat(count("select count(*) from icd10cm_code")).isEqualTo(97584);
    assertThat(count("select count(*) from code_set_import")).isEqualTo(1);
  }

  @Test
  void aFreshReleaseIsLoadedAndThenSkipped(@TempDir Path dir) throws Exception {
    String version = "T" + UUID.randomUUID().toString().substring(0, 8);
    Path zip =
        zip(
            dir,
            List.of(
                line("00001", "Q0Z", '0', "Test header", "Test header, long"),
                line("00002", "Q0Z1", '1', "Test leaf", "Test leaf with a \\ backslash"),
                "",
                line("00003", "Q0Z12AB", '1', "Test seven", "Test seven characters")));
    var release = new Icd10CmLoader.Release(zip, "order.txt", version, LocalDate.of(2000, 1, 1));
    try {
      ImportResult first = importer.importFile(release, "test");
      assertThat(first).isEqualTo(new ImportResult("ICD-10-CM", version, 3, false));
      assertThat(
              count(
                  "select count(*) from icd10cm_code where code_set_version = '"
                      + version
                      + "' and ((code = 'Q0Z1' and display_code = 'Q0Z.1' and billable"
                      + " and long_description = 'Test leaf with a \\ backslash')"
                      + " or (code = 'Q0Z' and display_code = 'Q0Z' and not billable)"
                      + " or (code = 'Q0Z12AB' and display_code = 'Q0Z.12AB' and order_number = 3))"))
          .isEqualTo(3);
      assertThat(importer.importFile(release, "test"))
          .isEqualTo(new ImportResult("ICD-10-CM", version, 3, true));
      assertThat(
              count("select count(*) from icd10cm_code where code_set_version = '" + version + "'"))
          .isEqualTo(3);
    } finally {
      delete(version);
    }
  }

  @Test
  void aBrokenFileLoadsNothing(@TempDir Path dir) throws Exception {
    String version = "T" + UUID.randomUUID().toString().substring(0, 8);
    Path zip =
        zip(
            dir,
            List.of(
                line("00001", "Q0Y", '0', "Test header", "Test header"),
                line("00002", "Q0Y1", '1', "Test leaf", "Test leaf"),
                line("00003", "Q0Y2", 'Y', "Bad flag", "Bad flag")));
    var release = new Icd10CmLoader.Release(zip, "order.txt", version, LocalDate.of(2000, 1, 1));
    try {
      assertThatThrownBy(() -> importer.importFile(release, "test"))
          .isInstanceOf(Icd10CmOrderFile.FormatException.class)
          .hasMessageContaining("line 3");
      assertThat(
              count("select count(*) from icd10cm_code where code_set_version = '" + version + "'"))
          .isZero();
      assertThat(count("select count(*) from code_set_import where version = '" + version + "'"))
          .isZero();
    } finally {
      delete(version);
    }
  }

  @Test
  @TestSecurity(user = "coder", roles = "coder")
  void onlyAnAdminMayImport() {
    given()
        .post(IMPORT)
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("status", equalTo(403))
        .body("detail", containsString("roles"));
  }

  @Test
  void withoutATokenImportIs401() {
    given().post(IMPORT).then().statusCode(401).contentType("application/problem+json");
  }

  // --- helpers ---

  static String line(String order, String code, char billable, String shortD, String longD) {
    return "%5s %-7s %c %-60s %s".formatted(order, code, billable, shortD, longD);
  }

  static Path zip(Path dir, List<String> lines) throws IOException {
    Path zip = dir.resolve("codes.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("order.txt"));
      OutputStream body = out;
      for (String l : lines) {
        body.write((l + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      }
      out.closeEntry();
    }
    return zip;
  }

  long count(String sql) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(sql);
        ResultSet rs = q.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  void delete(String version) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement codes =
            c.prepareStatement("delete from icd10cm_code where code_set_version = ?");
        PreparedStatement imports =
            c.prepareStatement("delete from code_set_import where version = ?")) {
      codes.setString(1, version);
      codes.executeUpdate();
      imports.setString(1, version);
      imports.executeUpdate();
    }
  }
}
