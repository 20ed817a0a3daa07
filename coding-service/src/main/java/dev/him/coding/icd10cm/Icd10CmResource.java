package dev.him.coding.icd10cm;

import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** ICD-10-CM code lookup. Reference data only: no patient data, so no access events. */
@Path("/api/coding/icd10cm")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ICD-10-CM", description = "ICD-10-CM diagnosis codes (CDC/NCHS release files)")
public class Icd10CmResource {

  @Inject Icd10CmService codes;

  @GET
  @Path("codes/{code}")
  @RolesAllowed({Roles.CODER, Roles.CLERK, Roles.CLINICIAN, Roles.ROI, Roles.PRIVACY, Roles.ADMIN})
  @Operation(
      summary = "Look up an ICD-10-CM code",
      description =
          "With or without the dot, any case (E11.9, e119). Header codes (E11) are returned with"
              + " billable false: they may not be reported. Roles: coder, him-clerk, clinician,"
              + " roi-specialist, privacy-officer, him-admin.")
  @APIResponse(responseCode = "200", description = "The code in the newest loaded release")
  @APIResponse(
      responseCode = "400",
      description = "Not shaped like an ICD-10-CM code (problem+json naming `code`)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "Not in any loaded release")
  public Icd10CmCodeView lookup(
      @PathParam("code") @Parameter(description = "ICD-10-CM code", example = "E11.9")
          String code) {
    String normalized =
        Icd10CmCodes.normalize(code)
            .orElseThrow(
                () ->
                    ProblemException.badRequest(
                        "code",
                        "is not an ICD-10-CM code: a letter, a digit, a letter or digit, then up"
                            + " to 4 letters or digits, a dot allowed after the third (E11.9)"));
    return codes
        .find(normalized)
        .orElseThrow(
            () ->
                ProblemException.notFound(
                    "ICD-10-CM code "
                        + Icd10CmCodes.withDot(normalized)
                        + " is not in the loaded code set"));
  }
}
