package dev.him.audit.archive;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How long entries are kept. HIPAA asks for six years (45 CFR 164.316(b)(2)); a shorter setting is
 * refused at startup rather than silently honoured. The service itself never deletes entries (the
 * writer role cannot); after an archive of a sealed period has been exported and verified, only the
 * database owner can remove rows older than this, following the operations guide.
 */
@ApplicationScoped
public class RetentionPolicy {
  public static final int MINIMUM_YEARS = 6;

  @ConfigProperty(name = "him.audit.retention.years", defaultValue = "6")
  int years;

  void check(@Observes StartupEvent ev) {
    if (years < MINIMUM_YEARS) {
      throw new IllegalStateException(
          "him.audit.retention.years="
              + years
              + " is shorter than the "
              + MINIMUM_YEARS
              + " years HIPAA requires for audit records");
    }
  }

  public int years() {
    return years;
  }
}
