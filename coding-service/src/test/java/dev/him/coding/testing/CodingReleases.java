package dev.him.coding.testing;

import dev.him.coding.codeset.Release;
import dev.him.coding.codeset.ReleaseFormat;
import dev.him.coding.codeset.ReleaseLoader;
import dev.him.coding.drg.MsDrgWeightsFormat;
import dev.him.coding.edits.MceListFormat;
import dev.him.coding.pcs.Icd10PcsCodesFormat;
import io.quarkus.arc.Arc;
import java.nio.file.Path;
import java.time.LocalDate;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The releases the coding tests work with, loaded from the shared data folder with the real loader
 * and formats (loading is idempotent, so every test class may ask). ICD-10-CM FY2025 is loaded by
 * the service at start-up. A missing file fails the test when CI=true and skips it otherwise.
 */
public final class CodingReleases {
  public static final String PCS_FILE = "icd10pcs_codes_2026_cms.zip";
  public static final String MCE_FILE = "MCE_Simple_Code_Edits_v37_FY2020.txt";
  public static final String DRG_FILE = "msdrg_v43_fy2026_weights_gmlos.tsv";

  private CodingReleases() {}

  public static Path dir() {
    return Path.of(ConfigProvider.getConfig().getValue("him.codesets.dir", String.class));
  }

  public static Release pcs() {
    return new Release(
        "ICD-10-PCS",
        "FY2026",
        2026,
        LocalDate.of(2025, 10, 1),
        null,
        dir().resolve(PCS_FILE),
        "icd10pcs_codes_2026.txt");
  }

  public static Release mce() {
    return new Release(
        "MCE", "v37", 2020, LocalDate.of(2019, 10, 1), null, dir().resolve(MCE_FILE), null);
  }

  public static Release drg() {
    return new Release(
        "MS-DRG", "v43", 2026, LocalDate.of(2025, 10, 1), null, dir().resolve(DRG_FILE), null);
  }

  /** Loads ICD-10-PCS FY2026, MCE v37 and MS-DRG v43 unless they are loaded already. */
  public static void ensureLoaded() {
    requireFile(dir().resolve("ICD10-CM-Code-Descriptions-2025.zip"));
    load(Icd10PcsCodesFormat.class, pcs());
    load(MceListFormat.class, mce());
    load(MsDrgWeightsFormat.class, drg());
  }

  public static ReleaseLoader.Outcome load(Class<? extends ReleaseFormat> format, Release r) {
    requireFile(r.file());
    return Arc.container().instance(ReleaseLoading.class).get().load(format, r);
  }

  /**
   * Takes away the releases these tests loaded (an @AfterAll of every class that loads), so other
   * tests find code_set_import as the service left it; releases loaded by the service stay.
   */
  public static void unloadWhatTestsLoaded() {
    Arc.container().instance(ReleaseLoading.class).get().unloadWhatTestsLoaded();
  }

  public static void requireFile(Path file) {
    SharedCodeSets.requireFile(file);
  }
}
