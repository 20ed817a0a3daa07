package dev.him.events.v1;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A release-of-information request was released: the packet went to the recipient. Carries the
 * disclosure entries written for the accounting of disclosures (45 CFR 164.528) and the packet's
 * SHA-256, never the packet itself.
 */
public record RequestReleased(
    UUID eventId,
    Instant occurredAt,
    String requestId,
    String patientId,
    String basis,
    String packetSha256,
    int pageCount,
    List<Disclosure> disclosures,
    String releasedBy,
    String correlationId) {
  public static final String TYPE = "RequestReleased";
  public static final int VERSION = 1;

  public RequestReleased {
    disclosures = disclosures == null ? List.of() : List.copyOf(disclosures);
  }

  /**
   * One entry of the accounting of disclosures.
   *
   * @param description what information was disclosed (record types, dates), not the content
   * @param accountable false when the rule excludes it from the accounting (to the individual,
   *     under an authorization, treatment...)
   */
  public record Disclosure(
      String disclosureId,
      LocalDate disclosedOn,
      String recipient,
      String description,
      String purpose,
      String basis,
      boolean accountable) {}
}
