package dev.him.coding.edits;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class MceListFormatTest {
  @AfterAll
  static void unloadReleases() {
    CodingReleases.unloadWhatTestsLoaded();
  }

  static final String HEADER =
      "MCE_Version\tICD_Version\tMCE_Section\tMCE_Subsection\tMCE_Edit_Type\tICD_Code_Type"
          + "\tICD_Code\tICD_Desc\n";

  @Inject AgroalDataSource ds;

  Db db() {
    return new Db(ds);
  }

  @Test
  void theV37ListsAreLoadedOnceWithEveryList() {
    ReleaseLoader.Outcome first = CodingReleases.load(MceListFormat.class, CodingReleases.mce());
    assertThat(first.rows()).isEqualTo(14_153);
    assertThat(db().count("select count(*) from mce_code_edit where mce_version = 'v37'"))
        .isEqualTo(14_153);
    assertThat(
            db().count(
                    "select count(distinct edit_type) from mce_code_edit where mce_version = 'v37'"))
        .isEqualTo(14);
    assertThat(
            db().count(
                    "select count(*) from mce_code_edit where mce_version = 'v37'"
                        + " and edit_type = 'Maternity_Only' and code_type = 'D'"))
        .isEqualTo(2_372);
    assertThat(
            db().text(
                    "select description from mce_code_edit where mce_version = 'v37'"
                        + " and edit_type = 'Newborn_Only' and code = 'A33'"))
        .isEqualTo("Tetanus neonatorum");
    assertThat(
            db().count(
                    "select count(*) from mce_code_edit where mce_version = 'v37'"
                        + " and edit_type = 'Male_Only' and code_type = 'P'"))
        .isEqualTo(1_916);
    assertThat(
            db().count(
                    "select count(*) from code_set_import where code_system = 'MCE'"
                        + " and version = 'v37' and fiscal_year = 2020"
                        + " and effective_from = date '2019-10-01'"
                        + " and file_name = 'MCE_Simple_Code_Edits_v37_FY2020.txt'"))
        .isEqualTo(1);
    assertThat(CodingReleases.load(MceListFormat.class, CodingReleases.mce()).alreadyLoaded())
        .isTrue();
    assertThat(db().count("select count(*) from mce_code_edit where mce_version = 'v37'"))
        .isEqualTo(14_153);
  }

  @Test
  void aWrongHeaderIsRefusedOnLineOne(@TempDir Path dir) throws IOException {
    Release r =
        release(
            dir,
            "v90",
            "MCE_Version\tICD_Version\tSection\tMCE_Edit_Type\tICD_Code\n"
                + "90\t10\t4\tA\tNewborn_Only\tD\tA33\tTetanus neonatorum\n");
    assertThatThrownBy(() -> CodingReleases.load(MceListFormat.class, r))
        .isInstanceOf(ImportFileException.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining("header");
    assertNothingLoaded("v90");
  }

  @Test
  void badRowsNameTheirLineAndTheFault(@TempDir Path dir) throws IOException {
    String good = "91\t10\t4\tA\tNewborn_Only\tD\tA33\tTetanus neonatorum\n";
    expectFault(
        dir,
        HEADER + good + "91\t10\t4\tA\tNewborn_Only\tX\tA34\tBad type\n",
        "line 3",
        "ICD_Code_Type");
    expectFault(
        dir,
        HEADER + good + "91\t10\t4\tA\tSomething_Else\tD\tA34\tBad list\n",
        "line 3",
        "not a known MCE list");
    expectFault(
        dir,
        HEADER + good + "37\t10\t4\tA\tNewborn_Only\tD\tA34\tOther version\n",
        "line 3",
        "MCE_Version is 37");
    expectFault(
        dir, HEADER + good + "91\t10\t4\tA\tNewborn_Only\tD\tA3.4\tDotted\n", "line 3", "A3.4");
    expectFault(dir, HEADER + good + good, "line 3", "listed twice");
    expectFault(dir, HEADER + good + "91\t10\t4\tA\tNewborn_Only\tD\n", "line 3", "columns");
    assertNothingLoaded("v91");
  }

  void expectFault(Path dir, String text, String line, String fault) throws IOException {
    Release r = release(dir, "v91", text);
    assertThatThrownBy(() -> CodingReleases.load(MceListFormat.class, r))
        .isInstanceOf(ImportFileException.class)
        .hasMessageContaining(line)
        .hasMessageContaining(fault);
  }

  void assertNothingLoaded(String version) {
    assertThat(db().count("select count(*) from mce_code_edit where mce_version = ?", version))
        .isZero();
    assertThat(
            db().count(
                    "select count(*) from code_set_import where code_system = 'MCE' and version = ?",
                    version))
        .isZero();
  }

  static Release release(Path dir, String version, String text) throws IOException {
    Path file = Files.createTempFile(dir, "mce", ".txt");
    Files.writeString(file, text);
    return new Release("MCE", version, 2099, LocalDate.of(2098, 10, 1), null, file, null);
  }
}
