package dev.him.events.v1;

import java.time.Instant;
import java.util.UUID;

/**
 * A release-of-information request was denied. The reason is the one given to the requester (45 CFR
 * 164.524(d)(2)); it names grounds, not clinical content.
 */
public record RequestDenied(
    UUID eventId,
    Instant occurredAt,
    String requestId,
    String patientId,
    String basis,
    String reason,
    String deniedBy,
    String correlationId) {
  public static final String TYPE = "RequestDenied";
  public static final int VERSION = 1;
}
