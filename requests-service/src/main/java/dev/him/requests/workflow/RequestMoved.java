package dev.him.requests.workflow;

import dev.him.requests.roi.RoiRequest;
import dev.him.requests.roi.RoiStatus;

/**
 * Fired synchronously, inside the transaction, after a request moved and its history row was
 * written; also on receipt (from null to RECEIVED). Observers write what follows from the move in
 * the same transaction (disclosure entries and events on release, the event of a denial), so a
 * failure rolls the move back with them.
 *
 * @param reason the reason given for a denial or cancellation, else null
 */
public record RequestMoved(
    RoiRequest request, RoiStatus from, RoiStatus to, String actor, String reason) {}
