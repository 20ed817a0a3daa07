package dev.him.coding.drg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.him.coding.codeset.ImportFileException;
import dev.him.coding.codeset.Release;
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
import java.math.BigDecimal;
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
class MsDrgWeightsFormatTest {
  @AfterAll
  static void unloadReleases() {
    CodingReleases.unloadWhatTestsLoaded();
  }

  static final String HEADER = "MS_DRG\tMDC\tTYPE\tMS_DRG_TITLE\tWEIGHT\tGEOMETRIC_MEAN_LOS\n";

  @Inject AgroalDataSource ds;

  Db db() {
    return new Db(ds);
  }

  @Test
  void theV43TableIsLoadedOnce() {
    assertThat(CodingReleases.load(MsDrgWeightsFormat.class, CodingReleases.drg()).rows())
        .isEqualTo(772);
    assertThat(db().count("select count(*) from msdrg_weight where drg_version = 'v43'"))
        .isEqualTo(772);
    assertThat(
            db().value(
                    "select weight from msdrg_weight where drg_version = 'v43' and drg = '001'"
                        + " and mdc = 'PRE' and drg_type = 'SURG'"
                        + " and title = 'HEART TRANSPLANT OR IMPLANT OF HEART ASSIST SYSTEM WITH MCC'"
                        + " and gmlos = 25.8"))
        .isEqualTo(new BigDecimal("28.0239"));
    // assigned whatever the MDC: blank in Table 5
    assertThat(
            db().text(
                    "select mdc || '|' || drg_type from msdrg_weight where drg_version = 'v43'"
                        + " and drg = '999'"))
        .isEqualTo("|**");
    assertThat(
            db().count(
                    "select count(*) from code_set_import where code_system = 'MS-DRG'"
                        + " and version = 'v43' and fiscal_year = 2026 and row_count = 772"
                        + " and effective_from = date '2025-10-01'"))
        .isEqualTo(1);
    assertThat(CodingReleases.load(MsDrgWeightsFormat.class, CodingReleases.drg()).alreadyLoaded())
        .isTrue();
  }

  @Test
  void badRowsNameTheirLineAndTheFault(@TempDir Path dir) throws IOException {
    String good = "001\tPRE\tSURG\tHEART TRANSPLANT WITH MCC\t28.0239\t25.8\n";
    expectFault(dir, "MS_DRG\tMDC\tTYPE\tTITLE\tWEIGHT\n" + good, "line 1", "header");
    expectFault(dir, HEADER + good + "002\tPRE\tSURG\tHEART\tabc\t8.5\n", "line 3", "WEIGHT");
    expectFault(dir, HEADER + good + "002\t26\tSURG\tHEART\t1.0\t8.5\n", "line 3", "MDC");
    expectFault(dir, HEADER + good + "02\tPRE\tSURG\tHEART\t1.0\t8.5\n", "line 3", "MS_DRG");
    expectFault(dir, HEADER + good + "002\tPRE\tOTHER\tHEART\t1.0\t8.5\n", "line 3", "TYPE");
    expectFault(dir, HEADER + good + "002\tPRE\tSURG\tHEART\t1.0\t-8.5\n", "line 3", "range");
    expectFault(dir, HEADER + good + good, "line 3", "listed twice");
    expectFault(dir, HEADER + good + "002\tPRE\tSURG\tHEART TRANSPL", "line 3", "columns");
    assertThat(db().count("select count(*) from msdrg_weight where drg_version = 'v99'")).isZero();
    assertThat(db().count("select count(*) from code_set_import where version = 'v99'")).isZero();
  }

  void expectFault(Path dir, String text, String line, String fault) throws IOException {
    Path file = Files.createTempFile(dir, "drg", ".tsv");
    Files.writeString(file, text);
    Release r = new Release("MS-DRG", "v99", 2099, LocalDate.of(2098, 10, 1), null, file, null);
    assertThatThrownBy(() -> CodingReleases.load(MsDrgWeightsFormat.class, r))
        .isInstanceOf(ImportFileException.class)
        .hasMessageContaining(line)
        .hasMessageContaining(fault);
  }
}
