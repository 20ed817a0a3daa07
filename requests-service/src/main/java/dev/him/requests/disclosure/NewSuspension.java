package dev.him.requests.disclosure;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A suspension of a patient's accounting as the agency stated it (164.528(a)(2)). */
public record NewSuspension(
    @NotBlank
        @Size(max = 64)
        @Pattern(regexp = "[A-Za-z0-9.-]*", message = "must be a FHIR id: letters, digits, - and .")
        String patientId,
    @Schema(description = "The agency or official the disclosures went to, as in the entries")
        @NotBlank
        @Size(max = 200)
        String agency,
    @Schema(description = "Who made the statement") @Size(max = 200) String official,
    @Schema(description = "The statement: that an accounting would impede the agency's activities")
        @NotBlank
        @Size(max = 2000)
        String statement,
    @NotNull StatementKind statementKind,
    @Schema(description = "The day the statement was made; the suspension starts then") @NotNull
        LocalDate startsOn,
    @Schema(
            description =
                "Written: the end the agency gives. Oral: at most 30 days after startsOn; a written"
                    + " statement is needed to go on")
        @NotNull
        LocalDate endsOn) {}
