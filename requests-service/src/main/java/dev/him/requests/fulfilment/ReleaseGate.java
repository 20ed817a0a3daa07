package dev.him.requests.fulfilment;

import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.requests.fees.FeeAcknowledgement;
import dev.him.requests.roi.RoiStatus;
import dev.him.requests.workflow.RequestMoving;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Nothing goes to quality review without a packet to review, and nothing is released without a
 * current packet and the fee quote for that very packet shown to the requester (a rebuilt packet
 * needs a new acknowledgement).
 */
@ApplicationScoped
class ReleaseGate {

  void onMoving(@Observes RequestMoving e) {
    if (e.to() != RoiStatus.QUALITY_REVIEW && e.to() != RoiStatus.RELEASED) {
      return;
    }
    List<InvalidParam> missing = new ArrayList<>();
    Optional<RoiPacket> packet = RoiPacket.currentOf(e.request().id);
    if (packet.isEmpty()) {
      missing.add(
          new InvalidParam("packet", "no packet built (POST .../packet while IN_PROCESSING)"));
    }
    if (e.to() == RoiStatus.RELEASED
        && (packet.isEmpty() || !FeeAcknowledgement.existsFor(packet.get().id))) {
      missing.add(
          new InvalidParam(
              "feeAcknowledgement",
              "the fee quote for the current packet was not shown to the requester (POST"
                  + " .../fee/acknowledgement)"));
    }
    if (!missing.isEmpty()) {
      throw new ProblemException(
          409,
          "Not ready for " + e.to(),
          e.to()
              + " needs "
              + String.join(" and ", missing.stream().map(InvalidParam::name).toList()),
          missing);
    }
  }
}
