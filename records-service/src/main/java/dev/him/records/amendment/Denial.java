package dev.him.records.amendment;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A denial: one of the four grounds, and the written basis given to the individual. */
public record Denial(
    @NotNull DenialGround ground,
    @Schema(description = "The basis for the denial, in plain language")
        @NotBlank
        @Size(max = 10000)
        String explanation) {}
