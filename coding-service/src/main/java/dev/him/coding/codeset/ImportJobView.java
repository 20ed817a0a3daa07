package dev.him.coding.codeset;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * An import job as the API shows it.
 *
 * @param status queued, running, succeeded, failed or skipped (the release was loaded already)
 * @param percent of the file read; 100 when the job succeeded or was skipped
 * @param rowsRead rows read from the file so far
 * @param rowsTotal rows of the release once known: stored now, or by the earlier load when skipped
 * @param error why the job failed; names the line when the file is at fault
 * @param errorLine the line (row, for a workbook) of the file at fault, when there is one
 * @param durationMs how long the load ran
 */
public record ImportJobView(
    UUID id,
    String codeSystem,
    String version,
    Integer fiscalYear,
    LocalDate effectiveFrom,
    LocalDate effectiveTo,
    String fileName,
    String fileSha256,
    String status,
    int percent,
    int rowsRead,
    Integer rowsTotal,
    String error,
    Integer errorLine,
    String requestedBy,
    Instant requestedAt,
    Instant startedAt,
    Instant finishedAt,
    Long durationMs) {

  static ImportJobView of(CodeSetImportJob j) {
    return new ImportJobView(
        j.id,
        j.codeSystem,
        j.version,
        j.fiscalYear,
        j.effectiveFrom,
        j.effectiveTo,
        j.fileName,
        j.fileSha256,
        j.status,
        j.percent,
        j.rowsRead,
        j.rowsTotal,
        j.error,
        j.errorLine,
        j.requestedBy,
        j.requestedAt,
        j.startedAt,
        j.finishedAt,
        j.durationMs);
  }
}
