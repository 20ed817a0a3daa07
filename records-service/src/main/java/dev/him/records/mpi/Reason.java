package dev.him.records.mpi;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Why a person decided: kept with the decision. */
public record Reason(@NotBlank @Size(max = 2000) String reason) {}
