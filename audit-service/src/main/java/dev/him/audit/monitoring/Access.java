package dev.him.audit.monitoring;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A successful access from the log, as the rules see it. */
public record Access(
    int chainId,
    long seq,
    UUID eventId,
    Instant occurredAt,
    String username,
    List<String> roles,
    String purposeOfUse,
    List<String> patientIds) {}
