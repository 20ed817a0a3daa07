package dev.him.coding.codeset;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The file formats this service can load, found through CDI: every {@link ReleaseFormat} bean,
 * keyed by its code system. A new format plugs in by being a bean; nothing here changes.
 */
@ApplicationScoped
public class CodeSetFormats {
  @Inject @Any Instance<ReleaseFormat> beans;
  @Inject CodeSetConfig config;

  private final Map<String, ReleaseFormat> byCodeSystem = new TreeMap<>();

  @PostConstruct
  void index() {
    for (ReleaseFormat format : beans) {
      ReleaseFormat other = byCodeSystem.putIfAbsent(format.codeSystem(), format);
      if (other != null) {
        throw new IllegalStateException(
            "two formats load "
                + format.codeSystem()
                + ": "
                + other.getClass().getName()
                + " and "
                + format.getClass().getName());
      }
    }
  }

  public Optional<ReleaseFormat> forCodeSystem(String codeSystem) {
    return Optional.ofNullable(byCodeSystem.get(codeSystem));
  }

  /** The code systems a format is installed for. */
  public Set<String> codeSystems() {
    return byCodeSystem.keySet();
  }

  /**
   * The code system a name in a path means: the code system itself in any case (ICD-10-CM,
   * icd-10-cm) or its configuration key (icd10cm, icd10cm-tabular, hcpcs, ...).
   */
  public Optional<String> resolve(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String wanted = name.strip().toUpperCase(Locale.ROOT);
    for (String system : byCodeSystem.keySet()) {
      if (system.toUpperCase(Locale.ROOT).equals(wanted)) {
        return Optional.of(system);
      }
    }
    return config.releases().stream()
        .filter(r -> r.key().toUpperCase(Locale.ROOT).equals(wanted))
        .map(CodeSetConfig.Configured::codeSystem)
        .filter(byCodeSystem::containsKey)
        .findFirst();
  }
}
