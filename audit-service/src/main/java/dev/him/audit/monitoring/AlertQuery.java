package dev.him.audit.monitoring;

import dev.him.audit.report.AccessQuery;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The queue as the privacy officer filters it: status, rule, user, patient, and when the access
 * happened (from included, to excluded; a day means all of it). Every value is checked here.
 */
public record AlertQuery(
    AlertStatus status,
    Rule rule,
    String user,
    String patient,
    Instant from,
    Instant to,
    int count,
    int offset) {

  public static final int DEFAULT_COUNT = 50;
  public static final int MAX_COUNT = 200;

  private static final Set<String> KNOWN =
      Set.of("status", "rule", "user", "patient", "from", "to", "count", "offset");

  static AlertQuery of(MultivaluedMap<String, String> q) {
    List<InvalidParam> problems = new ArrayList<>();
    q.keySet().stream()
        .filter(k -> !KNOWN.contains(k))
        .sorted()
        .forEach(k -> problems.add(new InvalidParam(k, "is not a filter of the alert queue")));
    AlertStatus status = choice(AlertStatus.class, q.getFirst("status"), "status", problems);
    Rule rule = choice(Rule.class, q.getFirst("rule"), "rule", problems);
    Instant from = AccessQuery.instant(q.getFirst("from"), "from", false, problems);
    Instant to = AccessQuery.instant(q.getFirst("to"), "to", true, problems);
    if (from != null && to != null && !from.isBefore(to)) {
      problems.add(new InvalidParam("to", "must be after from"));
    }
    int count = AccessQuery.number(q.getFirst("count"), DEFAULT_COUNT, "count", problems);
    if (count < 1 || count > MAX_COUNT) {
      problems.add(new InvalidParam("count", "from 1 to " + MAX_COUNT));
    }
    int offset = AccessQuery.number(q.getFirst("offset"), 0, "offset", problems);
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid query", "The alert query is wrong", problems);
    }
    return new AlertQuery(
        status,
        rule,
        blank(q.getFirst("user")),
        blank(q.getFirst("patient")),
        from,
        to,
        count,
        offset);
  }

  private static <E extends Enum<E>> E choice(
      Class<E> type, String v, String name, List<InvalidParam> problems) {
    if (blank(v) == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, v.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(
          new InvalidParam(
              name,
              "one of "
                  + String.join(
                      ", ", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList())));
      return null;
    }
  }

  private static String blank(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }
}
