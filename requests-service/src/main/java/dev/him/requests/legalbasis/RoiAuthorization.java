package dev.him.requests.legalbasis;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** The authorization behind a request, stored as received; the checks say what is wrong. */
@Entity
@Table(name = "roi_authorization")
public class RoiAuthorization extends PanacheEntityBase {
  @Id
  @Column(name = "request_id")
  public UUID requestId;

  @Column(name = "information_description")
  public String informationDescription;

  public String discloser;
  public String recipient;
  public String purpose;

  @Column(name = "expires_on")
  public LocalDate expiresOn;

  @Column(name = "expiration_event")
  public String expirationEvent;

  @Column(name = "expiration_event_occurred")
  public boolean expirationEventOccurred;

  public boolean signed;

  @Column(name = "signed_on")
  public LocalDate signedOn;

  @Enumerated(EnumType.STRING)
  @Column(name = "signer_type")
  public SignerType signerType;

  @Column(name = "representative_authority")
  public String representativeAuthority;

  @Column(name = "statement_right_to_revoke")
  public boolean statementRightToRevoke;

  @Column(name = "statement_conditioning")
  public boolean statementConditioning;

  @Column(name = "statement_redisclosure")
  public boolean statementRedisclosure;

  @Column(name = "covers_psychotherapy_notes")
  public boolean coversPsychotherapyNotes;

  @Column(name = "covers_other_records")
  public boolean coversOtherRecords;

  @Column(name = "covers_sud_records")
  public boolean coversSudRecords;

  @Column(name = "part2_patient_name")
  public String part2PatientName;

  @Column(name = "part2_recipient")
  public String part2Recipient;

  @Column(name = "part2_purpose")
  public String part2Purpose;

  @Column(name = "part2_amount_and_kind")
  public String part2AmountAndKind;

  @Column(name = "part2_expiration")
  public String part2Expiration;

  @Column(name = "part2_right_to_revoke")
  public boolean part2RightToRevoke;

  @Column(name = "part2_redisclosure_notice")
  public boolean part2RedisclosureNotice;

  @Column(name = "revoked_at")
  public Instant revokedAt;

  @Column(name = "revoked_on")
  public LocalDate revokedOn;

  @Column(name = "revoked_by")
  public String revokedBy;

  @Column(name = "revocation_reason")
  public String revocationReason;

  @Column(name = "revocation_recorded_by")
  public String revocationRecordedBy;

  @Column(name = "updated_at")
  public Instant updatedAt;

  @Column(name = "updated_by")
  public String updatedBy;
}
