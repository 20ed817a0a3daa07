package dev.him.records.amendment;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A statement of disagreement (by the individual) or a rebuttal (by the covered entity). */
public record Statement(
    @NotBlank @Size(max = 10000) String text,
    @Schema(description = "Who wrote it") @NotBlank @Size(max = 200) String author,
    @Schema(description = "The day it was written or received (default today)") @PastOrPresent
        LocalDate date) {}
