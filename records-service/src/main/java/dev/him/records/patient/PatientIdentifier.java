package dev.him.records.patient;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;

/** One identifier (system + value) of a patient; unique across the index. */
@Entity
@Table(name = "patient_identifier")
public class PatientIdentifier extends PanacheEntityBase {

  @Embeddable
  public record Key(String system, String value) implements Serializable {}

  @EmbeddedId public Key key;

  @Column(name = "patient_id")
  public String patientId;

  public static PatientIdentifier of(String system, String value, String patientId) {
    PatientIdentifier i = new PatientIdentifier();
    i.key = new Key(system, value);
    i.patientId = patientId;
    return i;
  }
}
