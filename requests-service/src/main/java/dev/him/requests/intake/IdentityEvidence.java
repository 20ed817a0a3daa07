package dev.him.requests.intake;

import dev.him.requests.roi.AuthorityDocument;
import dev.him.requests.workflow.IdentityMethod;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the technician checked to verify the requester (POST .../identity-verification). */
public record IdentityEvidence(
    @NotNull IdentityMethod method,
    @Schema(
            description =
                "What was seen, e.g. \"MA driver's licence ending 4821, photo matches\"; never a"
                    + " full ID number (at most the last 4 digits)")
        @Size(max = 2000)
        String evidenceNote,
    @Schema(description = "PERSONAL_REPRESENTATIVE: the authority document checked")
        AuthorityDocument authorityDocument,
    @Schema(description = "PERSONAL_REPRESENTATIVE: the document was seen and gives authority")
        boolean authorityVerified,
    @Schema(description = "Internal note for the history") @Size(max = 2000) String note) {}
