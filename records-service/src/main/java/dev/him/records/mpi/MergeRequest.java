package dev.him.records.mpi;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A technician's decision that two records are one person, with the record that survives. */
public record MergeRequest(
    @Schema(description = "Patient id whose record is merged away (it will redirect)")
        @NotBlank
        @Size(max = 64)
        String sourceId,
    @Schema(description = "Patient id that keeps the record") @NotBlank @Size(max = 64)
        String survivorId,
    @Schema(description = "Why; kept with the link and with both patients' new versions")
        @NotBlank
        @Size(max = 2000)
        String reason) {}
