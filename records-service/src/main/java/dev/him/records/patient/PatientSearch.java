package dev.him.records.patient;

import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.records.fhir.DateParam;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * FHIR search on Patient: identifier ([system|]value), name / family / given (prefix, any part,
 * accents and case ignored), birthdate (eq, ne, lt, le, gt, ge on a day), gender; _count (capped)
 * and _offset for paging. Parameters are ANDed; comma-separated values are ORed. Unknown parameters
 * are refused rather than silently ignored, so a typo never widens a result. Patients merged into
 * another are found only by identifier (a clerk with the old MRN sees where it went); other
 * searches show the survivor alone.
 */
public final class PatientSearch {
  public static final int DEFAULT_COUNT = 20;
  public static final int MAX_COUNT = 100;
  private static final Set<String> IGNORED = Set.of("_format", "_pretty");
  private static final Set<String> KNOWN =
      Set.of("identifier", "name", "family", "given", "birthdate", "gender", "_count", "_offset");

  private final List<String> where = new ArrayList<>();
  private final List<Object> params = new ArrayList<>();
  private final Set<String> names = new TreeSet<>();
  private int count = DEFAULT_COUNT;
  private int offset = 0;

  public record Page(List<PatientRecord> rows, long total, int offset, int count) {
    public boolean hasNext() {
      return offset + rows.size() < total;
    }
  }

  public static PatientSearch parse(Map<String, List<String>> query) {
    PatientSearch s = new PatientSearch();
    List<InvalidParam> problems = new ArrayList<>();
    for (var entry : query.entrySet()) {
      String name = entry.getKey();
      if (IGNORED.contains(name)) {
        continue;
      }
      String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
      if (!KNOWN.contains(base)) {
        problems.add(new InvalidParam(name, "is not a supported search parameter for Patient"));
        continue;
      }
      for (String value : entry.getValue()) {
        try {
          s.add(name, base, value);
        } catch (IllegalArgumentException e) {
          problems.add(new InvalidParam(name, e.getMessage()));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid search", "The search cannot be run", problems);
    }
    return s;
  }

  private void add(String name, String base, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("needs a value");
    }
    switch (base) {
      case "_count" -> count = boundedInt(value, 0, MAX_COUNT, "_count");
      case "_offset" -> offset = boundedInt(value, 0, Integer.MAX_VALUE, "_offset");
      case "identifier" -> anyOf(value, this::identifier);
      case "name" -> anyOf(value, v -> tokenPrefix("name_tokens", v));
      case "family" -> anyOf(value, v -> tokenPrefix("family_tokens", v));
      case "given" -> anyOf(value, v -> tokenPrefix("given_tokens", v));
      case "gender" -> anyOf(value, this::gender);
      case "birthdate" -> birthdate(value);
      default -> throw new IllegalArgumentException("is not supported");
    }
    if (!base.startsWith("_")) {
      names.add(name);
    }
    if (name.contains(":") && !name.equals(base + ":exact")) {
      throw new IllegalArgumentException("modifier is not supported");
    }
  }

  private static int boundedInt(String value, int min, int max, String name) {
    try {
      int n = Integer.parseInt(value);
      if (n < min) throw new IllegalArgumentException("must be at least " + min);
      return Math.min(n, max);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number");
    }
  }

  private interface Clause {
    String sql(String value);
  }

  private void anyOf(String value, Clause clause) {
    List<String> ors = new ArrayList<>();
    for (String v : value.split(",")) {
      if (!v.isBlank()) ors.add(clause.sql(v.trim()));
    }
    where.add("(" + String.join(" or ", ors) + ")");
  }

  private String bind(Object value) {
    params.add(value);
    return "?" + params.size();
  }

  private String identifier(String v) {
    int bar = v.indexOf('|');
    if (bar < 0) {
      return "exists (select 1 from patient_identifier i where i.patient_id = p.id and i.value = "
          + bind(v)
          + ")";
    }
    String system = v.substring(0, bar);
    String value = v.substring(bar + 1);
    if (value.isEmpty()) {
      return "exists (select 1 from patient_identifier i where i.patient_id = p.id and i.system = "
          + bind(system)
          + ")";
    }
    return "exists (select 1 from patient_identifier i where i.patient_id = p.id and i.system = "
        + bind(system)
        + " and i.value = "
        + bind(value)
        + ")";
  }

  private String tokenPrefix(String column, String v) {
    String norm = PatientService.normalize(v);
    return "position(" + bind(" " + norm) + " in p." + column + ") > 0";
  }

  private String gender(String v) {
    if (!Set.of("male", "female", "other", "unknown").contains(v)) {
      throw new IllegalArgumentException("must be male, female, other or unknown");
    }
    return "p.gender = " + bind(v);
  }

  private void birthdate(String value) {
    DateParam param = DateParam.parse(value);
    String op = param.prefix();
    LocalDate day = param.day();
    String sqlOp =
        switch (op) {
          case "eq" -> "=";
          case "ne" -> "<>";
          case "lt" -> "<";
          case "le" -> "<=";
          case "gt" -> ">";
          case "ge" -> ">=";
          default -> throw new IllegalStateException(op);
        };
    where.add("p.birth_date " + sqlOp + " " + bind(day));
  }

  public Set<String> parameterNames() {
    return names;
  }

  public int count() {
    return count;
  }

  Page run(EntityManager em) {
    List<String> clauses = new ArrayList<>(where);
    clauses.add("p.deleted_at is null");
    if (names.stream().noneMatch(n -> n.startsWith("identifier"))) {
      clauses.add("p.merged_into is null");
    }
    String filter = " where " + String.join(" and ", clauses);
    Query countQuery = em.createNativeQuery("select count(*) from patient p" + filter);
    bindAll(countQuery);
    long total = ((Number) countQuery.getSingleResult()).longValue();
    List<PatientRecord> rows = List.of();
    if (count > 0 && offset < total) {
      Query q =
          em.createNativeQuery(
              "select p.* from patient p"
                  + filter
                  + " order by p.created_at, p.id limit "
                  + count
                  + " offset "
                  + offset,
              PatientRecord.class);
      bindAll(q);
      @SuppressWarnings("unchecked")
      List<PatientRecord> found = q.getResultList();
      rows = found;
    }
    return new Page(rows, total, offset, count);
  }

  private void bindAll(Query q) {
    for (int i = 0; i < params.size(); i++) {
      q.setParameter(i + 1, params.get(i));
    }
  }
}
