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

/** A subpoena or discovery request without a court order, with its satisfactory assurance. */
@Entity
@Table(name = "roi_subpoena")
public class RoiSubpoena extends PanacheEntityBase {
  @Id
  @Column(name = "request_id")
  public UUID requestId;

  @Column(name = "issued_on")
  public LocalDate issuedOn;

  @Column(name = "notice_given_on")
  public LocalDate noticeGivenOn;

  @Column(name = "objection_period_ends_on")
  public LocalDate objectionPeriodEndsOn;

  @Enumerated(EnumType.STRING)
  @Column(name = "protective_order")
  public ProtectiveOrder protectiveOrder;

  @Column(name = "updated_at")
  public Instant updatedAt;

  @Column(name = "updated_by")
  public String updatedBy;
}
