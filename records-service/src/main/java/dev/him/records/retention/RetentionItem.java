package dev.him.records.retention;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;

/**
 * A patient's record against the retention policy: when its last activity was, when retention ends
 * (or ended), by which rule and why, and whether a legal hold keeps it. In the report, with the
 * encounters that go with it. Identified by id and MRN only: the report needs no more.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetentionItem(
    String patientId,
    String mrn,
    LocalDate birthDate,
    LocalDate lastActivity,
    LocalDate retentionEndsOn,
    RetentionRule rule,
    String why,
    boolean pastRetention,
    boolean deleted,
    boolean held,
    List<String> holdMatters,
    List<EncounterItem> encounters) {

  /** An encounter of the patient: its end (or start, while open) and whether it was deleted. */
  public record EncounterItem(String id, LocalDate end, boolean deleted) {}
}
