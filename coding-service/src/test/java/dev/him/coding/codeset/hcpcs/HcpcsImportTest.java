package dev.him.coding.codeset.hcpcs;

import static dev.him.coding.codeset.CodeSetApi.CODE_SETS;
import static dev.him.coding.codeset.CodeSetApi.count;
import static dev.him.coding.codeset.CodeSetApi.testVersion;
import static dev.him.coding.codeset.CodeSetApi.uploadAndWait;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.him.coding.codeset.CodeSetApi;
import dev.him.coding.codeset.CodeSetConfig;
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
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** The CMS HCPCS Level II workbook (October 2025), read with POI's streaming reader. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class HcpcsImportTest {
  static final List<String> HEADER =
      List.of(
          "HCPC",
          "SEQNUM",
          "RECID",
          "LONG DESCRIPTION",
          "SHORT DESCRIPTION",
          "COV",
          "BETOS",
          "ADD DT",
          "ACT EFF DT",
          "TERM DT",
          "ACTION CD");

  @Inject CodeSetConfig config;
  @Inject AgroalDataSource db;

  Path workbook() {
    return SharedCodeSets.requireFile(config.path(config.hcpcs()));
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void theWorkbookIsLoadedAtStartUpWithCodesAndModifiers() throws Exception {
    workbook();
    Map<String, Object> release =
        given()
            .get(CODE_SETS)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getMap("find { it.codeSystem == 'HCPCS' && it.version == '2025-10' }");
    assertThat(release)
        .containsEntry("fiscalYear", 2026)
        .containsEntry("effectiveFrom", "2025-10-01")
        .containsEntry("fileName", "HCPC2025_OCT_ANWEB.xlsx")
        .containsEntry("rows", 8846)
        .containsEntry("inForce", true);
    assertThat(count(db, "select count(*) from hcpcs_code where code_set_version = '2025-10'"))
        .isEqualTo(8846);
    assertThat(
            count(
                db,
                "select count(*) from hcpcs_code where code_set_version = '2025-10' and modifier"
                    + " and length(code) = 2"))
        .isEqualTo(383);
    assertThat(
            count(
                db,
                "select count(*) from hcpcs_code where code_set_version = '2025-10'"
                    + " and not modifier and length(code) = 5"))
        .isEqualTo(8463);

    assertThat(row("2025-10", "A4206"))
        .isEqualTo(
            "A4206|false|1 cc sterile syringe&needle|Syringe with needle, sterile, 1 cc or less,"
                + " each|C|N|1985-01-01|null|D1A|2008-01-01");
    // a modifier (stored without the workbook's leading blanks) with its whole long description
    assertThat(row("2025-10", "AB"))
        .isEqualTo(
            "AB|true|Aud svs w/o order evry 12mo|Audiology service furnished personally by an"
                + " audiologist without a physician/npp order for non-acute hearing assessment"
                + " unrelated to disequilibrium, or hearing aids, or examinations for the purpose of"
                + " prescribing, fitting, or changing hearing aids; service may be performed once"
                + " every 12 months, per beneficiary|C|N|2023-01-01|null|null|2023-01-01");
    // terminated: the termination date as published (a numeric cell in the workbook)
    assertThat(row("2025-10", "G0106"))
        .isEqualTo(
            "G0106|false|Colon ca screen;barium enema|Colorectal cancer screening; alternative to"
                + " g0104, screening sigmoidoscopy, barium enema|D|N|1998-01-01|2024-12-31|I1D"
                + "|2025-01-01");
    assertThat(row("2025-10", "C9088")).contains("|2025-09-30|");
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void theRealWorkbookUploadedAsAnotherVersionLoadsFully() throws Exception {
    Path file = workbook();
    String version = testVersion();
    try {
      JsonPath job =
          uploadAndWait(
              "hcpcs",
              Files.readAllBytes(file),
              Map.of(
                  "version",
                  version,
                  "fiscalYear",
                  2026,
                  "effectiveFrom",
                  "1990-10-01",
                  "effectiveTo",
                  "1990-12-31",
                  "fileName",
                  file.getFileName().toString()));
      System.out.printf(
          "HCPCS workbook import (8,846 codes and modifiers) through the job API: %d ms%n",
          job.getLong("durationMs"));
      assertThat(job.getString("status")).isEqualTo("succeeded");
      assertThat(job.getInt("percent")).isEqualTo(100);
      assertThat(job.getInt("rowsTotal")).isEqualTo(8846);
      assertThat(count(db, "select count(*) from hcpcs_code where code_set_version = ?", version))
          .isEqualTo(8846);
    } finally {
      CodeSetApi.delete(db, "hcpcs_code", "code_set_version", version);
    }
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aLongDescriptionOverSeveralRecordsIsJoined() throws Exception {
    String version = testVersion();
    byte[] xlsx =
        xlsx(
            HEADER,
            List.of(
                List.of(
                    "   ZY",
                    "0010",
                    "7",
                    "Modifier text that",
                    "Mod short",
                    "C",
                    "",
                    "20250101",
                    "20250101",
                    "",
                    "A"),
                List.of("   ZY", "0020", "8", "goes on over", "", "", "", "", "", "", ""),
                List.of("   ZY", "0030", "8", "three records", "", "", "", "", "", "", ""),
                List.of(
                    "A9990",
                    "0010",
                    "3",
                    "First part of the",
                    "Short A",
                    "D",
                    "D1A",
                    "20240101",
                    "20250101",
                    "20251231",
                    "C"),
                List.of("A9990", "0020", "4", "long description", "", "", "", "", "", "", ""),
                List.of(
                    "A9991",
                    "0010",
                    "3",
                    "On one record",
                    "Short B",
                    "I",
                    "",
                    "20250401",
                    "20250401",
                    "",
                    "N")));
    try {
      JsonPath job = upload(version, xlsx);
      assertThat(job.getString("status")).isEqualTo("succeeded");
      assertThat(job.getInt("rowsTotal")).isEqualTo(3);
      assertThat(row(version, "ZY"))
          .isEqualTo(
              "ZY|true|Mod short|Modifier text that goes on over three records|C|A|2025-01-01"
                  + "|null|null|2025-01-01");
      assertThat(row(version, "A9990"))
          .isEqualTo(
              "A9990|false|Short A|First part of the long description|D|C|2024-01-01|2025-12-31"
                  + "|D1A|2025-01-01");
      assertThat(row(version, "A9991")).startsWith("A9991|false|Short B|On one record|I|N|");
    } finally {
      CodeSetApi.delete(db, "hcpcs_code", "code_set_version", version);
    }
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aBrokenRowFailsNamingTheRowAndLoadsNothing() throws Exception {
    String version = testVersion();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("A9990", "0010", "3", "Fine", "Fine", "D", "", "20240101", "", "", "N"));
    rows.add(List.of("A9991", "0010", "3", "Fine", "Fine", "D", "", "20240101", "", "", "N"));
    rows.add(List.of("A9992", "0010", "3", "Bad date", "Bad", "D", "", "20241301", "", "", "N"));
    JsonPath badDate = upload(version, xlsx(HEADER, rows));
    assertThat(badDate.getString("status")).isEqualTo("failed");
    assertThat(badDate.getInt("errorLine")).isEqualTo(4);
    assertThat(badDate.getString("error"))
        .isEqualTo("uploaded.xlsx row 4: has \"20241301\" in column ADD DT, not a date (yyyymmdd)");
    assertThat(count(db, "select count(*) from hcpcs_code where code_set_version = ?", version))
        .isZero();

    rows.set(2, List.of("A9992", "0010", "5", "Bad record", "Bad", "D", "", "", "", "", "N"));
    assertThat(upload(testVersion(), xlsx(HEADER, rows)).getString("error"))
        .contains("row 4: has record id 5");
    rows.set(2, List.of("A999", "0010", "3", "Bad code", "Bad", "D", "", "", "", "", "N"));
    assertThat(upload(testVersion(), xlsx(HEADER, rows)).getString("error"))
        .contains("row 4: has \"A999\" in column HCPC, not a HCPCS Level II code");
    rows.set(2, List.of("A9991", "0010", "3", "Again", "Again", "D", "", "", "", "", "N"));
    assertThat(upload(testVersion(), xlsx(HEADER, rows)).getString("error"))
        .contains("row 4: repeats code A9991");
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aWrongOrTruncatedFileFailsClearly() throws Exception {
    Path tabular = SharedCodeSets.requireFile(config.path(config.icd10cmTabular()));
    JsonPath gz = upload(testVersion(), Files.readAllBytes(tabular));
    assertThat(gz.getString("status")).isEqualTo("failed");
    assertThat(gz.getString("error")).contains("is not an Excel workbook (xlsx)");

    Path orderZip = SharedCodeSets.requireFile(config.icd10cmZip());
    assertThat(upload(testVersion(), Files.readAllBytes(orderZip)).getString("error"))
        .contains("is not an Excel workbook (xlsx)");

    byte[] whole = Files.readAllBytes(workbook());
    JsonPath truncated = upload(testVersion(), Arrays.copyOf(whole, whole.length / 2));
    assertThat(truncated.getString("status")).isEqualTo("failed");
    assertThat(truncated.getString("error"))
        .contains("is not an Excel workbook (xlsx), or it is damaged");

    List<String> noCoverage = new ArrayList<>(HEADER);
    noCoverage.remove("COV");
    JsonPath otherSheet =
        upload(
            testVersion(),
            xlsx(noCoverage, List.of(List.of("A9990", "0010", "3", "x", "x", "", "", "", "", ""))));
    assertThat(otherSheet.getInt("errorLine")).isEqualTo(1);
    assertThat(otherSheet.getString("error"))
        .contains("row 1: has no column COV")
        .contains("not the CMS HCPCS alpha-numeric workbook");
  }

  // --- helpers ---

  JsonPath upload(String version, byte[] body) {
    return uploadAndWait(
        "HCPCS",
        body,
        Map.of(
            "version",
            version,
            "fiscalYear",
            2026,
            "effectiveFrom",
            "2030-10-01",
            "fileName",
            "uploaded.xlsx"));
  }

  /** The stored row, fields joined by |. */
  String row(String version, String code) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select code, modifier, short_description, long_description, coverage_code,"
                    + " action_code, added_on, terminated_on, betos, action_effective_on"
                    + " from hcpcs_code where code_set_version = ? and code = ?")) {
      q.setString(1, version);
      q.setString(2, code);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        List<String> fields = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
          fields.add(String.valueOf(rs.getObject(i)));
        }
        return String.join("|", fields);
      }
    }
  }

  /** A one-sheet workbook: the header row, then the rows (empty strings leave the cell out). */
  static byte[] xlsx(List<String> header, List<List<String>> rows) throws Exception {
    try (XSSFWorkbook book = new XSSFWorkbook();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      Sheet sheet = book.createSheet("HCPC");
      List<List<String>> all = new ArrayList<>();
      all.add(header);
      all.addAll(rows);
      for (int r = 0; r < all.size(); r++) {
        Row row = sheet.createRow(r);
        List<String> values = all.get(r);
        for (int c = 0; c < values.size(); c++) {
          if (!values.get(c).isEmpty()) {
            row.createCell(c).setCellValue(values.get(c));
          }
        }
      }
      book.write(out);
      return out.toByteArray();
    }
  }
}
