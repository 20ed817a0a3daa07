package dev.him.records.privacy;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which security labels mark a resource as sensitive, grouped in categories, and who may see each
 * category: a role from {@code roles} and, when {@code purposes} is set, a declared purpose of use
 * (X-Purpose-Of-Use) from it. Configuration, so a hospital's policy is not a code change.
 */
@ConfigMapping(prefix = "him.sensitive")
public interface SensitivityPolicy {
  Map<String, Category> categories();

  interface Category {
    /** meta.security codes (HL7 v3 ActCode / Confidentiality) that put a resource in it. */
    List<String> codes();

    List<String> roles();

    Optional<List<String>> purposes();
  }
}
