package dev.him.records.deficiency;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Why a deficiency is waived rather than corrected; kept with it. */
public record WaiveRequest(@NotBlank @Size(max = 1000) String reason) {}
