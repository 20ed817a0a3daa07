package dev.him.coding.lookup;

import dev.him.coding.terminology.CodeSystemId;
import dev.him.coding.terminology.Params;
import dev.him.coding.terminology.ReleaseRef;
import dev.him.coding.terminology.Releases;
import dev.him.common.access.Roles;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Code lookup in one release. Reference data only: no patient data, so no access events. */
@Path("/api/coding/{system: icd10cm|icd10pcs|hcpcs}/codes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Code lookup", description = "ICD-10-CM, ICD-10-PCS and HCPCS codes by release")
public class CodeLookupResource {
  static final Set<String> PARAMS = Set.of("version", "date");

  @Inject Releases releases;
  @Inject CodeLookup lookup;

  @GET
  @Path("{code}")
  @RolesAllowed({Roles.CODER, Roles.CLERK, Roles.CLINICIAN, Roles.ROI, Roles.PRIVACY, Roles.ADMIN})
  @Operation(
      summary = "Look up a code",
      description =
          "With or without the dot, any case (E11.9, e119). Answers from the version asked for, or"
              + " the release in force on `date` (default today): a code valid in one release and"
              + " not in another is answered per the release. Returns billable (false for headers"
              + " such as E11), descriptions, the release, and for ICD-10-CM the parent, the"
              + " children and the tabular notes that apply (own and inherited, each saying where"
              + " it comes from) with the 7th-character definitions. Roles: coder, him-clerk,"
              + " clinician, roi-specialist, privacy-officer, him-admin.")
  @Parameter(name = "version", in = ParameterIn.QUERY, description = "Release, e.g. FY2025")
  @Parameter(
      name = "date",
      in = ParameterIn.QUERY,
      description = "Answer from the release in force on this day (YYYY-MM-DD); default today")
  @APIResponse(responseCode = "200", description = "The code in the release")
  @APIResponse(
      responseCode = "400",
      description = "Not shaped like a code of the system (problem+json naming `code`), bad date")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(
      responseCode = "404",
      description = "Not in the release, the version is not loaded, or none is in force that day")
  public CodeDetails lookup(
      @PathParam("system")
          @Parameter(
              description = "icd10cm, icd10pcs or hcpcs",
              schema =
                  @Schema(
                      type = SchemaType.STRING,
                      enumeration = {"icd10cm", "icd10pcs", "hcpcs"}))
          String system,
      @PathParam("code") @Parameter(description = "The code", example = "E11.9") String code,
      @Context UriInfo uri) {
    CodeSystemId id = CodeSystemId.fromPath(system).orElseThrow();
    Params p = Params.of(uri.getQueryParameters(), PARAMS);
    String normalized =
        id.normalize(code)
            .orElseThrow(
                () ->
                    ProblemException.badRequest(
                        "code", "is not an " + id.codeSystem() + " code: " + id.shapeText()));
    ReleaseRef release = releases.resolve(id, p.single("version"), p.single("date"));
    return lookup
        .find(release, normalized, true)
        .orElseThrow(
            () -> {
              String what =
                  id.codeSystem()
                      + " code "
                      + id.display(normalized)
                      + " is not in "
                      + release.version();
              return new ProblemException(
                  404, "Not found", what, List.of(new InvalidParam("code", what)));
            });
  }
}
