package dev.him.coding.cases;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A coding_case row. */
record CaseRow(
    UUID id,
    String encounterId,
    String patientId,
    String encounterClass,
    Instant admittedAt,
    Instant dischargedAt,
    LocalDate dischargedOn,
    LocalDate birthDate,
    String gender,
    String dischargeDisposition,
    String attendingPractitionerId,
    String status,
    String heldStatus,
    String assignedTo,
    Instant assignedAt,
    int version,
    String principalDiagnosis,
    String icd10cmVersion,
    String icd10pcsVersion,
    String mceVersion,
    String msDrg,
    String drgVersion,
    String drgSource,
    Instant firstSavedAt,
    Instant lastSavedAt,
    String lastSavedBy,
    Instant finalizedAt,
    String finalizedBy,
    int finalCount,
    Instant openedAt) {

  static final String COLUMNS =
      "id, encounter_id, patient_id, encounter_class, admitted_at, discharged_at, discharged_on,"
          + " patient_birth_date, patient_gender, discharge_disposition, attending_practitioner_id,"
          + " status, held_status, assigned_to, assigned_at, version, principal_diagnosis,"
          + " icd10cm_version, icd10pcs_version, mce_version, ms_drg, drg_version, drg_source,"
          + " first_saved_at, last_saved_at, last_saved_by, finalized_at, finalized_by,"
          + " final_count, opened_at";

  static CaseRow read(ResultSet rs) throws SQLException {
    return new CaseRow(
        rs.getObject("id", UUID.class),
        rs.getString("encounter_id"),
        rs.getString("patient_id"),
        rs.getString("encounter_class"),
        Sql.instant(rs, "admitted_at"),
        Sql.instant(rs, "discharged_at"),
        Sql.date(rs, "discharged_on"),
        Sql.date(rs, "patient_birth_date"),
        rs.getString("patient_gender"),
        rs.getString("discharge_disposition"),
        rs.getString("attending_practitioner_id"),
        rs.getString("status"),
        rs.getString("held_status"),
        rs.getString("assigned_to"),
        Sql.instant(rs, "assigned_at"),
        rs.getInt("version"),
        rs.getString("principal_diagnosis"),
        rs.getString("icd10cm_version"),
        rs.getString("icd10pcs_version"),
        rs.getString("mce_version"),
        rs.getString("ms_drg"),
        rs.getString("drg_version"),
        rs.getString("drg_source"),
        Sql.instant(rs, "first_saved_at"),
        Sql.instant(rs, "last_saved_at"),
        rs.getString("last_saved_by"),
        Sql.instant(rs, "finalized_at"),
        rs.getString("finalized_by"),
        rs.getInt("final_count"),
        Sql.instant(rs, "opened_at"));
  }

  boolean isFinal() {
    return CaseStatus.FINAL.equals(status);
  }
}
