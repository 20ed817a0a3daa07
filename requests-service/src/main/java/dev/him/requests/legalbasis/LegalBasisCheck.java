package dev.him.requests.legalbasis;

import dev.him.requests.roi.RequestType;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The result of checking a request's legal basis: every defect found, the categories the basis
 * leaves out, and (for a court order) what may be released.
 */
public record LegalBasisCheck(
    UUID requestId,
    RequestType basis,
    LocalDate checkedOn,
    boolean valid,
    List<Defect> defects,
    List<Exclusion> exclusions,
    ReleasableScope releasableScope) {

  /** One thing that blocks release; field names the document element at fault. */
  public record Defect(String code, String field, String message) {}

  /** A category left out of the release; does not block the rest. */
  public record Exclusion(SensitiveCategory category, String reason) {}

  /** What may be released: the requested scope cut down to what the order names. */
  public record ReleasableScope(
      List<String> recordTypes,
      List<SensitiveCategory> sensitiveCategories,
      LocalDate from,
      LocalDate to) {}
}
