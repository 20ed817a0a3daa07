package dev.him.records.privacy;

import dev.him.common.access.RequestContext;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

/**
 * Security labels honoured on reads: a resource labelled with a sensitive category is served only
 * to callers the policy allows; others get the rest of the record and are told that something was
 * withheld — never which category, since "HIV withheld" would itself disclose.
 */
@ApplicationScoped
public class SensitiveRecords {
  public static final String WITHHELD_NOTE =
      " matching resource(s) withheld: their security labels are not open to your role and"
          + " purpose of use";

  @Inject SensitivityPolicy policy;
  @Inject RequestContext request;

  /** The categories a resource is in, from its meta.security labels; null when none. */
  public String[] categoriesOf(Resource resource) {
    Set<String> found = new TreeSet<>();
    for (Coding label : resource.getMeta().getSecurity()) {
      for (Map.Entry<String, SensitivityPolicy.Category> c : policy.categories().entrySet()) {
        if (label.hasCode() && c.getValue().codes().contains(label.getCode())) {
          found.add(c.getKey());
        }
      }
    }
    return found.isEmpty() ? null : found.toArray(String[]::new);
  }

  /** The categories the current caller may not see. */
  public List<String> hiddenFromCaller() {
    Actor actor = request.actor();
    String purpose = request.purposeOfUse();
    List<String> hidden = new ArrayList<>();
    for (Map.Entry<String, SensitivityPolicy.Category> c : policy.categories().entrySet()) {
      boolean role = c.getValue().roles().stream().anyMatch(actor.roles()::contains);
      boolean purposeOk =
          c.getValue().purposes().map(p -> purpose != null && p.contains(purpose)).orElse(true);
      if (!role || !purposeOk) {
        hidden.add(c.getKey());
      }
    }
    return hidden;
  }

  /** The hidden categories as a PostgreSQL text[] literal, for {@code cast(? as text[])}. */
  public String hiddenAsSqlArray() {
    return "{" + String.join(",", hiddenFromCaller()) + "}";
  }

  /**
   * The searchset entry that tells the caller something was withheld (an OperationOutcome with
   * search.mode outcome), as JSON.
   */
  public static String withheldOutcomeEntry(long withheld) {
    return "{\"resource\":{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":"
        + "\"information\",\"code\":\"suppressed\",\"diagnostics\":\""
        + withheld
        + WITHHELD_NOTE
        + "\"}]},\"search\":{\"mode\":\"outcome\"}}";
  }

  /** A text[] column as read by a native query (a Java array or a JDBC array). */
  public static String[] toArray(Object column) {
    if (column == null) return null;
    if (column instanceof String[] a) return a;
    if (column instanceof Object[] a)
      return java.util.Arrays.stream(a).map(String::valueOf).toArray(String[]::new);
    if (column instanceof java.sql.Array a) {
      try {
        return (String[]) a.getArray();
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("cannot read sensitive categories", e);
      }
    }
    throw new IllegalStateException("unexpected column type " + column.getClass());
  }

  /** 403 when a resource in these categories is read by a caller who may not see it. */
  public void checkReadable(String type, String id, String[] categories) {
    if (categories == null || categories.length == 0) return;
    List<String> hidden = hiddenFromCaller();
    for (String c : categories) {
      if (hidden.contains(c)) {
        throw new ProblemException(
            403,
            "Withheld",
            type
                + "/"
                + id
                + " carries a security label that is not open to your role and purpose of use",
            List.of());
      }
    }
  }
}
