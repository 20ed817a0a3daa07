package dev.him.coding.icd10cm;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;

/** One ICD-10-CM code (header or billable) of one release, as the CDC order file lists it. */
@Entity
@Table(name = "icd10cm_code")
public class Icd10CmCode extends PanacheEntityBase {

  /** Release and code without the dot ("FY2025", "E119"). */
  @Embeddable
  public record Key(@Column(name = "code_set_version") String codeSetVersion, String code)
      implements Serializable {}

  @EmbeddedId public Key key;

  @Column(name = "display_code")
  public String displayCode;

  public boolean billable;

  @Column(name = "short_description")
  public String shortDescription;

  @Column(name = "long_description")
  public String longDescription;

  @Column(name = "order_number")
  public int orderNumber;
}
