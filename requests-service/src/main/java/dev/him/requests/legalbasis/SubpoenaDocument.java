package dev.him.requests.legalbasis;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A subpoena without a court order, and the satisfactory assurance received with it. */
public record SubpoenaDocument(
    @NotNull @PastOrPresent LocalDate issuedOn,
    @Schema(description = "The day the patient was given notice") @PastOrPresent
        LocalDate noticeGivenOn,
    @Schema(description = "The last day the patient could object") LocalDate objectionPeriodEndsOn,
    @Schema(defaultValue = "NONE") ProtectiveOrder protectiveOrder) {

  public SubpoenaDocument {
    protectiveOrder = protectiveOrder == null ? ProtectiveOrder.NONE : protectiveOrder;
  }
}
