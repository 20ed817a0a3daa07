package dev.him.requests.workflow;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The written notice that extends a right-of-access request once (164.524(b)(2)(iii)). */
public record ExtensionNotice(
    @Schema(description = "Why more time is needed, as told to the individual")
        @NotBlank
        @Size(max = 2000)
        String reason,
    @Schema(description = "The day the notice was sent; on or before the original due date")
        @NotNull
        LocalDate noticeSentOn,
    @Schema(description = "The new due date; at most 30 days after the original one") @NotNull
        LocalDate newDueOn) {}
