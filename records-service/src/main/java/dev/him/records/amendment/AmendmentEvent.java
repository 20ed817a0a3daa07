package dev.him.records.amendment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One step of a request's trail, never changed: who did what, when. */
@Entity
@Table(name = "amendment_event")
public class AmendmentEvent extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "amendment_id")
  public UUID amendmentId;

  /** record, extension, accept, deny, disagreement, rebuttal */
  public String action;

  @Enumerated(EnumType.STRING)
  @Column(name = "from_status")
  public AmendmentStatus fromStatus;

  @Enumerated(EnumType.STRING)
  @Column(name = "to_status")
  public AmendmentStatus toStatus;

  @Column(name = "recorded_at")
  public Instant recordedAt;

  @Column(name = "recorded_by")
  public String recordedBy;

  /** Facts of the step (dates, ground, version), never the individual's words. */
  public String detail;
}
