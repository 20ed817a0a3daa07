package dev.him.requests.disclosure;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An individual's request for an accounting of disclosures (164.528(c)). */
@Entity
@Table(name = "roi_accounting_request")
public class AccountingRequest extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "patient_id")
  public String patientId;

  @Column(name = "requester_name")
  public String requesterName;

  @Column(name = "requester_address")
  public String requesterAddress;

  @Column(name = "received_on")
  public LocalDate receivedOn;

  @Column(name = "due_on")
  public LocalDate dueOn;

  @Column(name = "original_due_on")
  public LocalDate originalDueOn;

  @Column(name = "extension_reason")
  public String extensionReason;

  @Column(name = "extension_notice_sent_on")
  public LocalDate extensionNoticeSentOn;

  @Column(name = "extension_recorded_at")
  public Instant extensionRecordedAt;

  @Column(name = "extension_recorded_by")
  public String extensionRecordedBy;

  public BigDecimal fee;

  public boolean free;

  @Column(name = "fee_notice_sent_on")
  public LocalDate feeNoticeSentOn;

  @Enumerated(EnumType.STRING)
  public Status status;

  @Column(name = "period_from")
  public LocalDate periodFrom;

  @Column(name = "period_to")
  public LocalDate periodTo;

  /** The report as given (AccountingReport as JSON), so a later download is the same report. */
  @JdbcTypeCode(SqlTypes.JSON)
  public String report;

  @Column(name = "fulfilled_at")
  public Instant fulfilledAt;

  @Column(name = "fulfilled_by")
  public String fulfilledBy;

  @Version public long version;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "created_by")
  public String createdBy;

  public enum Status {
    OPEN,
    FULFILLED
  }
}
