package dev.him.requests.roi;

import dev.him.requests.intake.MatchCandidate;
import dev.him.requests.intake.MatchStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A release-of-information request for one patient's records. */
@Entity
@Table(name = "roi_request")
public class RoiRequest extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "patient_id")
  public String patientId;

  @Enumerated(EnumType.STRING)
  @Column(name = "requester_type")
  public RequesterType requesterType;

  @Column(name = "requester_name")
  public String requesterName;

  @Column(name = "requester_address")
  public String requesterAddress;

  @Enumerated(EnumType.STRING)
  @Column(name = "request_type")
  public RequestType requestType;

  @Column(name = "received_on")
  public LocalDate receivedOn;

  @Column(name = "records_requested")
  public String recordsRequested;

  public String purpose;

  @Enumerated(EnumType.STRING)
  @Column(name = "delivery_format")
  public DeliveryFormat deliveryFormat;

  @Enumerated(EnumType.STRING)
  public RoiStatus status;

  /** The day the answer is due: the original due date, or the extended one. */
  @Column(name = "due_on")
  public LocalDate dueOn;

  /** Receipt plus the days its basis allows (dev.him.requests.workflow.Deadlines). */
  @Column(name = "original_due_on")
  public LocalDate originalDueOn;

  /** Optimistic concurrency: a transition names the version it saw (If-Match). */
  @Version public long version;

  // The one right-of-access extension (164.524(b)(2)(iii)); null until recorded.

  @Column(name = "extension_reason")
  public String extensionReason;

  @Column(name = "extension_notice_sent_on")
  public LocalDate extensionNoticeSentOn;

  @Column(name = "extension_recorded_at")
  public Instant extensionRecordedAt;

  @Column(name = "extension_recorded_by")
  public String extensionRecordedBy;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "created_by")
  public String createdBy;

  // What is asked for in structured form, set through PUT .../scope (legalbasis package); the
  // legal-basis checks compare it with the documents. Null when not given.

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "requested_record_types")
  public List<String> requestedRecordTypes;

  /** Names of dev.him.requests.legalbasis.SensitiveCategory. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "requested_categories")
  public List<String> requestedCategories;

  @Column(name = "requested_from")
  public LocalDate requestedFrom;

  @Column(name = "requested_to")
  public LocalDate requestedTo;

  // --- intake (V4): requester details, delivery, the described patient and its match ---

  @Column(name = "requester_relationship")
  public String requesterRelationship;

  @Enumerated(EnumType.STRING)
  @Column(name = "requester_authority")
  public AuthorityDocument requesterAuthority;

  @Column(name = "requester_organization")
  public String requesterOrganization;

  @Column(name = "requester_email")
  public String requesterEmail;

  @Column(name = "requester_phone")
  public String requesterPhone;

  @Column(name = "requester_fax")
  public String requesterFax;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "requester_postal_address")
  public PostalAddress requesterPostalAddress;

  @Enumerated(EnumType.STRING)
  @Column(name = "delivery_method")
  public DeliveryMethod deliveryMethod;

  @Column(name = "delivery_email")
  public String deliveryEmail;

  @Column(name = "delivery_fax")
  public String deliveryFax;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "delivery_postal_address")
  public PostalAddress deliveryPostalAddress;

  @Column(name = "delivery_unencrypted_email")
  public boolean deliveryUnencryptedEmail;

  @Column(name = "delivery_risk_accepted")
  public boolean deliveryRiskAccepted;

  /** REQUIRED_BY_LAW: the law or authority cited. */
  @Column(name = "legal_authority_cited")
  public String legalAuthorityCited;

  @Column(name = "patient_family")
  public String patientFamily;

  @Column(name = "patient_given")
  public String patientGiven;

  @Column(name = "patient_birth_date")
  public LocalDate patientBirthDate;

  @Column(name = "patient_identifier")
  public String patientIdentifier;

  @Column(name = "patient_phone")
  public String patientPhone;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "patient_postal_address")
  public PostalAddress patientPostalAddress;

  /** Null on rows logged before matching existed (their patientId was given by staff). */
  @Enumerated(EnumType.STRING)
  @Column(name = "patient_match_status")
  public MatchStatus patientMatchStatus;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "patient_match_candidates")
  public List<MatchCandidate> patientMatchCandidates;

  @Column(name = "patient_match_run_at")
  public Instant patientMatchRunAt;

  @Column(name = "patient_confirmed_by")
  public String patientConfirmedBy;

  @Column(name = "patient_confirmed_at")
  public Instant patientConfirmedAt;

  @Column(name = "patient_match_note")
  public String patientMatchNote;

  /** The technician working the request; null when unassigned. */
  public String assignee;

  @Column(name = "assigned_at")
  public Instant assignedAt;

  /** The patient ids an access event names: none while the patient is not yet known. */
  public List<String> patientIds() {
    return patientId == null ? List.of() : List.of(patientId);
  }

  /**
   * Whether the patient is settled: matched exactly, confirmed by a person, or (rows logged before
   * matching existed) given by staff.
   */
  public boolean patientConfirmed() {
    return patientId != null
        && (patientMatchStatus == null
            || patientMatchStatus == MatchStatus.EXACT
            || patientMatchStatus == MatchStatus.CONFIRMED);
  }
}
