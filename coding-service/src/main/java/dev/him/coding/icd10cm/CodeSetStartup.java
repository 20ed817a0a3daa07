package dev.him.coding.icd10cm;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Loads the configured code set releases when the service starts (him.codesets.auto-import). A
 * missing or broken file is logged and the service keeps running; an admin can import later.
 */
@ApplicationScoped
public class CodeSetStartup {
  private static final Logger LOG = Logger.getLogger(CodeSetStartup.class);
  static final String STARTUP_USER = "coding-service (start-up)";

  @Inject CodeSetConfig config;
  @Inject Icd10CmImporter icd10cm;

  void onStart(@Observes StartupEvent event) {
    if (!config.autoImport()) {
      LOG.info("code set import at start-up is off (him.codesets.auto-import=false)");
      return;
    }
    try {
      icd10cm.importConfigured(STARTUP_USER);
    } catch (RuntimeException e) {
      LOG.errorf(
          e,
          "ICD-10-CM import at start-up failed; nothing was loaded. Fix the file and call"
              + " POST /api/coding/code-sets/icd10cm/import");
    }
  }
}
