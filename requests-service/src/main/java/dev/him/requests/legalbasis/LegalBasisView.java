package dev.him.requests.legalbasis;

import dev.him.requests.roi.RequestType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A request's legal basis: the scope asked for, the documents on file and the current check. */
public record LegalBasisView(
    UUID requestId,
    RequestType requestType,
    RequestScope scope,
    StoredAuthorization authorization,
    StoredCourtOrder courtOrder,
    StoredSubpoena subpoena,
    LegalBasisCheck check) {

  public record StoredAuthorization(
      AuthorizationDocument document, Revocation revocation, Instant updatedAt, String updatedBy) {}

  public record Revocation(
      LocalDate receivedOn,
      String revokedBy,
      String reason,
      Instant recordedAt,
      String recordedBy) {}

  public record StoredCourtOrder(
      CourtOrderDocument document, Instant updatedAt, String updatedBy) {}

  public record StoredSubpoena(SubpoenaDocument document, Instant updatedAt, String updatedBy) {}
}
