package dev.him.requests.legalbasis;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A court order behind a request; what it names is all that may be released. */
@Entity
@Table(name = "roi_court_order")
public class RoiCourtOrder extends PanacheEntityBase {
  @Id
  @Column(name = "request_id")
  public UUID requestId;

  @Column(name = "issuing_court")
  public String issuingCourt;

  @Column(name = "issued_on")
  public LocalDate issuedOn;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "record_types")
  public List<String> recordTypes;

  /** Sensitive categories the order names expressly; none unless named. */
  @JdbcTypeCode(SqlTypes.JSON)
  public List<String> categories;

  @Column(name = "date_from")
  public LocalDate dateFrom;

  @Column(name = "date_to")
  public LocalDate dateTo;

  @Column(name = "updated_at")
  public Instant updatedAt;

  @Column(name = "updated_by")
  public String updatedBy;
}
