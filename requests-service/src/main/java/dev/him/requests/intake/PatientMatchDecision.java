package dev.him.requests.intake;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A person's decision on a match: the patient confirmed, or no record of this patient. */
public record PatientMatchDecision(
    @Schema(description = "The records-service patient confirmed; leave out with noMatch")
        @Size(max = 64)
        @Pattern(regexp = "[A-Za-z0-9.-]+", message = "must be a FHIR id: letters, digits, - and .")
        String patientId,
    @Schema(description = "true: records-service holds no record of this patient") boolean noMatch,
    @Schema(description = "Why, for the history") @Size(max = 2000) String note) {}
