package dev.him.requests.legalbasis;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A written revocation of the authorization on file. */
public record RevocationNotice(
    @Schema(description = "Who revoked (the patient or their representative)") @Size(max = 200)
        String revokedBy,
    @Size(max = 2000) String reason,
    @Schema(description = "The day the written revocation was received") @NotNull @PastOrPresent
        LocalDate receivedOn) {}
