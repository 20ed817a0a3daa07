package dev.him.requests.intake;

import dev.him.requests.roi.IntakeRules;
import dev.him.requests.roi.PostalAddress;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The patient as the requester describes them. family, given and birthDate are required when no
 * patientId is given; they are what the match compares.
 */
public record PatientDescription(
    @Size(max = 200) String family,
    @Size(max = 200) String given,
    @Past LocalDate birthDate,
    @Schema(
            description =
                "MRN or other identifier, as value or system|value; a bare value is searched as"
                    + " any identifier")
        @Size(max = 200)
        @Pattern(regexp = "[^\\s,]*", message = "must be one identifier, no spaces or commas")
        String identifier,
    @Pattern(
            regexp = IntakeRules.PHONE,
            message = "must be a phone number: digits, +, spaces, ()-.")
        String phone,
    @Valid PostalAddress address) {}
