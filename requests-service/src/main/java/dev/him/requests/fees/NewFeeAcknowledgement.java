package dev.him.requests.fees;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/**
 * That the quote was shown to the requester: to whom, how, and the total they saw, which must be
 * the current quote's total for the same options.
 */
public record NewFeeAcknowledgement(
    @NotBlank @Size(max = 200) String shownTo,
    @NotNull Via shownVia,
    @NotNull @DecimalMin("0.00") @Digits(integer = 8, fraction = 2) BigDecimal total,
    FeeOptions.Media media,
    Boolean summary,
    Boolean flatFee) {

  public enum Via {
    PORTAL,
    EMAIL,
    MAIL,
    PHONE,
    IN_PERSON
  }

  FeeOptions options() {
    return new FeeOptions(
        media == null ? FeeOptions.Media.NONE : media,
        Boolean.TRUE.equals(summary),
        flatFee == null || flatFee);
  }
}
