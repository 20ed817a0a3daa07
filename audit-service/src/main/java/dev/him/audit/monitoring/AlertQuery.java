package dev.him.audit.monitoring;

import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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
    Instant from = instant(q.getFirst("from"), "from", false, problems);
    Instant to = instant(q.getFirst("to"), "to", true, problems);
    if (from != null && to != null && !from.isBefore(to)) {
      problems.add(new InvalidParam("to", "must be after from"));
    }
    int count = number(q.getFirst("count"), DEFAULT_COUNT, "count", problems);
    if (count < 1 || count > MAX_COUNT) {
      problems.add(new InvalidParam("count", "from 1 to " + MAX_COUNT));
    }
    int offset = number(q.getFirst("offset"), 0, "offset", problems);
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

  private static Instant instant(String v, String name, boolean end, List<InvalidParam> problems) {
    if (blank(v) == null) {
      return null;
    }
    try {
      if (v.strip().length() == 10) {
        LocalDate day = LocalDate.parse(v.strip());
        return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(v.strip());
    } catch (DateTimeParseException e) {
      problems.add(
          new InvalidParam(name, "a day (2026-11-26) or an instant (2026-11-26T08:00:00Z)"));
      return null;
    }
  }

  private static int number(String v, int dflt, String name, List<InvalidParam> problems) {
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      problems.add(new InvalidParam(name, "must be a whole number, 0 or more"));
      return dflt;
    }
  }

  private static String blank(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }
}
