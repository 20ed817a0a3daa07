package dev.him.requests.disclosure;

import dev.him.requests.roi.RequestType;
import dev.him.requests.roi.RequesterType;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a disclosure belongs in the accounting given to the individual (45 CFR 164.528(a)(1)).
 * The basis of a release decides; a basis not in the map is accountable, so a new request type is
 * never silently left out of an accounting. Add a type with one line: excluded(TREATMENT,
 * TREATMENT_PAYMENT_OPERATIONS) or accountable(REQUIRED_BY_LAW).
 */
public final class Accountability {
  /** HIPAA privacy compliance date: earlier disclosures need no accounting (164.528(a)(1)(ix)). */
  public static final LocalDate COMPLIANCE_DATE = LocalDate.of(2003, 4, 14);

  private static final Map<RequestType, Optional<ExclusionCategory>> BY_BASIS =
      new EnumMap<>(RequestType.class);

  static {
    excluded(RequestType.RIGHT_OF_ACCESS, ExclusionCategory.TO_INDIVIDUAL);
    excluded(RequestType.AUTHORIZATION, ExclusionCategory.AUTHORIZATION);
    accountable(RequestType.SUBPOENA);
    accountable(RequestType.COURT_ORDER);
    accountable(RequestType.OTHER);
    excluded(RequestType.TREATMENT, ExclusionCategory.TREATMENT_PAYMENT_OPERATIONS);
    accountable(RequestType.REQUIRED_BY_LAW);
  }

  private Accountability() {}

  private static void excluded(RequestType basis, ExclusionCategory category) {
    BY_BASIS.put(basis, Optional.of(category));
  }

  private static void accountable(RequestType basis) {
    BY_BASIS.put(basis, Optional.empty());
  }

  /**
   * The exclusion that applies to a release, or empty when it must be accounted for. Records sent
   * to the individual (or a personal representative, who stands in their place, 164.502(g)) are a
   * disclosure to the individual whatever the basis.
   */
  public static Optional<ExclusionCategory> exclusionOf(
      RequestType basis, RequesterType recipient, LocalDate disclosedOn) {
    if (disclosedOn.isBefore(COMPLIANCE_DATE)) {
      return Optional.of(ExclusionCategory.BEFORE_COMPLIANCE_DATE);
    }
    Optional<ExclusionCategory> byBasis = BY_BASIS.getOrDefault(basis, Optional.empty());
    if (byBasis.isPresent()) {
      return byBasis;
    }
    if (recipient == RequesterType.INDIVIDUAL
        || recipient == RequesterType.PERSONAL_REPRESENTATIVE) {
      return Optional.of(ExclusionCategory.TO_INDIVIDUAL);
    }
    return Optional.empty();
  }
}
