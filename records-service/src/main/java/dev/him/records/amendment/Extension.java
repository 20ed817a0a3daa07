package dev.him.records.amendment;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The one 30-day extension: why, and when the individual was told in writing. */
public record Extension(
    @Schema(description = "The reason for the delay, as given in the notice")
        @NotBlank
        @Size(max = 2000)
        String reason,
    @Schema(description = "The day the written notice was sent; on or before the current due date")
        @NotNull
        @PastOrPresent
        LocalDate noticeSentOn) {}
