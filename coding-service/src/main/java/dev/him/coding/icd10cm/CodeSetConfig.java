package dev.him.coding.icd10cm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.LocalDate;

/** Where the agencies' code set files are and which release of each this service loads. */
@ConfigMapping(prefix = "him.codesets")
public interface CodeSetConfig {

  /** Folder holding the downloaded code set files (the shared data folder's {@code codesets}). */
  String dir();

  /** Load the configured releases at start-up; a release already loaded is skipped. */
  @WithDefault("true")
  boolean autoImport();

  Icd10Cm icd10cm();

  /** The ICD-10-CM release: the CDC zip, the order file inside it, and its fiscal year. */
  interface Icd10Cm {
    @WithDefault("ICD10-CM-Code-Descriptions-2025.zip")
    String file();

    @WithDefault("icd10cm-order-2025.txt")
    String entry();

    @WithDefault("FY2025")
    String version();

    @WithDefault("2024-10-01")
    LocalDate effectiveFrom();
  }

  default Path icd10cmZip() {
    return Path.of(dir()).resolve(icd10cm().file());
  }
}
