package dev.him.requests.intake;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The patient match of a request: what the requester described and what records-service holds. */
public record PatientMatchView(
    UUID requestId,
    MatchStatus status,
    String patientId,
    PatientDescription described,
    List<MatchCandidate> candidates,
    Instant runAt,
    String confirmedBy,
    Instant confirmedAt,
    String note) {}
