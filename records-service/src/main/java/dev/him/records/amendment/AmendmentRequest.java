package dev.him.records.amendment;

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

/**
 * An individual's request to amend their record, with everything that followed it. Its texts are
 * PHI: they are stored and returned, never logged nor put into events.
 */
@Entity
@Table(name = "amendment_request")
public class AmendmentRequest extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "patient_id")
  public String patientId;

  @Column(name = "target_type")
  public String targetType;

  @Column(name = "target_id")
  public String targetId;

  @Column(name = "target_version")
  public int targetVersion;

  @Enumerated(EnumType.STRING)
  @Column(name = "requester_type")
  public RequesterType requesterType;

  @Column(name = "requester_name")
  public String requesterName;

  @Column(name = "requester_relationship")
  public String requesterRelationship;

  @Column(name = "requested_change")
  public String requestedChange;

  public String reason;

  @Column(name = "received_on")
  public LocalDate receivedOn;

  @Column(name = "original_due_on")
  public LocalDate originalDueOn;

  /** The original due date, or the extended one. */
  @Column(name = "due_on")
  public LocalDate dueOn;

  @Enumerated(EnumType.STRING)
  public AmendmentStatus status;

  @Column(name = "extension_reason")
  public String extensionReason;

  @Column(name = "extension_notice_sent_on")
  public LocalDate extensionNoticeSentOn;

  @Column(name = "decided_at")
  public Instant decidedAt;

  @Column(name = "decided_by")
  public String decidedBy;

  @Column(name = "decision_note")
  public String decisionNote;

  @Column(name = "amended_version")
  public Integer amendedVersion;

  @Enumerated(EnumType.STRING)
  @Column(name = "denial_ground")
  public DenialGround denialGround;

  @Column(name = "denial_explanation")
  public String denialExplanation;

  @Column(name = "disagreement_text")
  public String disagreementText;

  @Column(name = "disagreement_author")
  public String disagreementAuthor;

  @Column(name = "disagreement_on")
  public LocalDate disagreementOn;

  @Column(name = "rebuttal_text")
  public String rebuttalText;

  @Column(name = "rebuttal_author")
  public String rebuttalAuthor;

  @Column(name = "rebuttal_on")
  public LocalDate rebuttalOn;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "created_by")
  public String createdBy;

  @Column(name = "updated_at")
  public Instant updatedAt;

  @Column(name = "updated_by")
  public String updatedBy;
}
