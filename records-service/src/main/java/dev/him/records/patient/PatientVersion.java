package dev.him.records.patient;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Every version a patient has had, never updated or deleted. */
@Entity
@Table(name = "patient_version")
public class PatientVersion extends PanacheEntityBase {

  @Embeddable
  public record Key(
      @Column(name = "patient_id") String patientId, @Column(name = "version_id") int versionId)
      implements Serializable {}

  @EmbeddedId public Key key;

  @JdbcTypeCode(SqlTypes.JSON)
  public String resource;

  @Column(name = "recorded_at")
  public Instant recordedAt;

  @Column(name = "recorded_by")
  public String recordedBy;

  public String reason;

  /** How the version was made: POST (create), PUT (update) or DELETE. */
  public String method;
}
