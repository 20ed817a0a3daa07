package dev.him.requests.fulfilment;

import dev.him.requests.legalbasis.LegalBasisCheck;
import dev.him.requests.legalbasis.RoiAuthorization;
import dev.him.requests.legalbasis.SensitiveCategory;
import dev.him.requests.roi.RoiRequest;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a request's legal basis lets the packet contain: the record types and dates (null = all) and
 * the sensitive categories covered, with the reason each other category is left out.
 *
 * <p>Minimum necessary (45 CFR 164.502(b)) cuts the record to the dates and record types asked for,
 * except where it does not apply (164.502(b)(2)): to the individual (RIGHT_OF_ACCESS), for
 * treatment (TREATMENT) and where required by law (REQUIRED_BY_LAW) the whole record goes out. An
 * authorization covers what it describes: the structured scope of the request is that description,
 * so it is applied too. A court order releases only what it names (the check's releasableScope).
 */
public record ReleasePlan(
    boolean minimumNecessary,
    Set<String> recordTypes,
    LocalDate from,
    LocalDate to,
    Set<SensitiveCategory> covered,
    Map<SensitiveCategory, String> withheldReasons,
    boolean onlyPsychotherapyNotes,
    boolean rightOfAccess) {

  /** Bases named, not referenced: TREATMENT and REQUIRED_BY_LAW may not exist in every build. */
  static final Set<String> MINIMUM_NECESSARY_EXEMPT =
      Set.of("RIGHT_OF_ACCESS", "TREATMENT", "REQUIRED_BY_LAW");

  static final String NOT_ACCESS_PSYCHOTHERAPY =
      "Psychotherapy notes are not part of the right of access (45 CFR 164.524(a)(1)(i))";
  static final String NOT_ACCESS_LEGAL =
      "Information compiled for legal proceedings is not part of the right of access (45 CFR"
          + " 164.524(a)(1)(ii))";

  static ReleasePlan of(RoiRequest request, LegalBasisCheck check, RoiAuthorization auth) {
    String basis = request.requestType.name();
    Set<SensitiveCategory> covered = EnumSet.noneOf(SensitiveCategory.class);
    Map<SensitiveCategory, String> reasons = new EnumMap<>(SensitiveCategory.class);
    boolean exempt = MINIMUM_NECESSARY_EXEMPT.contains(basis);
    Set<String> types = exempt ? null : nonEmpty(request.requestedRecordTypes);
    LocalDate from = exempt ? null : request.requestedFrom;
    LocalDate to = exempt ? null : request.requestedTo;
    boolean onlyNotes = false;

    if ("RIGHT_OF_ACCESS".equals(basis)) {
      // the designated record set, whatever was asked for, less what 164.524(a)(1) leaves out
      covered.addAll(EnumSet.allOf(SensitiveCategory.class));
      covered.remove(SensitiveCategory.PSYCHOTHERAPY_NOTES);
      covered.remove(SensitiveCategory.LEGAL_PROCEEDINGS);
      reasons.put(SensitiveCategory.PSYCHOTHERAPY_NOTES, NOT_ACCESS_PSYCHOTHERAPY);
      reasons.put(SensitiveCategory.LEGAL_PROCEEDINGS, NOT_ACCESS_LEGAL);
    } else if (check.releasableScope() != null) {
      // court order (or a subpoena with one): only what it names, even no record type at all
      LegalBasisCheck.ReleasableScope scope = check.releasableScope();
      types = new LinkedHashSet<>(scope.recordTypes());
      from = scope.from();
      to = scope.to();
      covered.addAll(scope.sensitiveCategories());
      for (SensitiveCategory c : SensitiveCategory.values()) {
        reasons.put(c, "Not expressly named in the court order (45 CFR 164.512(e)(1)(i))");
      }
    } else {
      covered.addAll(categories(request.requestedCategories));
      for (SensitiveCategory c : SensitiveCategory.values()) {
        reasons.put(c, "Not asked for in the request; the basis does not cover it expressly");
      }
      if ("AUTHORIZATION".equals(basis) && auth != null) {
        if (!auth.coversPsychotherapyNotes) {
          covered.remove(SensitiveCategory.PSYCHOTHERAPY_NOTES);
          reasons.put(
              SensitiveCategory.PSYCHOTHERAPY_NOTES,
              "Psychotherapy notes need an authorization of their own (45 CFR 164.508(a)(2))");
        }
        if (!auth.coversSudRecords) {
          covered.remove(SensitiveCategory.SUBSTANCE_USE_DISORDER);
          reasons.put(
              SensitiveCategory.SUBSTANCE_USE_DISORDER,
              "Substance-use-disorder records need a Part 2 consent (42 CFR 2.31)");
        }
        onlyNotes = auth.coversPsychotherapyNotes && !auth.coversOtherRecords;
      }
    }
    for (LegalBasisCheck.Exclusion e : check.exclusions()) {
      covered.remove(e.category());
      reasons.put(e.category(), e.reason());
    }
    covered.forEach(reasons::remove);
    boolean minimumNecessary = !exempt && !"AUTHORIZATION".equals(basis);
    return new ReleasePlan(
        minimumNecessary,
        types,
        from,
        to,
        covered,
        reasons,
        onlyNotes,
        "RIGHT_OF_ACCESS".equals(basis));
  }

  private static Set<String> nonEmpty(List<String> codes) {
    return codes == null || codes.isEmpty() ? null : new LinkedHashSet<>(codes);
  }

  private static Set<SensitiveCategory> categories(List<String> names) {
    Set<SensitiveCategory> out = EnumSet.noneOf(SensitiveCategory.class);
    if (names != null) {
      names.forEach(n -> out.add(SensitiveCategory.valueOf(n)));
    }
    return out;
  }
}
