package dev.him.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options of a run, read once from system properties (the -D options of the mvn command line,
 * which the Gatling plugin passes on). Every option has a default for the local platform
 * (./run-local.sh); deploy/README.md lists them.
 */
final class LoadConfig {
  /** The flows, in the order the report lists their scenarios. */
  static final List<String> ALL_FLOWS =
      List.of("read", "search", "import", "codes", "roi", "audit");

  final String url;
  final String realm;
  final String tokenUrl;
  final Set<String> flows;

  /** Concurrent virtual users per flow (closed model), used when the flow's rate is 0. */
  final Map<String, Integer> users = new LinkedHashMap<>();

  /** New flow iterations per second per flow (open model); 0 = closed model with users. */
  final Map<String, Double> rates = new LinkedHashMap<>();

  final Duration duration;
  final Duration ramp;
  final int patients;
  final int assertP99Ms;
  final double assertErrorPercent;
  final double assertMinRps;
  final boolean roiRelease;
  final String codeSystem;
  final int codeLimit;
  final Duration auditWait;
  final String runId;

  private LoadConfig() {
    url = strip(prop("him.url", "http://localhost:8080"));
    realm = strip(prop("him.realm", "http://localhost:8180/realms/him"));
    tokenUrl = prop("him.token-url", realm + "/protocol/openid-connect/token");
    Set<String> selected = new LinkedHashSet<>();
    for (String f : prop("flows", String.join(",", ALL_FLOWS)).split(",")) {
      String name = f.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) continue;
      if (!ALL_FLOWS.contains(name)) {
        throw new IllegalArgumentException(
            "-Dflows: unknown flow '" + name + "'; known: " + String.join(",", ALL_FLOWS));
      }
      selected.add(name);
    }
    if (selected.isEmpty()) throw new IllegalArgumentException("-Dflows: no flow selected");
    flows = selected;
    int defaultUsers = intProp("users", 2);
    double defaultRate = doubleProp("rate", 0);
    for (String f : ALL_FLOWS) {
      users.put(f, intProp("users." + f, defaultUsers));
      rates.put(f, doubleProp("rate." + f, defaultRate));
    }
    duration = duration("duration", "60s");
    ramp = duration("ramp", "5s");
    patients = intProp("patients", 50);
    assertP99Ms = intProp("assert.p99", 3000);
    assertErrorPercent = doubleProp("assert.errors", 1.0);
    assertMinRps = doubleProp("assert.rps", 0);
    roiRelease = Boolean.parseBoolean(prop("roi.release", "false"));
    codeSystem = prop("codes.system", "icd10cm");
    codeLimit = intProp("codes.limit", 20);
    auditWait = duration("audit.wait", "60s");
    runId = "g" + Long.toString(System.currentTimeMillis(), 36);
    if (patients < 1) throw new IllegalArgumentException("-Dpatients must be at least 1");
  }

  static LoadConfig fromSystemProperties() {
    return new LoadConfig();
  }

  boolean closed(String flow) {
    return rates.get(flow) <= 0;
  }

  /** The roles (token holders) the selected flows need; the importer also loads the patients. */
  List<String> roles() {
    List<String> roles = new ArrayList<>();
    roles.add("importer");
    if (flows.contains("read") || flows.contains("search")) roles.add("clerk");
    if (flows.contains("codes")) roles.add("coder");
    if (flows.contains("roi")) roles.add("roi");
    if (flows.contains("audit")) roles.add("privacy");
    return roles;
  }

  String describe() {
    StringBuilder b = new StringBuilder();
    b.append("HIM load test ").append(runId).append(": ").append(url).append(", realm ");
    b.append(realm).append('\n');
    for (String f : flows) {
      b.append("  ").append(String.format(Locale.ROOT, "%-7s", f));
      if (closed(f)) {
        b.append(users.get(f)).append(" concurrent users (closed model)");
      } else {
        b.append(rates.get(f)).append(" iterations/s (open model)");
      }
      b.append('\n');
    }
    b.append("  ramp ").append(ramp.toSeconds()).append(" s, then ");
    b.append(duration.toSeconds()).append(" s; ").append(patients).append(" setup patients; ");
    b.append("assert p99 < ").append(assertP99Ms).append(" ms, errors <= ");
    b.append(assertErrorPercent).append(" %");
    if (assertMinRps > 0) b.append(", >= ").append(assertMinRps).append(" req/s");
    return b.toString();
  }

  static String prop(String name, String defaultValue) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? defaultValue : v.trim();
  }

  private static String strip(String url) {
    return url.replaceAll("/+$", "");
  }

  private static int intProp(String name, int defaultValue) {
    String v = prop(name, null);
    try {
      return v == null ? defaultValue : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be a whole number, not '" + v + "'");
    }
  }

  private static double doubleProp(String name, double defaultValue) {
    String v = prop(name, null);
    try {
      return v == null ? defaultValue : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be a number, not '" + v + "'");
    }
  }

  /** "90" (seconds), "90s", "1500ms", "2m", "1h". */
  static Duration duration(String name, String defaultValue) {
    String v = prop(name, defaultValue).toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms"))
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      if (v.endsWith("s"))
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      if (v.endsWith("m"))
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      if (v.endsWith("h")) return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
      return Duration.ofSeconds(Long.parseLong(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + name + " must be a duration such as 60, 60s, 2m or 500ms, not '" + v + "'");
    }
  }
}
