package dev.him.requests.intake;

import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.requests.roi.RoiStatus;
import dev.him.requests.workflow.RequestMoving;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * No request goes past identity verification without a settled patient: validating a basis,
 * gathering records and releasing them all need to know whose records they are. Denial and
 * cancellation stay possible.
 */
@ApplicationScoped
public class ConfirmedPatientGuard {
  static final Set<RoiStatus> NEED_PATIENT =
      EnumSet.of(
          RoiStatus.BASIS_VALIDATED,
          RoiStatus.IN_PROCESSING,
          RoiStatus.QUALITY_REVIEW,
          RoiStatus.RELEASED);

  void on(@Observes RequestMoving e) {
    if (NEED_PATIENT.contains(e.to()) && !e.request().patientConfirmed()) {
      String reason =
          "the patient is not confirmed (match "
              + e.request().patientMatchStatus
              + "); confirm it on POST .../patient-match first";
      throw new ProblemException(
          409,
          "Patient not confirmed",
          e.to() + " needs a confirmed patient: " + reason,
          List.of(new InvalidParam("patientId", reason)));
    }
  }
}
