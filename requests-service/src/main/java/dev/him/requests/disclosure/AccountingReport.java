package dev.him.requests.disclosure;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The accounting of disclosures given to the individual (164.528(b)): the accountable disclosures
 * of the period, oldest first. It says nothing of suspended entries or of exclusions.
 *
 * @param accountingRequestId the accounting request it answers, or null for a read by staff
 */
public record AccountingReport(
    UUID accountingRequestId,
    String patientId,
    LocalDate periodFrom,
    LocalDate periodTo,
    List<Entry> entries,
    Instant generatedAt,
    String generatedBy) {

  /** One disclosure: date, recipient and address, what, why (164.528(b)(2)). */
  public record Entry(
      LocalDate disclosedOn,
      String recipientName,
      String recipientAddress,
      String description,
      String purpose,
      String basis) {

    static Entry of(RoiDisclosure d) {
      return new Entry(
          d.disclosedOn, d.recipientName, d.recipientAddress, d.description, d.purpose, d.basis);
    }
  }
}
