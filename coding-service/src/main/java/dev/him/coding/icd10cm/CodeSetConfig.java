package dev.him.coding.icd10cm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;

/**
 * Where the configured ICD-10-CM release file is, for the lookup side. The code set configuration
 * itself moved to {@link dev.him.coding.codeset.CodeSetConfig}; this bean keeps the lookup tests'
 * {@code icd10cmZip()} working until they use that one.
 */
@ApplicationScoped
public class CodeSetConfig {
  @Inject dev.him.coding.codeset.CodeSetConfig codeSets;

  public Path icd10cmZip() {
    return codeSets.icd10cmZip();
  }

  public dev.him.coding.codeset.CodeSetConfig.ReleaseConfig icd10cm() {
    return codeSets.icd10cm();
  }
}
