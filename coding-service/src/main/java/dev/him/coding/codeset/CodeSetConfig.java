package dev.him.coding.codeset;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the agencies' code set files are and which release of each code system this service loads
 * (him.codesets.*). One group per code system; the key (icd10cm, hcpcs...) also names the code
 * system in the import API.
 */
@ConfigMapping(prefix = "him.codesets")
public interface CodeSetConfig {

  /** Folder holding the downloaded code set files (the shared data folder's {@code codesets}). */
  String dir();

  /** Load the configured releases at start-up; a release already loaded is skipped. */
  @WithDefault("true")
  boolean autoImport();

  /**
   * How long start-up waits for its imports before it goes on (they continue in the background).
   * Waiting means a fresh service answers lookups as soon as it is ready.
   */
  @WithDefault("PT2M")
  Duration startupWait();

  /** CDC/NCHS order file, inside the CDC zip. */
  ReleaseConfig icd10cm();

  /** CDC tabular list XML (gzip): notes only, never validity. */
  @WithName("icd10cm-tabular")
  ReleaseConfig icd10cmTabular();

  /** CMS ICD-10-PCS codes file, inside the CMS zip. */
  ReleaseConfig icd10pcs();

  /** CMS HCPCS Level II alpha-numeric workbook (xlsx). */
  ReleaseConfig hcpcs();

  /** Medicare Code Editor code lists. */
  ReleaseConfig mce();

  /** MS-DRG relative weights and geometric mean length of stay. */
  ReleaseConfig msdrg();

  /** One configured release: the file (and the entry when it is a zip) and what it is. */
  interface ReleaseConfig {
    String file();

    Optional<String> entry();

    String version();

    Optional<Integer> fiscalYear();

    LocalDate effectiveFrom();

    Optional<LocalDate> effectiveTo();
  }

  /** A configured release with its code system and the key it is configured under. */
  record Configured(String key, String codeSystem, ReleaseConfig config) {}

  /** Every configured release, in the order start-up loads them. */
  default List<Configured> releases() {
    List<Configured> all = new ArrayList<>();
    all.add(new Configured("icd10cm", CodeSetVersions.ICD10CM, icd10cm()));
    all.add(new Configured("icd10cm-tabular", CodeSetVersions.ICD10CM_TABULAR, icd10cmTabular()));
    all.add(new Configured("icd10pcs", CodeSetVersions.ICD10PCS, icd10pcs()));
    all.add(new Configured("hcpcs", CodeSetVersions.HCPCS, hcpcs()));
    all.add(new Configured("mce", CodeSetVersions.MCE, mce()));
    all.add(new Configured("msdrg", CodeSetVersions.MSDRG, msdrg()));
    return all;
  }

  /** The configured release of {@code codeSystem}, if one is configured. */
  default Optional<Configured> configured(String codeSystem) {
    return releases().stream().filter(r -> r.codeSystem().equals(codeSystem)).findFirst();
  }

  /** The file of a configured release in the code set folder. */
  default Path path(ReleaseConfig release) {
    return Path.of(dir()).resolve(release.file());
  }

  /** The release to load for a configured entry. */
  default Release release(Configured configured) {
    ReleaseConfig r = configured.config();
    return new Release(
        configured.codeSystem(),
        r.version(),
        r.fiscalYear().orElse(null),
        r.effectiveFrom(),
        r.effectiveTo().orElse(null),
        path(r),
        r.entry().orElse(null));
  }

  /** The CDC zip of the configured ICD-10-CM release. */
  default Path icd10cmZip() {
    return path(icd10cm());
  }
}
