package dev.him.records.retention;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/** A legal hold as the API returns it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LegalHoldView(
    UUID id,
    HoldScope scope,
    String patientId,
    String encounterId,
    String matter,
    String reason,
    boolean active,
    Instant placedAt,
    String placedBy,
    Instant releasedAt,
    String releasedBy,
    String releaseReason) {

  static LegalHoldView of(LegalHold h) {
    return new LegalHoldView(
        h.id,
        h.scope,
        h.patientId,
        h.encounterId,
        h.matter,
        h.reason,
        h.active(),
        h.placedAt,
        h.placedBy,
        h.releasedAt,
        h.releasedBy,
        h.releaseReason);
  }
}
