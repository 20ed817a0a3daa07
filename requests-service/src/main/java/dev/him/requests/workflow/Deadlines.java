package dev.him.requests.workflow;

import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.requests.roi.RequestType;
import dev.him.requests.roi.RoiRequest;
import dev.him.requests.roi.RoiStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Due dates. The right of access allows 30 days from receipt and one extension of at most 30 more,
 * only with a written notice sent inside the first 30 days (45 CFR 164.524(b)(2)); other bases take
 * their days from him.roi.due-days.&lt;basis&gt; (state law and contracts differ).
 */
@ApplicationScoped
public class Deadlines {
  /** The right of access allows one extension of at most this many days. */
  public static final int MAX_EXTENSION_DAYS = 30;

  @ConfigProperty(name = "him.roi.response-days", defaultValue = "30")
  int responseDays;

  @ConfigProperty(name = "him.roi.at-risk-days", defaultValue = "5")
  int atRiskDays;

  public LocalDate dueOn(RequestType basis, LocalDate receivedOn) {
    return receivedOn.plusDays(daysFor(basis));
  }

  int daysFor(RequestType basis) {
    if (basis == RequestType.RIGHT_OF_ACCESS) {
      return responseDays;
    }
    return ConfigProvider.getConfig()
        .getOptionalValue("him.roi.due-days." + key(basis), Integer.class)
        .orElse(responseDays);
  }

  /** The config key of a basis: COURT_ORDER → court-order. */
  static String key(RequestType basis) {
    return basis.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public int atRiskDays() {
    return atRiskDays;
  }

  /** Null for a final request: nothing is left to do, so it is never due or overdue. */
  public DueState dueState(RoiStatus status, LocalDate dueOn, LocalDate today) {
    if (status.isFinal()) {
      return null;
    }
    if (dueOn.isBefore(today)) {
      return DueState.OVERDUE;
    }
    return dueOn.isAfter(today.plusDays(atRiskDays)) ? DueState.DUE : DueState.AT_RISK;
  }

  /**
   * Refuses an extension the rule does not allow: 409 when the request cannot be extended at all
   * (final, another basis, already extended), 400 naming each wrong field otherwise.
   */
  static void checkExtension(RoiRequest r, ExtensionNotice in, LocalDate today) {
    if (r.status.isFinal()) {
      throw conflict("status", "the request is " + r.status + "; there is nothing to extend");
    }
    if (r.requestType != RequestType.RIGHT_OF_ACCESS) {
      throw conflict(
          "requestType",
          "only a right-of-access request may be extended (164.524(b)(2)); this one is "
              + r.requestType);
    }
    if (r.extensionRecordedAt != null) {
      throw conflict(
          "extension",
          "the one extension allowed was already recorded; the request is due on " + r.dueOn);
    }
    LocalDate original = original(r);
    List<InvalidParam> wrong = new ArrayList<>();
    LocalDate notice = in.noticeSentOn();
    if (notice.isBefore(r.receivedOn)) {
      wrong.add(new InvalidParam("noticeSentOn", "must not be before receivedOn " + r.receivedOn));
    } else if (notice.isAfter(today)) {
      wrong.add(
          new InvalidParam("noticeSentOn", "must not be in the future; record a sent notice"));
    } else if (notice.isAfter(original)) {
      wrong.add(
          new InvalidParam(
              "noticeSentOn",
              "the notice must be sent within the first 30 days, on or before " + original));
    }
    LocalDate latest = original.plusDays(MAX_EXTENSION_DAYS);
    if (!in.newDueOn().isAfter(original)) {
      wrong.add(new InvalidParam("newDueOn", "must be after the original due date " + original));
    } else if (in.newDueOn().isAfter(latest)) {
      wrong.add(
          new InvalidParam(
              "newDueOn",
              "must be at most "
                  + MAX_EXTENSION_DAYS
                  + " days after "
                  + original
                  + ", on or before "
                  + latest));
    }
    if (!wrong.isEmpty()) {
      throw new ProblemException(
          400,
          "Invalid request",
          String.join("; ", wrong.stream().map(p -> p.name() + ": " + p.reason()).toList()),
          wrong);
    }
  }

  /** The due date before any extension; rows written without it have never been extended. */
  static LocalDate original(RoiRequest r) {
    return r.originalDueOn != null ? r.originalDueOn : r.dueOn;
  }

  private static ProblemException conflict(String field, String reason) {
    return new ProblemException(
        409, "Conflict", field + ": " + reason, List.of(new InvalidParam(field, reason)));
  }
}
