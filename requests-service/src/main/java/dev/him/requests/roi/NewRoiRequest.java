package dev.him.requests.roi;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A release-of-information request as it is logged on receipt. */
public record NewRoiRequest(
    @Schema(description = "FHIR Patient id in records-service")
        @NotBlank
        @Size(max = 64)
        @Pattern(regexp = "[A-Za-z0-9.-]*", message = "must be a FHIR id: letters, digits, - and .")
        String patientId,
    @NotNull @Valid Requester requester,
    @NotNull RequestType requestType,
    @Schema(description = "The day the request reached the organisation; starts the clock")
        @NotNull
        @PastOrPresent
        LocalDate receivedOn,
    @Schema(description = "Which records, for which dates") @NotBlank @Size(max = 2000)
        String recordsRequested,
    @Size(max = 2000) String purpose,
    @Schema(defaultValue = "ELECTRONIC") DeliveryFormat deliveryFormat) {

  public NewRoiRequest {
    deliveryFormat = deliveryFormat == null ? DeliveryFormat.ELECTRONIC : deliveryFormat;
  }

  /** Who is asking, and where the records go. */
  public record Requester(
      @NotNull RequesterType type,
      @NotBlank @Size(max = 200) String name,
      @Size(max = 500) String address) {}
}
