package dev.him.coding.pcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.him.coding.codeset.ImportFileException;
import dev.him.coding.codeset.Release;
import dev.him.coding.codeset.ReleaseLoader;
import dev.him.coding.testing.CodingReleases;
import dev.him.coding.testing.Db;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class Icd10PcsCodesFormatTest {
  @AfterAll
  static void unloadReleases() {
    CodingReleases.unloadWhatTestsLoaded();
  }

  @Inject AgroalDataSource ds;

  Db db() {
    return new Db(ds);
  }

  @Test
  void theCmsCodesFileIsLoadedFromInsideTheZipOnce() {
    ReleaseLoader.Outcome first =
        CodingReleases.load(Icd10PcsCodesFormat.class, CodingReleases.pcs());
    assertThat(first.rows()).isEqualTo(79_193);
    assertThat(db().count("select count(*) from icd10pcs_code where code_set_version = 'FY2026'"))
        .isEqualTo(79_193);
    assertThat(
            db().text(
                    "select description from icd10pcs_code where code_set_version = 'FY2026'"
                        + " and code = '0016070'"))
        .isEqualTo(
            "Bypass Cerebral Ventricle to Nasopharynx with Autologous Tissue Substitute, Open Approach");
    assertThat(
            db().count(
                    "select count(*) from code_set_import where code_system = 'ICD-10-PCS'"
                        + " and version = 'FY2026' and fiscal_year = 2026 and row_count = 79193"
                        + " and effective_from = date '2025-10-01' and effective_to is null"
                        + " and file_name = 'icd10pcs_codes_2026_cms.zip!/icd10pcs_codes_2026.txt'"))
        .isEqualTo(1);

    ReleaseLoader.Outcome again =
        CodingReleases.load(Icd10PcsCodesFormat.class, CodingReleases.pcs());
    assertThat(again.alreadyLoaded()).isTrue();
    assertThat(again.rows()).isEqualTo(79_193);
    assertThat(db().count("select count(*) from icd10pcs_code where code_set_version = 'FY2026'"))
        .isEqualTo(79_193);
  }

  @Test
  void aBadCodeNamesItsLineAndLoadsNothing(@TempDir Path dir) throws IOException {
    Release r =
        release(
            dir,
            "0016070 Bypass Cerebral Ventricle to Nasopharynx, Open Approach\r\n"
                + "0016071 Bypass Cerebral Ventricle to Mastoid Sinus, Open Approach\r\n"
                + "00I6072 Bypass with the letter I in it\r\n");
    assertThatThrownBy(() -> CodingReleases.load(Icd10PcsCodesFormat.class, r))
        .isInstanceOf(ImportFileException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("00I6072")
        .satisfies(e -> assertThat(((ImportFileException) e).line()).isEqualTo(3));
    assertNothingLoaded(r.version());
  }

  @Test
  void aFileCutShortIsRefused(@TempDir Path dir) throws IOException {
    Release r =
        release(
            dir,
            "0016070 Bypass Cerebral Ventricle to Nasopharynx, Open Approach\r\n"
                + "0016071 Bypass Cerebral Ventricle to Mas");
    assertThatThrownBy(() -> CodingReleases.load(Icd10PcsCodesFormat.class, r))
        .isInstanceOf(ImportFileException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("truncated");
    assertNothingLoaded(r.version());
  }

  @Test
  void aLineWithoutDescriptionOrARepeatedCodeIsRefused(@TempDir Path dir) throws IOException {
    Release noText = release(dir, "0016070 Bypass, Open Approach\n0016071\n");
    assertThatThrownBy(() -> CodingReleases.load(Icd10PcsCodesFormat.class, noText))
        .isInstanceOf(ImportFileException.class)
        .hasMessageContaining("line 2");
    Release twice =
        release(dir, "0016070 Bypass, Open Approach\n0016071 Other\n0016070 Bypass again\n");
    assertThatThrownBy(() -> CodingReleases.load(Icd10PcsCodesFormat.class, twice))
        .isInstanceOf(ImportFileException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("first on line 1");
    assertNothingLoaded(twice.version());
  }

  @Test
  void aZipWithoutTheEntryIsRefused(@TempDir Path dir) throws IOException {
    Release r = release(dir, "0016070 Bypass, Open Approach\n");
    Release wrongEntry =
        new Release(
            r.codeSystem(),
            r.version(),
            r.fiscalYear(),
            r.effectiveFrom(),
            null,
            r.file(),
            "icd10pcs_codes_2099.txt");
    assertThatThrownBy(() -> CodingReleases.load(Icd10PcsCodesFormat.class, wrongEntry))
        .isInstanceOf(ImportFileException.class)
        .hasMessageContaining("no entry icd10pcs_codes_2099.txt");
    assertNothingLoaded(r.version());
  }

  void assertNothingLoaded(String version) {
    assertThat(db().count("select count(*) from icd10pcs_code where code_set_version = ?", version))
        .isZero();
    assertThat(db().count("select count(*) from code_set_import where version = ?", version))
        .isZero();
  }

  static Release release(Path dir, String text) throws IOException {
    Path zip = dir.resolve(UUID.randomUUID() + ".zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("codes.txt"));
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.closeEntry();
    }
    return new Release(
        "ICD-10-PCS",
        "T" + UUID.randomUUID().toString().substring(0, 8),
        2099,
        LocalDate.of(2098, 10, 1),
        null,
        zip,
        "codes.txt");
  }
}
