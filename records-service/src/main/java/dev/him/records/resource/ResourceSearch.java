package dev.him.records.resource;

import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.records.fhir.DateParam;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * FHIR search on the stored resources: patient (or subject), encounter, code ([system|]code), date
 * ([eq|ne|lt|le|gt|ge]YYYY-MM-DD, overlapping the resource's clinical date or period), status and
 * class (Encounter); _count (capped) and _offset. Parameters a type does not have are refused
 * (400), never ignored.
 */
public final class ResourceSearch {
  public static final int DEFAULT_COUNT = 20;
  public static final int MAX_COUNT = 100;
  private static final Set<String> IGNORED = Set.of("_format", "_pretty");
  private static final Set<String> CLINICAL =
      Set.of("patient", "subject", "encounter", "code", "date");
  private static final Map<String, Set<String>> PARAMS =
      Map.of(
          "Encounter", Set.of("patient", "subject", "date", "status", "class"),
          "Condition", CLINICAL,
          "Procedure", CLINICAL,
          "MedicationRequest", CLINICAL,
          "Observation", CLINICAL,
          "Practitioner", Set.of("identifier"));
  private static final Set<String> PATIENT_ONLY = Set.of("patient", "subject");

  private final String type;
  private final List<String> where = new ArrayList<>();
  private final List<Object> params = new ArrayList<>();
  private final Set<String> names = new TreeSet<>();
  private int count = DEFAULT_COUNT;
  private int offset;
  private boolean includePatient;

  /**
   * One page of matches. {@code withheld} counts matches left out because of their security labels
   * (not in {@code total}).
   */
  public record Page(
      List<ResourceStore.Stored> rows, long total, int offset, int count, long withheld) {
    public boolean hasNext() {
      return offset + rows.size() < total;
    }
  }

  /** The search parameters a type supports (for the CapabilityStatement). */
  public static Set<String> parametersOf(String type) {
    return PARAMS.getOrDefault(type, PATIENT_ONLY);
  }

  private ResourceSearch(String type) {
    this.type = type;
  }

  public static ResourceSearch parse(String type, Map<String, List<String>> query) {
    ResourceSearch s = new ResourceSearch(type);
    Set<String> allowed = PARAMS.getOrDefault(type, PATIENT_ONLY);
    List<InvalidParam> problems = new ArrayList<>();
    for (var e : query.entrySet()) {
      String name = e.getKey();
      if (IGNORED.contains(name)) continue;
      if (!Set.of("_count", "_offset", "_include").contains(name) && !allowed.contains(name)) {
        problems.add(new InvalidParam(name, "is not a supported search parameter for " + type));
        continue;
      }
      for (String value : e.getValue()) {
        try {
          s.add(name, value);
        } catch (IllegalArgumentException ex) {
          problems.add(new InvalidParam(name, ex.getMessage()));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid search", "The search cannot be run", problems);
    }
    return s;
  }

  public String type() {
    return type;
  }

  /** Whether the patients of the matches are to be returned too (_include=Type:patient). */
  public boolean includePatient() {
    return includePatient;
  }

  public Set<String> parameterNames() {
    return names;
  }

  private void add(String name, String value) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException("needs a value");
    switch (name) {
      case "_count" -> count = Math.min(nonNegative(value), MAX_COUNT);
      case "_offset" -> offset = nonNegative(value);
      case "_include" -> {
        // only the patient can be included: Type:patient or Type:subject (or Type:subject:Patient)
        String v = value.replaceFirst(":Patient$", "");
        if (!v.equals(type + ":patient") && !v.equals(type + ":subject")) {
          throw new IllegalArgumentException(
              "only " + type + ":patient (or " + type + ":subject) can be included");
        }
        includePatient = true;
      }
      case "patient", "subject" -> {
        String id = value.startsWith("Patient/") ? value.substring(8) : value;
        if (id.contains("/"))
          throw new IllegalArgumentException("must be a Patient id or Patient/{id}");
        where.add("r.patient_id = " + bind(id));
      }
      case "encounter" -> {
        String ref = value.startsWith("Encounter/") ? value : "Encounter/" + value;
        where.add(indexed("encounter", "x.reference = " + bind(ref)));
      }
      case "code", "status", "class", "identifier" -> {
        List<String> ors = new ArrayList<>();
        for (String v : value.split(",")) {
          int bar = v.indexOf('|');
          if (bar < 0) {
            ors.add("x.token_code = " + bind(v));
          } else {
            ors.add(
                "x.token_system = "
                    + bind(v.substring(0, bar))
                    + " and x.token_code = "
                    + bind(v.substring(bar + 1)));
          }
        }
        where.add(indexed(name, "(" + String.join(" or ", ors) + ")"));
      }
      case "date" -> where.add(indexed("date", dateClause(value)));
      default -> throw new IllegalArgumentException("is not supported");
    }
    if (!name.startsWith("_")) names.add(name);
  }

  private String indexed(String param, String condition) {
    return "exists (select 1 from fhir_search_index x where x.resource_type = r.resource_type"
        + " and x.id = r.id and x.param = '"
        + param
        + "' and "
        + condition
        + ")";
  }

  private String dateClause(String value) {
    DateParam param = DateParam.parse(value);
    LocalDate day = param.day();
    String op = param.prefix();
    var from = day.atStartOfDay().toInstant(ZoneOffset.UTC);
    var to = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    String end = "coalesce(x.date_end, x.date_start)";
    // bind only what each comparison uses: every placeholder must appear in the SQL
    return switch (op) {
      case "eq" -> "x.date_start < " + bind(to) + " and " + end + " >= " + bind(from);
      case "ne" -> "(x.date_start >= " + bind(to) + " or " + end + " < " + bind(from) + ")";
      case "lt" -> "x.date_start < " + bind(from);
      case "le" -> "x.date_start < " + bind(to);
      case "gt" -> end + " >= " + bind(to);
      case "ge" -> end + " >= " + bind(from);
      default -> throw new IllegalStateException(op);
    };
  }

  private static int nonNegative(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n < 0) throw new IllegalArgumentException("must be 0 or more");
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number");
    }
  }

  private String bind(Object value) {
    params.add(value);
    return "?" + params.size();
  }

  /**
   * Runs the search, leaving out resources in the sensitive categories given (a text[] literal such
   * as {hiv,part2}) and counting them as withheld.
   */
  Page run(EntityManager em, String hiddenCategories) {
    List<String> clauses = new ArrayList<>(where);
    clauses.add("r.resource_type = " + bind(type));
    clauses.add("r.deleted_at is null");
    String hidden =
        "coalesce(r.sensitive_categories && cast(" + bind(hiddenCategories) + " as text[]), false)";
    String matching = " from fhir_resource r where " + String.join(" and ", clauses);
    String filter = matching + " and not " + hidden;
    Query countQuery =
        em.createNativeQuery(
            "select count(*) filter (where not "
                + hidden
                + "), count(*) filter (where "
                + hidden
                + ")"
                + matching);
    bindAll(countQuery);
    Object[] counts = (Object[]) countQuery.getSingleResult();
    long total = ((Number) counts[0]).longValue();
    long withheld = ((Number) counts[1]).longValue();
    List<ResourceStore.Stored> rows = new ArrayList<>();
    if (count > 0 && offset < total) {
      Query q =
          em.createNativeQuery(
              "select r.id, r.version_id, r.patient_id, cast(r.resource as text)"
                  + filter
                  + " order by r.last_updated, r.id limit "
                  + count
                  + " offset "
                  + offset);
      bindAll(q);
      for (Object o : q.getResultList()) {
        Object[] r = (Object[]) o;
        rows.add(
            new ResourceStore.Stored(
                type, (String) r[0], ((Number) r[1]).intValue(), (String) r[2], (String) r[3]));
      }
    }
    return new Page(rows, total, offset, count, withheld);
  }

  private void bindAll(Query q) {
    for (int i = 0; i < params.size(); i++) q.setParameter(i + 1, params.get(i));
  }
}
