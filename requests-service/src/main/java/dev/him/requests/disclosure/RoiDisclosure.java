package dev.him.requests.disclosure;

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
import org.hibernate.annotations.Immutable;

/**
 * One entry of the accounting of disclosures (45 CFR 164.528(b)(2)). Written once; the database
 * refuses any UPDATE or DELETE (trigger in V6), and Hibernate never issues one (@Immutable).
 */
@Entity
@Immutable
@Table(name = "roi_disclosure")
public class RoiDisclosure extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "request_id")
  public UUID requestId;

  @Column(name = "patient_id")
  public String patientId;

  @Column(name = "disclosed_on")
  public LocalDate disclosedOn;

  @Column(name = "recipient_name")
  public String recipientName;

  @Column(name = "recipient_address")
  public String recipientAddress;

  public String description;

  public String purpose;

  @Column(name = "request_reference")
  public String requestReference;

  public String basis;

  public boolean accountable;

  @Enumerated(EnumType.STRING)
  public ExclusionCategory exclusion;

  @Column(name = "exclusion_reason")
  public String exclusionReason;

  @Enumerated(EnumType.STRING)
  public DisclosureSource source;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "created_by")
  public String createdBy;

  void exclude(ExclusionCategory category) {
    accountable = category == null;
    exclusion = category;
    exclusionReason = category == null ? null : category.reason();
  }
}
