package dev.him.coding.cases;

import java.time.Instant;
import java.util.UUID;

/**
 * A coder's question to a physician.
 *
 * @param status open (holds the case), answered, closed, withdrawn
 */
public record QueryView(
    UUID id,
    UUID caseId,
    String question,
    String toPractitioner,
    String status,
    String askedBy,
    Instant askedAt,
    String answer,
    String answeredBy,
    Instant answeredAt,
    String closedBy,
    Instant closedAt,
    String closeReason) {}
