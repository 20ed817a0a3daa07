package dev.him.requests.roi;

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
}
