package dev.him.records.mpi;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** "Duplicate": merge the queued pair, keeping survivorId (one of the two). */
public record CandidateMergeRequest(
    @Schema(description = "The patient of the pair that keeps the record") @NotBlank @Size(max = 64)
        String survivorId,
    @NotBlank @Size(max = 2000) String reason) {}
