package dev.him.audit.settings;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The audit settings in force: every {@code him.audit.*} configuration property, read generically
 * so a setting added later is covered without a change here. Values of secrets (a name containing
 * password, secret or key) leave this class only as {@link #REDACTED}.
 */
@ApplicationScoped
public class EffectiveSettings {
  public static final String PREFIX = "him.audit.";
  public static final String REDACTED = "(redacted)";

  /** Environment variables name properties in their own form (HIM_AUDIT_RETENTION_DAYS). */
  private static final String ENV_PREFIX = "HIM_AUDIT_";

  private static final Set<String> SECRET_WORDS = Set.of("password", "secret", "key");

  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(k::contains);
  }

  /** The value as it may be shown or stored. */
  public static String shown(String key, String value) {
    return value == null ? null : isSecret(key) ? REDACTED : value;
  }

  /** Every audit setting in force, by name. */
  public Map<String, Setting> read() {
    Config config = ConfigProvider.getConfig();
    Set<String> names = new TreeSet<>();
    Set<String> envNames = new TreeSet<>();
    for (String name : config.getPropertyNames()) {
      if (name.startsWith(PREFIX)) {
        names.add(name);
      } else if (name.startsWith(ENV_PREFIX)) {
        envNames.add(name);
      }
    }
    // An environment variable that overrides a known property is read through that property;
    // one that sets a property nothing else names is recorded under its own name.
    Set<String> covered = new TreeSet<>();
    names.forEach(n -> covered.add(envForm(n)));
    envNames.stream().filter(n -> !covered.contains(n)).forEach(names::add);

    SmallRyeConfig smallrye = config.unwrap(SmallRyeConfig.class);
    Map<String, Setting> settings = new TreeMap<>();
    for (String name : names) {
      ConfigValue v = smallrye.getConfigValue(name);
      if (v.getValue() != null) {
        settings.put(name, new Setting(v.getValue(), sourceName(v.getSourceName())));
      }
    }
    return settings;
  }

  static String envForm(String name) {
    return name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  /** Where a value came from, in words a reviewer reads (no file system paths). */
  static String sourceName(String source) {
    if (source == null) {
      return "default";
    }
    if (source.startsWith("EnvConfigSource")) {
      return "environment variable";
    }
    if (source.startsWith("SysPropConfigSource")) {
      return "system property";
    }
    int file = source.lastIndexOf('/');
    if (source.contains("application.properties") || source.contains(".properties")) {
      String tail = source.substring(file + 1).replace("]", "");
      return tail.isBlank() ? source : tail;
    }
    return source.length() > 200 ? source.substring(0, 200) : source;
  }
}
