package dev.him.coding.cases;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** One row of the work queue. */
public record CaseSummary(
    UUID id,
    String encounterId,
    String patientId,
    String encounterClass,
    Instant dischargedAt,
    LocalDate dischargedOn,
    long ageDays,
    String status,
    String assignedTo,
    String principalDiagnosis,
    String msDrg,
    long errors,
    long warnings,
    long openQueries,
    int version) {}
