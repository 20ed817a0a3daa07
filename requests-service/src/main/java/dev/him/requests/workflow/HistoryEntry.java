package dev.him.requests.workflow;

import dev.him.requests.roi.RoiStatus;
import java.time.Instant;

/** One line of a request's history: who moved it, when, from and to what, and why. */
public record HistoryEntry(
    RoiStatus from,
    RoiStatus to,
    String reason,
    String note,
    IdentityMethod identityMethod,
    String by,
    Instant at) {

  static HistoryEntry of(RoiTransition t) {
    return new HistoryEntry(
        t.fromStatus, t.toStatus, t.reason, t.note, t.identityMethod, t.actor, t.at);
  }
}
