package dev.him.requests.workflow;

import dev.him.common.access.Roles;
import dev.him.requests.roi.RoiStatus;
import java.util.List;
import java.util.Map;

/**
 * Which state may follow which, and who may make each move. The steps are the ROI specialist's
 * work; the release and the endings (deny, cancel) may also be done by an HIM administrator, who
 * signs off when the specialist is away.
 */
final class WorkflowRules {
  private static final Map<RoiStatus, RoiStatus> NEXT =
      Map.of(
          RoiStatus.RECEIVED, RoiStatus.IDENTITY_VERIFIED,
          RoiStatus.IDENTITY_VERIFIED, RoiStatus.BASIS_VALIDATED,
          RoiStatus.BASIS_VALIDATED, RoiStatus.IN_PROCESSING,
          RoiStatus.IN_PROCESSING, RoiStatus.QUALITY_REVIEW,
          RoiStatus.QUALITY_REVIEW, RoiStatus.RELEASED);

  private WorkflowRules() {}

  /** The states a request may move to next; none once it is final. */
  static List<RoiStatus> allowedFrom(RoiStatus from) {
    if (from.isFinal()) {
      return List.of();
    }
    return List.of(NEXT.get(from), RoiStatus.DENIED, RoiStatus.CANCELLED);
  }

  /** The roles that may move a request into this state. */
  static List<String> rolesFor(RoiStatus to) {
    return switch (to) {
      case RELEASED, DENIED, CANCELLED -> List.of(Roles.ROI, Roles.ADMIN);
      default -> List.of(Roles.ROI);
    };
  }
}
