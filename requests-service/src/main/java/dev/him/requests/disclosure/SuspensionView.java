package dev.him.requests.disclosure;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A stored suspension, for the privacy officer; never part of the individual's report. */
public record SuspensionView(
    UUID id,
    String patientId,
    String agency,
    String official,
    String statement,
    StatementKind statementKind,
    LocalDate startsOn,
    LocalDate endsOn,
    boolean active,
    Instant createdAt,
    String createdBy) {

  static SuspensionView of(AccountingSuspension s, LocalDate today) {
    return new SuspensionView(
        s.id,
        s.patientId,
        s.agency,
        s.official,
        s.statement,
        s.statementKind,
        s.startsOn,
        s.endsOn,
        s.activeOn(today),
        s.createdAt,
        s.createdBy);
  }
}
