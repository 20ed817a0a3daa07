package dev.him.records.amendment;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An individual's request to amend their record, as it is logged on receipt. */
public record NewAmendment(
    @Schema(description = "FHIR Patient id")
        @NotBlank
        @Size(max = 64)
        @Pattern(regexp = ID, message = ID_MESSAGE)
        String patientId,
    @Schema(description = "What is to be amended: the Patient itself or a resource of the record")
        @NotNull
        @Valid
        Target target,
    @NotNull @Valid Requester requester,
    @Schema(description = "The change the individual asks for, in their words")
        @NotBlank
        @Size(max = 10000)
        String requestedChange,
    @Schema(description = "The individual's reason, if given") @Size(max = 10000) String reason,
    @Schema(description = "The day the request reached the organisation (default today)")
        @PastOrPresent
        LocalDate receivedOn) {

  static final String ID = "[A-Za-z0-9.-]*";
  static final String ID_MESSAGE = "must be a FHIR id: letters, digits, - and .";

  /** A FHIR resource of the patient's record. */
  public record Target(
      @Schema(example = "Condition")
          @NotBlank
          @Size(max = 64)
          @Pattern(regexp = "[A-Z][A-Za-z]*", message = "must be a FHIR resource type")
          String type,
      @NotBlank @Size(max = 64) @Pattern(regexp = ID, message = ID_MESSAGE) String id) {}

  /** Who asks: the individual, or a personal representative (then with the relationship). */
  public record Requester(
      @NotNull RequesterType type,
      @NotBlank @Size(max = 200) String name,
      @Schema(description = "Required for a personal representative: parent, guardian, proxy...")
          @Size(max = 200)
          String relationship) {}
}
