package dev.him.coding.codeset;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * One release of a code system to load: what it is (code system, version, fiscal year, the days it
 * is in force) and where its file is.
 *
 * @param version the release name, e.g. FY2025 (ICD-10), 2025-10 (HCPCS quarter), v37 (MCE), v43
 *     (MS-DRG)
 * @param entry the file inside {@code file} when {@code file} is a zip, otherwise null
 * @param effectiveTo last day in force, or null while no later release replaces it
 */
public record Release(
    String codeSystem,
    String version,
    Integer fiscalYear,
    LocalDate effectiveFrom,
    LocalDate effectiveTo,
    Path file,
    String entry) {

  /** How the source is named in the import row and in errors: file, or zip!/entry. */
  public String sourceName() {
    String name = file.getFileName().toString();
    return entry == null ? name : name + "!/" + entry;
  }
}
