package dev.him.events.v1;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A release-of-information request was logged. Carries no requester contact details or record
 * content: consumers that need more read the request from requests-service.
 *
 * @param requesterType who asked (INDIVIDUAL, ATTORNEY, ...), not their name
 * @param basis the legal basis (RIGHT_OF_ACCESS, AUTHORIZATION, ...)
 */
public record RequestReceived(
    UUID eventId,
    Instant occurredAt,
    String requestId,
    String patientId,
    String requesterType,
    String basis,
    LocalDate receivedOn,
    LocalDate dueOn,
    String receivedBy,
    String correlationId) {
  public static final String TYPE = "RequestReceived";
  public static final int VERSION = 1;
}
