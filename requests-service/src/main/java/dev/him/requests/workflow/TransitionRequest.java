package dev.him.requests.workflow;

import dev.him.requests.roi.RoiStatus;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A move of a request to its next state. */
public record TransitionRequest(
    @NotNull RoiStatus to,
    @Schema(
            description =
                "Required for DENIED (written for the requester to read) and CANCELLED; optional"
                    + " otherwise")
        @Size(max = 2000)
        String reason,
    @Schema(description = "Internal note for the history") @Size(max = 2000) String note,
    @Schema(description = "Required for IDENTITY_VERIFIED: how the requester was verified")
        IdentityMethod identityMethod) {}
