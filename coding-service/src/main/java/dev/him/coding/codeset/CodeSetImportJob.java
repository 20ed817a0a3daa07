package dev.him.coding.codeset;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One import run. Written in short transactions of its own (queued, running, progress, the end),
 * never in the load's transaction, so progress shows while the load runs and a failed load still
 * leaves its error here.
 */
@Entity
@Table(name = "code_set_import_job")
public class CodeSetImportJob extends PanacheEntityBase {
  public static final String QUEUED = "queued";
  public static final String RUNNING = "running";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String SKIPPED = "skipped";

  @Id public UUID id;

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

  public String status;

  @Column(name = "rows_read")
  public int rowsRead;

  /** Rows of the release: known at the end (stored, or stored by the earlier load). */
  @Column(name = "rows_total")
  public Integer rowsTotal;

  public int percent;

  public String error;

  @Column(name = "error_line")
  public Integer errorLine;

  @Column(name = "requested_by")
  public String requestedBy;

  @Column(name = "requested_at")
  public Instant requestedAt;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  @Column(name = "duration_ms")
  public Long durationMs;
}
