package dev.him.records.retention;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A legal hold: while active (not released), nothing it covers may be deleted or destroyed.
 * Released holds stay, with who released them and why.
 */
@Entity
@Table(name = "legal_hold")
public class LegalHold extends PanacheEntityBase {
  @Id public UUID id;

  @Enumerated(EnumType.STRING)
  public HoldScope scope;

  /** The patient held, or (ENCOUNTER scope) the encounter's patient, if it has one. */
  @Column(name = "patient_id")
  public String patientId;

  @Column(name = "encounter_id")
  public String encounterId;

  /** The matter or case the hold serves, e.g. "Doe v. General Hospital, 24-CV-1234". */
  public String matter;

  public String reason;

  @Column(name = "placed_at")
  public Instant placedAt;

  @Column(name = "placed_by")
  public String placedBy;

  @Column(name = "released_at")
  public Instant releasedAt;

  @Column(name = "released_by")
  public String releasedBy;

  @Column(name = "release_reason")
  public String releaseReason;

  public boolean active() {
    return releasedAt == null;
  }
}
