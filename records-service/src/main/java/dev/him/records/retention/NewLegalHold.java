package dev.him.records.retention;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A hold on exactly one of: a patient, an encounter. */
public record NewLegalHold(
    @Schema(description = "FHIR Patient id; give this or encounterId")
        @Size(max = 64)
        @Pattern(regexp = ID, message = ID_MESSAGE)
        String patientId,
    @Schema(description = "FHIR Encounter id; give this or patientId")
        @Size(max = 64)
        @Pattern(regexp = ID, message = ID_MESSAGE)
        String encounterId,
    @Schema(description = "The matter or case name") @NotBlank @Size(max = 200) String matter,
    @NotBlank @Size(max = 2000) String reason) {

  static final String ID = "[A-Za-z0-9.-]*";
  static final String ID_MESSAGE = "must be a FHIR id: letters, digits, - and .";
}
