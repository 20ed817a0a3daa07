package dev.him.requests.roi;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Where and how the copy goes. EMAIL needs email, MAIL a mailable address, FAX a fax number; the
 * method must fit the deliveryFormat (IntakeRules).
 */
public record Delivery(
    @NotNull DeliveryMethod method,
    @Email @Size(max = 254) String email,
    @Pattern(
            regexp = IntakeRules.PHONE,
            message = "must be a phone number: digits, +, spaces, ()-.")
        String fax,
    @Valid PostalAddress address,
    @Schema(
            description =
                "EMAIL only: true when the copy goes as plain email, which only the individual may"
                    + " choose after being told of the risk")
        boolean unencryptedEmail,
    @Schema(description = "The individual accepted the risk of unencrypted email")
        boolean riskAccepted) {}
