package dev.him.coding.codeset.icd10cm;

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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The ICD-10-CM tabular list XML (FY2023) as notes, from the real CDC file. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class Icd10CmTabularImportTest {
  static final String SYSTEM = "ICD-10-CM-TABULAR";

  @Inject CodeSetConfig config;
  @Inject AgroalDataSource db;

  Path tabular() {
    return SharedCodeSets.requireFile(config.path(config.icd10cmTabular()));
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void theTabularIsLoadedAtStartUpWithNotesOnChaptersSectionsAndCodes() throws Exception {
    tabular();
    JsonPath loaded = given().get(CODE_SETS).then().statusCode(200).extract().jsonPath();
    Map<String, Object> fy2023 =
        loaded.getMap("find { it.codeSystem == 'ICD-10-CM-TABULAR' && it.version == 'FY2023' }");
    assertThat(fy2023)
        .containsEntry("fiscalYear", 2023)
        .containsEntry("effectiveFrom", "2022-10-01")
        .containsEntry("fileName", "icd10cm_tabular_2023.xml.gz")
        .containsEntry("rows", 25960);

    Map<String, Long> byKind = new LinkedHashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select kind, count(*) from icd10cm_note where tabular_version = 'FY2023'"
                    + " group by kind");
        ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        byKind.put(rs.getString(1), rs.getLong(2));
      }
    }
    assertThat(byKind)
        .containsOnly(
            Map.entry("inclusionTerm", 12064L),
            Map.entry("excludes1", 5438L),
            Map.entry("excludes2", 2339L),
            Map.entry("sevenChrDef", 1787L),
            Map.entry("useAdditionalCode", 1431L),
            Map.entry("includes", 1023L),
            Map.entry("codeFirst", 748L),
            Map.entry("sevenChrNote", 507L),
            Map.entry("codeAlso", 445L),
            Map.entry("notes", 178L));

    // S72: one row per 7th character, A to S; the NOS note of B goes with B
    assertThat(notes("S72", "sevenChrDef"))
        .hasSize(16)
        .startsWith(
            "1 A initial encounter for closed fracture",
            "2 B initial encounter for open fracture type I or II\n"
                + "initial encounter for open fracture NOS",
            "3 C initial encounter for open fracture type IIIA, IIIB, or IIIC")
        .endsWith("16 S sequela");
    assertThat(notes("S72", "sevenChrNote"))
        .containsExactly(
            "1 - The appropriate 7th character is to be added to all codes from category S72");
    // E11 (a category, no dot) and its lists in the order of the file
    assertThat(notes("E11", "includes"))
        .containsExactly(
            "1 - diabetes (mellitus) due to insulin secretory defect",
            "2 - diabetes NOS",
            "3 - insulin resistant diabetes (mellitus)");
    assertThat(notes("E11", "excludes1"))
        .hasSize(8)
        .contains("8 - type 1 diabetes mellitus (E10.-)");
    assertThat(notes("E11", "useAdditionalCode"))
        .first()
        .isEqualTo("1 - code to identify control using:");
    // a code with its dot removed, a chapter, a section
    assertThat(notes("S7025", "inclusionTerm")).containsExactly("1 - Splinter in the hip");
    assertThat(notes("chapter:1", "includes"))
        .containsExactly("1 - diseases generally recognized as communicable or transmissible");
    assertThat(notes("S70-S79", "excludes2"))
        .hasSize(4)
        .contains("1 - burns and corrosions (T20-T32)");
    // section T07 holds only category T07: their notes are one list, the section's first
    assertThat(notes("T07", "excludes1"))
        .hasSize(5)
        .startsWith("1 - burns and corrosions (T20-T32)")
        .endsWith("5 - injury NOS (T14.90)");
    assertThat(notes("T07", "sevenChrNote")).hasSize(1);
    // markup decoded, blanks collapsed
    assertThat(
            count(
                db,
                "select count(*) from icd10cm_note where tabular_version = 'FY2023'"
                    + " and text like '%(< 2 years of age)%'"))
        .isPositive();
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void theRealFileUploadedAsAnotherVersionLoadsFully() throws Exception {
    Path file = tabular();
    String version = testVersion();
    try {
      JsonPath job =
          uploadAndWait(
              SYSTEM,
              Files.readAllBytes(file),
              Map.of(
                  "version",
                  version,
                  "fiscalYear",
                  2023,
                  "effectiveFrom",
                  "1990-10-01",
                  "effectiveTo",
                  "1990-10-02",
                  "fileName",
                  file.getFileName().toString()));
      System.out.printf(
          "ICD-10-CM tabular XML import (25,960 notes) through the job API: %d ms%n",
          job.getLong("durationMs"));
      assertThat(job.getString("status")).isEqualTo("succeeded");
      assertThat(job.getInt("percent")).isEqualTo(100);
      assertThat(job.getInt("rowsTotal")).isEqualTo(25960);
      assertThat(count(db, "select count(*) from icd10cm_note where tabular_version = ?", version))
          .isEqualTo(25960);
    } finally {
      CodeSetApi.delete(db, "icd10cm_note", "tabular_version", version);
    }
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aTruncatedGzipFailsClearly() throws Exception {
    byte[] whole = Files.readAllBytes(tabular());
    JsonPath job = upload(Arrays.copyOf(whole, whole.length * 2 / 5), 2023);
    assertThat(job.getString("status")).isEqualTo("failed");
    assertThat(job.getString("error"))
        .startsWith("icd10cm_tabular_2023.xml.gz line ")
        .contains("truncated");
    assertThat(job.getInt("errorLine")).isGreaterThan(1000);
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void xmlThatIsNotWellFormedFailsNamingTheLine() throws Exception {
    List<String> lines = xmlLines();
    int broken = 100_000;
    lines.set(broken - 1, "<note>broken & line</note>");
    String version = testVersion();
    JsonPath job = uploadAs(version, gzip(lines), 2023);
    assertThat(job.getString("status")).isEqualTo("failed");
    assertThat(job.getInt("errorLine")).isEqualTo(broken);
    assertThat(job.getString("error")).contains("line 100000").contains("not well-formed XML");
    assertThat(count(db, "select count(*) from icd10cm_note where tabular_version = ?", version))
        .isZero();
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aWrongFileFailsClearly() throws Exception {
    Path orderZip = SharedCodeSets.requireFile(config.icd10cmZip());
    JsonPath zip = upload(Files.readAllBytes(orderZip), 2023);
    assertThat(zip.getString("error")).contains("neither gzip-compressed nor XML");

    JsonPath otherXml =
        upload(gzip(List.of("<?xml version=\"1.0\"?>", "<ICD10PCS.tabular/>")), 2023);
    assertThat(otherXml.getString("error"))
        .contains("line 2")
        .contains("not an ICD-10-CM tabular list: the root element is ICD10PCS.tabular");

    // the 2023 tabular given as another fiscal year's
    JsonPath year = upload(Files.readAllBytes(tabular()), 2024);
    assertThat(year.getString("status")).isEqualTo("failed");
    assertThat(year.getInt("errorLine")).isEqualTo(3);
    assertThat(year.getString("error"))
        .contains("is the 2023 tabular list, but the release is for fiscal year 2024");
  }

  // --- helpers ---

  JsonPath upload(byte[] body, int fiscalYear) {
    return uploadAs(testVersion(), body, fiscalYear);
  }

  JsonPath uploadAs(String version, byte[] body, int fiscalYear) {
    return uploadAndWait(
        SYSTEM,
        body,
        Map.of(
            "version",
            version,
            "fiscalYear",
            fiscalYear,
            "effectiveFrom",
            "2030-10-01",
            "fileName",
            "icd10cm_tabular_2023.xml.gz"));
  }

  /** "ordinal seventh-char-or-dash text" of one code's notes of one kind, in order. */
  List<String> notes(String code, String kind) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select ordinal, coalesce(seventh_char, '-'), text from icd10cm_note"
                    + " where tabular_version = 'FY2023' and code = ? and kind = ?"
                    + " order by ordinal")) {
      q.setString(1, code);
      q.setString(2, kind);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3));
        }
      }
    }
    return out;
  }

  List<String> xmlLines() throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(tabular()))) {
      return new ArrayList<>(
          Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r?\n")));
    }
  }

  static byte[] gzip(List<String> lines) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
