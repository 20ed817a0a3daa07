package dev.him.records.amendment;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Acceptance: the corrected target, which becomes its next version. */
public record Acceptance(
    @Schema(
            description =
                "The corrected FHIR R4 resource (same type and id as the target), as a JSON object")
        @NotNull
        JsonNode resource,
    @Schema(description = "Short note kept with the new version's reason") @Size(max = 500)
        String note) {}
