package dev.him.coding.lookup;

import static dev.him.coding.testing.SharedCodeSets.execute;
import static dev.him.coding.testing.SharedCodeSets.file;
import static dev.him.coding.testing.SharedCodeSets.markLoaded;
import static dev.him.coding.testing.SharedCodeSets.requireIcd10Cm;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.him.coding.codeset.CodeSetVersions;
import dev.him.coding.search.CodeIndex;
import dev.him.coding.search.CodeIndexes;
import dev.him.coding.terminology.CodeSystemId;
import dev.him.coding.terminology.ReleaseRef;
import dev.him.coding.terminology.Releases;
import dev.him.coding.testing.SharedCodeSets;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two ICD-10-CM releases side by side: the real FY2025 one the service loads, and a small FY2024
 * one this test adds (in force 2023-10-01 to 2024-09-30) holding real lines of the CDC file for
 * codes that existed in FY2024, but not the E10.A- codes that are new in FY2025. Removed after.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestSecurity(user = "coder", roles = "coder")
class ReleaseVersionsTest {
  static final String V2024 = "FY2024";
  static final Set<String> FY2024_CODES = Set.of("E10", "E109", "E11", "E119", "E116", "E1165");

  @Inject AgroalDataSource db;
  @Inject Releases releases;
  @Inject CodeSetVersions versions;
  @Inject CodeIndexes indexes;

  @BeforeAll
  void addAnEarlierRelease() throws Exception {
    requireIcd10Cm();
    List<String[]> rows = new ArrayList<>();
    try (ZipFile zip = new ZipFile(file(SharedCodeSets.ICD10CM_ZIP).toFile());
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(
                    zip.getInputStream(zip.getEntry("icd10cm-order-2025.txt")),
                    StandardCharsets.ISO_8859_1))) {
      String line;
      while ((line = in.readLine()) != null) {
        String code = line.substring(6, 13).strip();
        if (FY2024_CODES.contains(code)) {
          rows.add(
              new String[] {
                line.substring(0, 5).strip(),
                code,
                line.substring(14, 15),
                line.substring(16, 76).strip(),
                line.substring(77).strip()
              });
        }
      }
    }
    assertThat(rows).hasSize(FY2024_CODES.size());
    for (String[] r : rows) {
      execute(
          db,
          "insert into icd10cm_code (code_set_version, code, display_code, billable,"
              + " short_description, long_description, order_number) values (?, ?, ?, ?, ?, ?, ?)",
          V2024,
          r[1],
          CodeSystemId.ICD10CM.display(r[1]),
          r[2].equals("1"),
          r[3],
          r[4],
          Integer.parseInt(r[0]));
    }
    markLoaded(
        db,
        CodeSetVersions.ICD10CM,
        V2024,
        LocalDate.of(2023, 10, 1),
        LocalDate.of(2024, 9, 30),
        "test: lines of icd10cm-order-2025.txt",
        rows.size());
    releases.refresh();
  }

  @AfterAll
  void removeIt() throws Exception {
    execute(db, "delete from icd10cm_code where code_set_version = ?", V2024);
    execute(
        db,
        "delete from code_set_import where code_system = ? and version = ?",
        CodeSetVersions.ICD10CM,
        V2024);
    releases.refresh();
  }

  @Test
  void aCodeNewInFy2025IsUnknownInFy2024() {
    given()
        .queryParam("version", V2024)
        .get("/api/coding/icd10cm/codes/E10.A0")
        .then()
        .statusCode(404)
        .body("detail", equalTo("ICD-10-CM code E10.A0 is not in FY2024"));
    given()
        .queryParam("version", "FY2025")
        .get("/api/coding/icd10cm/codes/E10.A0")
        .then()
        .statusCode(200)
        .body("billable", equalTo(true));
    given()
        .queryParam("q", "E10.A0")
        .queryParam("date", "2024-03-01")
        .get("/api/coding/icd10cm/search")
        .then()
        .statusCode(200)
        .body("version", equalTo(V2024))
        .body("total", equalTo(0));
    given()
        .queryParam("q", "E10.A0")
        .get("/api/coding/icd10cm/search")
        .then()
        .statusCode(200)
        .body("version", equalTo("FY2025"))
        .body("total", equalTo(1));
  }

  @Test
  void theDateChoosesTheReleaseInForceThatDay() {
    given()
        .queryParam("date", "2024-03-01")
        .get("/api/coding/icd10cm/codes/E11.9")
        .then()
        .statusCode(200)
        .body("codeSetVersion", equalTo(V2024))
        .body("effectiveFrom", equalTo("2023-10-01"))
        // the hierarchy is the release's own: E11.6 has only E11.65 in this small release
        .body("parent.code", equalTo("E11"));
    given()
        .queryParam("date", "2024-03-01")
        .get("/api/coding/icd10cm/codes/E11.6")
        .then()
        .statusCode(200)
        .body("children.code", equalTo(List.of("E11.65")));
    given()
        .queryParam("date", "2024-10-01")
        .get("/api/coding/icd10cm/codes/E11.9")
        .then()
        .statusCode(200)
        .body("codeSetVersion", equalTo("FY2025"));
    given()
        .get("/api/coding/icd10cm/codes/E11.9")
        .then()
        .statusCode(200)
        .body("codeSetVersion", equalTo("FY2025"));
    given()
        .queryParam("date", "2023-09-30")
        .get("/api/coding/icd10cm/codes/E11.9")
        .then()
        .statusCode(404)
        .body("detail", containsString("FY2024 from 2023-10-01, FY2025 from 2024-10-01"));
  }

  @Test
  @Transactional
  void resolutionFollowsTheSameRuleAsCodeSetVersions() {
    for (LocalDate day :
        List.of(
            LocalDate.of(2023, 9, 30),
            LocalDate.of(2023, 10, 1),
            LocalDate.of(2024, 9, 30),
            LocalDate.of(2024, 10, 1),
            LocalDate.now())) {
      Optional<String> expected = versions.inForce(CodeSetVersions.ICD10CM, day);
      assertThat(releases.inForce(CodeSystemId.ICD10CM, day).map(ReleaseRef::version))
          .as("release in force on " + day)
          .isEqualTo(expected);
    }
  }

  @Test
  void concurrentFirstSearchesOfAReleaseBuildItsIndexOnce() throws Exception {
    ReleaseRef release = releases.byVersion(CodeSystemId.ICD10CM, V2024).orElseThrow();
    // a fresh key: the same rows under a new code_set_import id, as if loaded again
    ReleaseRef again =
        new ReleaseRef(
            release.system(),
            release.importId() + 1_000_000,
            release.version(),
            release.effectiveFrom(),
            release.effectiveTo(),
            release.notes());
    // the release in force is built (or being built) in the background: have it done first, so
    // the count below is this test's alone
    indexes.get(releases.inForce(CodeSystemId.ICD10CM, LocalDate.now()).orElseThrow());
    long before = indexes.builds();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    Set<Integer> instances = new java.util.HashSet<>();
    try {
      List<Callable<CodeIndex>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) calls.add(() -> indexes.get(again));
      for (Future<CodeIndex> f : pool.invokeAll(calls)) {
        assertThat(f.get().size()).isEqualTo(FY2024_CODES.size());
        instances.add(System.identityHashCode(f.get()));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(indexes.builds() - before).isEqualTo(1);
    assertThat(instances).as("one index shared by every caller").hasSize(1);
  }
}
