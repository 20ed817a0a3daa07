package dev.him.coding.terminology;

import dev.him.common.problem.ProblemException;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Request parameters (query string, or a FHIR Parameters body turned into the same map): unknown
 * ones refused, each bad value named, so a typo ("verison") is an error and not a silent default.
 */
public final class Params {
  private final Map<String, List<String>> values;

  private Params(Map<String, List<String>> values, Set<String> known) {
    this.values = values;
    for (String name : values.keySet()) {
      if (!known.contains(name)) {
        throw ProblemException.badRequest(
            name, "is not a parameter here; use " + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  public static Params of(MultivaluedMap<String, String> query, Set<String> known) {
    return new Params(query, known);
  }

  public static Params of(Map<String, List<String>> values, Set<String> known) {
    return new Params(values, known);
  }

  /** The value, stripped; null when absent; 400 when repeated or empty. */
  public String single(String name) {
    List<String> v = values.get(name);
    if (v == null || v.isEmpty()) return null;
    if (v.size() > 1) throw ProblemException.badRequest(name, "may be given only once");
    String s = v.get(0) == null ? "" : v.get(0).strip();
    if (s.isEmpty()) throw ProblemException.badRequest(name, "must not be empty");
    return s;
  }

  /** Like {@link #single} but required. */
  public String required(String name, String what) {
    String s = single(name);
    if (s == null) throw ProblemException.badRequest(name, "is required: " + what);
    return s;
  }

  public Boolean bool(String name) {
    String v = single(name);
    if (v == null) return null;
    if (v.equals("true")) return true;
    if (v.equals("false")) return false;
    throw ProblemException.badRequest(name, "must be true or false");
  }

  public int integer(String name, int fallback, int min, int max) {
    String v = single(name);
    if (v == null) return fallback;
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ProblemException.badRequest(name, "must be a whole number from " + min + " to " + max);
  }
}
