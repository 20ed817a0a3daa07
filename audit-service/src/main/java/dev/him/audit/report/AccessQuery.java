package dev.him.audit.report;

import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessOutcome;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The privacy officer's question, from query parameters: filters, one sort column and a page. Every
 * value is checked here, and the sort column is taken from a fixed list, so nothing from the caller
 * reaches SQL as text.
 */
public record AccessQuery(
    String patient,
    String user,
    Instant from,
    Instant to,
    List<String> actions,
    List<String> outcomes,
    String client,
    String resourceType,
    String sortColumn,
    boolean descending,
    int count,
    int offset) {

  public static final int MAX_COUNT = 500;

  /** API name of a sort key → column. */
  public static final Map<String, String> SORTS = new LinkedHashMap<>();

  static {
    SORTS.put("occurredAt", "occurred_at");
    SORTS.put("user", "actor_username");
    SORTS.put("roles", "actor_roles");
    SORTS.put("client", "actor_client");
    SORTS.put("action", "action");
    SORTS.put("outcome", "outcome");
    SORTS.put("purposeOfUse", "purpose_of_use");
    SORTS.put("resourceType", "resource_type");
    SORTS.put("sourceService", "source_service");
  }

  private static final List<String> ACTIONS =
      Arrays.stream(AccessAction.values()).map(Enum::name).toList();
  private static final List<String> OUTCOMES =
      Arrays.stream(AccessOutcome.values()).map(Enum::name).toList();
  private static final Set<String> KNOWN =
      Set.of(
          "patient",
          "user",
          "from",
          "to",
          "action",
          "outcome",
          "client",
          "resourceType",
          "sort",
          "count",
          "offset");

  static AccessQuery of(MultivaluedMap<String, String> q, int defaultCount) {
    return of(q, defaultCount, SORTS, "-occurredAt", KNOWN);
  }

  /**
   * The same checks for another view of the log (the ONC audit report): its own sort keys (API name
   * → SQL expression, from a fixed list), default sort and known parameters.
   */
  static AccessQuery of(
      MultivaluedMap<String, String> q,
      int defaultCount,
      Map<String, String> sorts,
      String defaultSort,
      Set<String> known) {
    List<InvalidParam> problems = new ArrayList<>();
    q.keySet().stream()
        .filter(k -> !known.contains(k))
        .forEach(k -> problems.add(new InvalidParam(k, "is not a filter of the access log")));
    String action = upper(q.getFirst("action"));
    if (action != null && !ACTIONS.contains(action)) {
      problems.add(new InvalidParam("action", "one of " + String.join(", ", ACTIONS)));
    }
    String outcome = upper(q.getFirst("outcome"));
    if (outcome != null && !OUTCOMES.contains(outcome)) {
      problems.add(new InvalidParam("outcome", "one of " + String.join(", ", OUTCOMES)));
    }
    Instant from = instant(q.getFirst("from"), "from", false, problems);
    Instant to = instant(q.getFirst("to"), "to", true, problems);
    if (from != null && to != null && !from.isBefore(to)) {
      problems.add(new InvalidParam("to", "must be after from"));
    }
    String sort = q.getFirst("sort") == null ? defaultSort : q.getFirst("sort").strip();
    boolean descending = sort.startsWith("-");
    String key = sort.replaceFirst("^[-+]", "");
    if (!sorts.containsKey(key)) {
      problems.add(
          new InvalidParam(
              "sort", "one of " + String.join(", ", sorts.keySet()) + ", with - for descending"));
    }
    int count = number(q.getFirst("count"), defaultCount, "count", problems);
    if (count < 1 || count > MAX_COUNT) {
      problems.add(new InvalidParam("count", "from 1 to " + MAX_COUNT));
    }
    int offset = number(q.getFirst("offset"), 0, "offset", problems);
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid query", "The access log query is wrong", problems);
    }
    return new AccessQuery(
        blank(q.getFirst("patient")),
        blank(q.getFirst("user")),
        from,
        to,
        action == null ? List.of() : List.of(action),
        outcome == null ? List.of() : List.of(outcome),
        blank(q.getFirst("client")),
        blank(q.getFirst("resourceType")),
        sorts.get(key),
        descending,
        count,
        offset);
  }

  public AccessQuery withPage(int count, int offset) {
    return new AccessQuery(
        patient,
        user,
        from,
        to,
        actions,
        outcomes,
        client,
        resourceType,
        sortColumn,
        descending,
        count,
        offset);
  }

  /** A day (from: its start, to: the next day's start, so the day is included) or an instant. */
  public static Instant instant(String v, String name, boolean end, List<InvalidParam> problems) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      if (v.length() == 10) {
        LocalDate day = LocalDate.parse(v);
        return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      problems.add(
          new InvalidParam(name, "a day (2026-11-26) or an instant (2026-11-26T08:00:00Z)"));
      return null;
    }
  }

  /** A whole number, 0 or more, or the default; a wrong value is added to problems. */
  public static int number(String v, int dflt, String name, List<InvalidParam> problems) {
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

  private static String upper(String v) {
    return blank(v) == null ? null : v.strip().toUpperCase(java.util.Locale.ROOT);
  }

  private static String blank(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }
}
