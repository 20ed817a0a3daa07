package dev.him.requests.disclosure;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An individual's request for an accounting of disclosures, as logged on receipt. */
public record NewAccountingRequest(
    @NotBlank
        @Size(max = 64)
        @Pattern(regexp = "[A-Za-z0-9.-]*", message = "must be a FHIR id: letters, digits, - and .")
        String patientId,
    @Schema(description = "The individual or their personal representative")
        @NotBlank
        @Size(max = 200)
        String requesterName,
    @Size(max = 500) String requesterAddress,
    @Schema(description = "The day the request was received; starts the 60 days")
        @NotNull
        @PastOrPresent
        LocalDate receivedOn) {}
