package dev.him.requests.intake;

import dev.him.requests.roi.AuthorityDocument;
import dev.him.requests.workflow.IdentityMethod;
import java.time.Instant;
import java.util.UUID;

/** A stored identity verification. */
public record IdentityVerificationView(
    UUID requestId,
    IdentityMethod method,
    String evidenceNote,
    AuthorityDocument authorityDocument,
    boolean authorityVerified,
    String verifiedBy,
    Instant verifiedAt) {

  static IdentityVerificationView of(IdentityVerification v) {
    return new IdentityVerificationView(
        v.requestId,
        v.method,
        v.evidenceNote,
        v.authorityDocument,
        v.authorityVerified,
        v.verifiedBy,
        v.verifiedAt);
  }
}
