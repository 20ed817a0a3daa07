package dev.him.requests.legalbasis;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A court order: what it expressly names is all that may be released. */
public record CourtOrderDocument(
    @NotBlank @Size(max = 500) String issuingCourt,
    @NotNull @PastOrPresent LocalDate issuedOn,
    @Schema(description = "Record type codes the order names") @NotEmpty @Size(max = 50)
        List<
                @NotNull
                @Pattern(regexp = "[A-Z0-9_]{1,64}", message = "must be a code: A-Z, 0-9 and _")
                String>
            recordTypes,
    @Schema(description = "Sensitive categories the order names expressly (none if left out)")
        @Size(max = 20)
        List<@NotNull SensitiveCategory> sensitiveCategories,
    @Schema(description = "First day of care the order covers; open if left out")
        LocalDate dateFrom,
    @Schema(description = "Last day of care the order covers; open if left out")
        LocalDate dateTo) {}
