package dev.him.coding.codeset;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A release loaded completely.
 *
 * @param inForce whether it is the release of its code system in force today
 */
public record LoadedRelease(
    String codeSystem,
    String version,
    Integer fiscalYear,
    LocalDate effectiveFrom,
    LocalDate effectiveTo,
    String fileName,
    String fileSha256,
    int rows,
    String importedBy,
    Instant importedAt,
    boolean inForce) {}
