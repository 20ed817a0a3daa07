package dev.him.requests.fees;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The fee for a request's current packet: lines, total, and whether this quote was shown to the
 * requester.
 *
 * @param requesterKind INDIVIDUAL (the patient's own request, 164.524(c)(4)) or THIRD_PARTY
 */
public record FeeQuote(
    UUID requestId,
    UUID packetId,
    String requesterKind,
    String deliveryFormat,
    int pages,
    FeeOptions options,
    List<FeeLine> lines,
    BigDecimal total,
    String currency,
    Acknowledgement acknowledgement) {

  /** The latest acknowledgement of the current packet's quote, if any. */
  public record Acknowledgement(
      UUID id,
      BigDecimal total,
      String shownTo,
      String shownVia,
      String recordedBy,
      Instant recordedAt) {
    static Acknowledgement of(FeeAcknowledgement a) {
      return a == null
          ? null
          : new Acknowledgement(a.id, a.total, a.shownTo, a.shownVia, a.recordedBy, a.recordedAt);
    }
  }
}
