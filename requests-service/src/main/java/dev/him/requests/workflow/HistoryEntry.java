package dev.him.requests.workflow;

import dev.him.requests.roi.RoiStatus;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One line of a request's history: who moved it, when, from and to what, and why. */
public record HistoryEntry(
    RoiStatus from,
    RoiStatus to,
    String reason,
    String note,
    IdentityMethod identityMethod,
    String by,
    Instant at,
    @Schema(description = "Set when the entry is not a move: PATIENT_CONFIRMED, ASSIGNED, ...")
        String event) {

  static HistoryEntry of(RoiTransition t) {
    return new HistoryEntry(
        t.fromStatus, t.toStatus, t.reason, t.note, t.identityMethod, t.actor, t.at, t.event);
  }
}
