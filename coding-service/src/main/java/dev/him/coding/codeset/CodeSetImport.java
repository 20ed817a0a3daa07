package dev.him.coding.codeset;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A code set release that has been loaded completely (written by {@link ReleaseLoader} in the
 * transaction that loads its rows). Lookups join on it by entity name ({@code CodeSetImport}).
 */
@Entity
@Table(name = "code_set_import")
public class CodeSetImport extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "code_system")
  public String codeSystem;

  public String version;

  @Column(name = "fiscal_year")
  public Integer fiscalYear;

  @Column(name = "effective_from")
  public LocalDate effectiveFrom;

  @Column(name = "effective_to")
  public LocalDate effectiveTo;

  @Column(name = "file_name")
  public String fileName;

  @Column(name = "file_sha256")
  public String fileSha256;

  @Column(name = "row_count")
  public int rowCount;

  @Column(name = "imported_at")
  public Instant importedAt;

  @Column(name = "imported_by")
  public String importedBy;
}
