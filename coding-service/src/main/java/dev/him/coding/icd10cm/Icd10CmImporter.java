package dev.him.coding.icd10cm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Imports the configured ICD-10-CM release from the shared code set folder. */
@ApplicationScoped
public class Icd10CmImporter {
  private static final Logger LOG = Logger.getLogger(Icd10CmImporter.class);

  @Inject CodeSetConfig config;
  @Inject Icd10CmLoader loader;

  /**
   * Loads the configured release unless it is loaded already.
   *
   * @return empty when the release file is not there (logged as a warning)
   */
  public Optional<ImportResult> importConfigured(String importedBy) {
    CodeSetConfig.Icd10Cm icd10cm = config.icd10cm();
    Path zip = config.icd10cmZip();
    if (!Files.isRegularFile(zip)) {
      LOG.warnf(
          "ICD-10-CM %s not imported: %s does not exist. Set him.codesets.dir (or HIM_SHARED_DATA)"
              + " to the folder holding the CDC code set files; until then code lookups answer 404.",
          icd10cm.version(), zip.toAbsolutePath().normalize());
      return Optional.empty();
    }
    return Optional.of(
        importFile(
            new Icd10CmLoader.Release(
                zip, icd10cm.entry(), icd10cm.version(), icd10cm.effectiveFrom()),
            importedBy));
  }

  /** Loads one release (all rows or none), logging how many rows and how long it took. */
  public ImportResult importFile(Icd10CmLoader.Release release, String importedBy) {
    long start = System.nanoTime();
    ImportResult result = loader.load(release, importedBy);
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (result.alreadyImported()) {
      LOG.infof(
          "ICD-10-CM %s already imported (%d rows); nothing to do",
          result.version(), result.rows());
    } else {
      LOG.infof(
          "ICD-10-CM %s imported: %d rows from %s in %d ms",
          result.version(), result.rows(), release.zip().getFileName(), millis);
    }
    return result;
  }
}
