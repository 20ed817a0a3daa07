package dev.him.records.retention;

import dev.him.common.problem.ProblemException;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Query parameters of the list endpoints: unknown ones refused, each bad value named. */
final class Params {
  private final MultivaluedMap<String, String> query;

  Params(MultivaluedMap<String, String> query, Set<String> known) {
    this.query = query;
    for (String name : query.keySet()) {
      if (!known.contains(name)) {
        throw ProblemException.badRequest(
            name,
            "is not a parameter here; use " + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  String single(String name) {
    var values = query.get(name);
    if (values == null || values.isEmpty()) return null;
    if (values.size() > 1) throw ProblemException.badRequest(name, "may be given only once");
    String v = values.get(0).strip();
    if (v.isEmpty()) throw ProblemException.badRequest(name, "must not be empty");
    return v;
  }

  Boolean bool(String name) {
    String v = single(name);
    if (v == null) return null;
    if (v.equals("true")) return true;
    if (v.equals("false")) return false;
    throw ProblemException.badRequest(name, "must be true or false");
  }

  int integer(String name, int fallback, int min, int max) {
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

  LocalDate date(String name, LocalDate fallback) {
    String v = single(name);
    if (v == null) return fallback;
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest(name, "must be a date, YYYY-MM-DD");
    }
  }
}
