package dev.him.requests.roi;

import dev.him.requests.intake.PatientDescription;
import dev.him.requests.legalbasis.RequestScope;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A release-of-information request as it is logged on receipt. The patient is either named by
 * patientId (checked against records-service) or described (patient), then matched.
 */
@ValidIntake
public record NewRoiRequest(
    @Schema(description = "FHIR Patient id in records-service, when staff already know it")
        @Size(max = 64)
        @Pattern(regexp = "[A-Za-z0-9.-]*", message = "must be a FHIR id: letters, digits, - and .")
        String patientId,
    @Schema(description = "The patient as the requester describes them; matched in records-service")
        @Valid
        PatientDescription patient,
    @NotNull @Valid Requester requester,
    @NotNull RequestType requestType,
    @Schema(description = "REQUIRED_BY_LAW: the statute, regulation or authority cited")
        @Size(max = 500)
        String legalAuthorityCited,
    @Schema(description = "The day the request reached the organisation; starts the clock")
        @NotNull
        @PastOrPresent
        LocalDate receivedOn,
    @Schema(description = "Which records, for which dates, in the requester's words")
        @NotBlank
        @Size(max = 2000)
        String recordsRequested,
    @Schema(description = "The same in structured form (as PUT .../scope)") @Valid
        RequestScope scope,
    @Size(max = 2000) String purpose,
    @Schema(defaultValue = "ELECTRONIC") DeliveryFormat deliveryFormat,
    @Valid Delivery delivery) {

  public NewRoiRequest {
    deliveryFormat = deliveryFormat == null ? DeliveryFormat.ELECTRONIC : deliveryFormat;
  }

  /** Who is asking, and how to reach them. */
  public record Requester(
      @NotNull RequesterType type,
      @NotBlank @Size(max = 200) String name,
      @Schema(description = "PERSONAL_REPRESENTATIVE: e.g. mother, legal guardian, executor")
          @Size(max = 200)
          String relationship,
      @Schema(description = "PERSONAL_REPRESENTATIVE: the document giving authority")
          AuthorityDocument authorityDocument,
      @Schema(
              description =
                  "Required for PROVIDER, INSURER, COURT, LAW_ENFORCEMENT,"
                      + " GOVERNMENT_AGENCY, RESEARCHER")
          @Size(max = 200)
          String organization,
      @Email @Size(max = 254) String email,
      @Pattern(
              regexp = IntakeRules.PHONE,
              message = "must be a phone number: digits, +, spaces, ()-.")
          String phone,
      @Pattern(
              regexp = IntakeRules.PHONE,
              message = "must be a phone number: digits, +, spaces, ()-.")
          String fax,
      @Valid PostalAddress address) {}
}
