package dev.him.requests.intake;

import dev.him.requests.roi.AuthorityDocument;
import dev.him.requests.workflow.IdentityMethod;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * How the requester's identity was verified (164.514(h)), once per request: the method, what was
 * seen (never a full ID number) and, for a personal representative, the authority checked.
 */
@Entity
@Table(name = "roi_identity_verification")
public class IdentityVerification extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "request_id")
  public UUID requestId;

  @Enumerated(EnumType.STRING)
  public IdentityMethod method;

  @Column(name = "evidence_note")
  public String evidenceNote;

  @Enumerated(EnumType.STRING)
  @Column(name = "authority_document")
  public AuthorityDocument authorityDocument;

  @Column(name = "authority_verified")
  public boolean authorityVerified;

  @Column(name = "verified_by")
  public String verifiedBy;

  @Column(name = "verified_at")
  public Instant verifiedAt;

  public static Optional<IdentityVerification> ofRequest(UUID requestId) {
    return find("requestId", requestId).firstResultOptional();
  }
}
