package dev.him.coding.icd10cm;

import dev.him.common.access.RequestContext;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Administration of the code set releases this service holds. */
@Path("/api/coding/code-sets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Code sets", description = "Loading the agencies' code set releases")
public class CodeSetResource {

  @Inject Icd10CmImporter icd10cm;
  @Inject RequestContext request;

  @POST
  @Path("icd10cm/import")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Import the configured ICD-10-CM release",
      description =
          "Loads the CDC order file from the configured code set folder in one transaction. A"
              + " release already loaded is left as it is (alreadyImported true). Roles: him-admin.")
  @APIResponse(responseCode = "200", description = "Loaded now, or loaded before")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "Not him-admin")
  @APIResponse(responseCode = "500", description = "The file does not follow the CDC layout")
  @APIResponse(responseCode = "503", description = "The release file is not in the folder")
  public ImportResult importIcd10Cm() {
    try {
      return icd10cm
          .importConfigured(request.actor().username())
          .orElseThrow(
              () ->
                  new ProblemException(
                      503,
                      "Code set unavailable",
                      "The ICD-10-CM release file is not in the configured code set folder"
                          + " (him.codesets.dir)",
                      List.of()));
    } catch (Icd10CmOrderFile.FormatException e) {
      throw new ProblemException(500, "Invalid code set file", e.getMessage(), List.of());
    }
  }
}
