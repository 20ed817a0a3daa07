package dev.him.records.encounter;

import java.time.Instant;

/**
 * An encounter seen discharged (a row of encounter_discharge).
 *
 * @param dischargedAt Encounter.period.end when recorded, else the time the discharge was seen
 */
public record Discharge(String encounterId, String patientId, Instant dischargedAt) {}
