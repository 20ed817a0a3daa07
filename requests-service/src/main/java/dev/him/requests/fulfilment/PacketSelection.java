package dev.him.requests.fulfilment;

import dev.him.requests.legalbasis.SensitiveCategory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * The patient's record cut down to what the plan allows: the resources to release by record type
 * (oldest first), how many were withheld per sensitive category, and how many fell outside the
 * requested dates or record types.
 */
final class PacketSelection {
  Patient patient;
  final Map<String, List<Resource>> included = new LinkedHashMap<>();
  final Map<SensitiveCategory, Integer> withheld = new EnumMap<>(SensitiveCategory.class);
  int outsideScope;

  /** Resources records-service itself did not hand over (its OperationOutcome says how many). */
  int withheldBySource;

  boolean substanceUseIncluded;
  int resourceCount;

  static PacketSelection select(Bundle record, ReleasePlan plan) {
    PacketSelection s = new PacketSelection();
    Map<String, List<Resource>> byType = new LinkedHashMap<>();
    RecordTypes.ORDER.forEach(t -> byType.put(t, new ArrayList<>()));
    for (Bundle.BundleEntryComponent entry : record.getEntry()) {
      Resource r = entry.getResource();
      if (r instanceof Patient p) {
        s.patient = p;
        continue;
      }
      if (r instanceof OperationOutcome o) {
        s.withheldBySource += withheldCount(o);
        continue;
      }
      String type = r == null ? null : RecordTypes.of(r);
      if (type == null) {
        continue;
      }
      Set<SensitiveCategory> categories = SecurityLabels.categoriesOf(r);
      if (!inScope(r, type, categories, plan)) {
        s.outsideScope++;
        continue;
      }
      boolean withheld = false;
      for (SensitiveCategory c : categories) {
        if (!plan.covered().contains(c)) {
          s.withheld.merge(c, 1, Integer::sum);
          withheld = true;
        }
      }
      if (withheld) {
        continue;
      }
      s.substanceUseIncluded |= categories.contains(SensitiveCategory.SUBSTANCE_USE_DISORDER);
      byType.get(type).add(r);
      s.resourceCount++;
    }
    Comparator<Resource> byDay =
        Comparator.comparing(
            (Resource r) -> RecordTypes.day(r), Comparator.nullsFirst(Comparator.naturalOrder()));
    byType.forEach(
        (type, list) -> {
          if (!list.isEmpty()) {
            list.sort(byDay);
            s.included.put(type, list);
          }
        });
    return s;
  }

  private static boolean inScope(
      Resource r, String type, Set<SensitiveCategory> categories, ReleasePlan plan) {
    if (plan.onlyPsychotherapyNotes()
        && !categories.contains(SensitiveCategory.PSYCHOTHERAPY_NOTES)) {
      return false; // an authorization for the notes alone
    }
    if (plan.recordTypes() != null && !RecordTypes.requested(type, plan.recordTypes())) {
      return false;
    }
    if (plan.from() == null && plan.to() == null) {
      return true;
    }
    String day = RecordTypes.day(r);
    if (day == null) {
      return false; // undated: cannot show it is inside the dates asked for
    }
    return (plan.from() == null || day.compareTo(plan.from().toString()) >= 0)
        && (plan.to() == null || day.compareTo(plan.to().toString()) <= 0);
  }

  private static int withheldCount(OperationOutcome o) {
    int n = 0;
    for (OperationOutcome.OperationOutcomeIssueComponent issue : o.getIssue()) {
      String d = issue.getDiagnostics();
      if (issue.getCode() == OperationOutcome.IssueType.SUPPRESSED && d != null) {
        String digits = d.strip().split("\\D", 2)[0];
        n += digits.isEmpty() ? 0 : Integer.parseInt(digits);
      }
    }
    return n;
  }
}
