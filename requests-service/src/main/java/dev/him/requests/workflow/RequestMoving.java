package dev.him.requests.workflow;

import dev.him.requests.roi.RoiRequest;
import dev.him.requests.roi.RoiStatus;

/**
 * Fired synchronously, inside the transaction, when a request is about to move (after the workflow
 * rules, roles, version and legal basis have allowed it). An observer refuses the move by throwing
 * a ProblemException, e.g. no release before a packet is built; nothing of the move is kept.
 */
public record RequestMoving(RoiRequest request, RoiStatus from, RoiStatus to, String actor) {}
