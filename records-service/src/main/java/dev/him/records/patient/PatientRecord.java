package dev.him.records.patient;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The current version of a patient: the FHIR resource plus the columns search needs. */
@Entity
@Table(name = "patient")
public class PatientRecord extends PanacheEntityBase {
  @Id public String id;

  @Column(name = "version_id")
  public int versionId;

  public String mrn;
  public String family;
  public String given;

  @Column(name = "name_tokens")
  public String nameTokens;

  @Column(name = "family_tokens")
  public String familyTokens;

  @Column(name = "given_tokens")
  public String givenTokens;

  @Column(name = "birth_date")
  public LocalDate birthDate;

  public String gender;

  @JdbcTypeCode(SqlTypes.JSON)
  public String resource;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "created_by")
  public String createdBy;

  @Column(name = "updated_at")
  public Instant updatedAt;

  @Column(name = "updated_by")
  public String updatedBy;

  /**
   * The survivor this patient was merged into (from its Patient.link replaced-by), or null. Kept by
   * {@link PatientService#fillSearchColumns} like the other search columns.
   */
  @Column(name = "merged_into")
  public String mergedInto;

  /** Set when the patient was (logically) deleted; the row and its versions stay. */
  @Column(name = "deleted_at")
  public Instant deletedAt;
}
