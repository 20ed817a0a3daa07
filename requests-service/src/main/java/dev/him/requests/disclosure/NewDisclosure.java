package dev.him.requests.disclosure;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A disclosure made outside this service, entered so the accounting covers it: a public-health
 * report, records given to a health oversight agency, a report of abuse.
 */
public record NewDisclosure(
    @NotBlank
        @Size(max = 64)
        @Pattern(regexp = "[A-Za-z0-9.-]*", message = "must be a FHIR id: letters, digits, - and .")
        String patientId,
    @NotNull @PastOrPresent LocalDate disclosedOn,
    @NotBlank @Size(max = 200) String recipientName,
    @Size(max = 500) String recipientAddress,
    @Schema(description = "What was disclosed: record types and dates, not the content")
        @NotBlank
        @Size(max = 2000)
        String description,
    @Schema(description = "A brief statement of the purpose") @NotBlank @Size(max = 2000)
        String purpose,
    @Schema(
            description =
                "The basis as a code, e.g. PUBLIC_HEALTH, HEALTH_OVERSIGHT, LAW_ENFORCEMENT,"
                    + " JUDICIAL, ABUSE_REPORT, RESEARCH, REQUIRED_BY_LAW, TREATMENT")
        @NotBlank
        @Pattern(regexp = "[A-Z0-9_]{1,64}", message = "must be a code: A-Z, 0-9 and _")
        String basis,
    @Schema(
            description =
                "The 164.528(a)(1) category when the disclosure is excluded from the accounting;"
                    + " absent for an accountable one")
        ExclusionCategory exclusion,
    @Schema(description = "Where the written request or the report is on file") @Size(max = 500)
        String requestReference) {}
