package dev.him.requests.legalbasis;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An authorization as received. Every element may be missing: a defective authorization is still
 * kept on file, and the check names each defect. Booleans left out count as false, except
 * coversOtherRecords (true unless the authorization is for psychotherapy notes alone).
 */
public record AuthorizationDocument(
    @Schema(description = "Specific and meaningful description of the information")
        @Size(max = 2000)
        String informationDescription,
    @Schema(description = "Who may disclose") @Size(max = 500) String discloser,
    @Schema(description = "Who may receive") @Size(max = 500) String recipient,
    @Size(max = 2000) String purpose,
    LocalDate expiresOn,
    @Size(max = 500) String expirationEvent,
    @Schema(description = "The expiration event has happened") Boolean expirationEventOccurred,
    Boolean signed,
    LocalDate signedOn,
    SignerType signerType,
    @Schema(description = "For a personal representative: their authority (e.g. guardianship)")
        @Size(max = 500)
        String representativeAuthority,
    @Schema(description = "(c)(2)(i): the right to revoke in writing, and how")
        Boolean statementRightToRevoke,
    @Schema(
            description =
                "(c)(2)(ii): whether treatment, payment, enrollment or eligibility is"
                    + " conditioned on signing")
        Boolean statementConditioning,
    @Schema(description = "(c)(2)(iii): information disclosed may be redisclosed")
        Boolean statementRedisclosure,
    Boolean coversPsychotherapyNotes,
    @Schema(defaultValue = "true") Boolean coversOtherRecords,
    @Schema(description = "Covers 42 CFR Part 2 substance-use-disorder records")
        Boolean coversSubstanceUseRecords,
    @Valid Part2Consent part2) {

  /**
   * The 42 CFR 2.31 consent elements checked when SUD records are covered or asked for. The
   * signature and its date are the authorization's own.
   */
  public record Part2Consent(
      @Size(max = 200) String patientName,
      @Schema(description = "Named recipient or general designation") @Size(max = 500)
          String recipient,
      @Size(max = 2000) String purpose,
      @Schema(description = "How much and what kind of SUD information") @Size(max = 2000)
          String amountAndKind,
      @Schema(description = "Date, event or condition on which the consent expires")
          @Size(max = 500)
          String expiration,
      Boolean statementRightToRevoke,
      @Schema(description = "The Part 2 redisclosure notice (2.32)") Boolean redisclosureNotice) {}
}
