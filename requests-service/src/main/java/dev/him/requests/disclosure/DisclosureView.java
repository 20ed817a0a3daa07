package dev.him.requests.disclosure;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** An entry of the ledger as staff see it, excluded or not. */
public record DisclosureView(
    UUID id,
    UUID requestId,
    String patientId,
    LocalDate disclosedOn,
    String recipientName,
    String recipientAddress,
    String description,
    String purpose,
    String requestReference,
    String basis,
    boolean accountable,
    ExclusionCategory exclusion,
    String exclusionReason,
    DisclosureSource source,
    Instant createdAt,
    String createdBy) {

  static DisclosureView of(RoiDisclosure d) {
    return new DisclosureView(
        d.id,
        d.requestId,
        d.patientId,
        d.disclosedOn,
        d.recipientName,
        d.recipientAddress,
        d.description,
        d.purpose,
        d.requestReference,
        d.basis,
        d.accountable,
        d.exclusion,
        d.exclusionReason,
        d.source,
        d.createdAt,
        d.createdBy);
  }
}
