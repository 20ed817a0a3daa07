package dev.him.coding.cases;

import dev.him.events.v1.CodedEntry;
import dev.him.events.v1.EncounterDischarged;
import java.util.List;
import java.util.UUID;

/**
 * What an encounter recorded, as the discharge event brought it: for computer-assisted coding.
 *
 * @param diagnoses conditions as recorded (SNOMED CT, ICD-10-CM or other systems)
 * @param reasons reason-for-visit texts
 * @param documents the encounter's document texts
 */
public record RecordedEncounter(
    UUID caseId,
    String encounterId,
    String patientId,
    String icd10cmVersion,
    List<CodedEntry> diagnoses,
    List<CodedEntry> procedures,
    List<String> reasons,
    List<EncounterDischarged.DocumentText> documents) {}
