package dev.him.requests.disclosure;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** An accounting request as the API returns it. */
public record AccountingRequestView(
    UUID id,
    String patientId,
    String requesterName,
    String requesterAddress,
    LocalDate receivedOn,
    LocalDate dueOn,
    LocalDate originalDueOn,
    Extension extension,
    BigDecimal fee,
    boolean free,
    LocalDate feeNoticeSentOn,
    AccountingRequest.Status status,
    LocalDate periodFrom,
    LocalDate periodTo,
    Instant fulfilledAt,
    String fulfilledBy,
    Instant createdAt,
    String createdBy) {

  /** The one 30-day extension (164.528(c)(2)); null until recorded. */
  public record Extension(
      String reason, LocalDate noticeSentOn, Instant recordedAt, String recordedBy) {}

  static AccountingRequestView of(AccountingRequest r) {
    return new AccountingRequestView(
        r.id,
        r.patientId,
        r.requesterName,
        r.requesterAddress,
        r.receivedOn,
        r.dueOn,
        r.originalDueOn,
        r.extensionRecordedAt == null
            ? null
            : new Extension(
                r.extensionReason,
                r.extensionNoticeSentOn,
                r.extensionRecordedAt,
                r.extensionRecordedBy),
        r.fee,
        r.free,
        r.feeNoticeSentOn,
        r.status,
        r.periodFrom,
        r.periodTo,
        r.fulfilledAt,
        r.fulfilledBy,
        r.createdAt,
        r.createdBy);
  }
}
