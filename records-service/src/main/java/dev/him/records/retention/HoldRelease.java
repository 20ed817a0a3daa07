package dev.him.records.retention;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Why a hold ends (the matter settled, the order lifted...). */
public record HoldRelease(@NotBlank @Size(max = 2000) String reason) {}
