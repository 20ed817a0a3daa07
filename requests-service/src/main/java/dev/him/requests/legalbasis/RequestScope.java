package dev.him.requests.legalbasis;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a request asks for, in a form the checks can compare with a basis. */
public record RequestScope(
    @Schema(description = "Record type codes, e.g. DISCHARGE_SUMMARY, LAB_RESULTS") @Size(max = 50)
        List<
                @NotNull
                @Pattern(regexp = "[A-Z0-9_]{1,64}", message = "must be a code: A-Z, 0-9 and _")
                String>
            recordTypes,
    @Size(max = 20) List<@NotNull SensitiveCategory> sensitiveCategories,
    @Schema(description = "First day of care asked for") LocalDate from,
    @Schema(description = "Last day of care asked for") LocalDate to) {}
