package dev.him.coding.search;

import dev.him.coding.terminology.CodeSystemId;
import dev.him.coding.terminology.Params;
import dev.him.coding.terminology.ReleaseRef;
import dev.him.coding.terminology.Releases;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Code search over a whole release. Reference data only: no patient data, no access events. */
@Path("/api/coding/{system: icd10cm|icd10pcs|hcpcs}/search")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Code search", description = "Search ICD-10-CM, ICD-10-PCS and HCPCS by code or words")
public class CodeSearchResource {
  static final Set<String> PARAMS = Set.of("q", "version", "date", "billable", "limit", "offset");
  static final int MAX_Q = 200;

  @Inject Releases releases;
  @Inject CodeSearch search;

  @GET
  @RolesAllowed({Roles.CODER, Roles.CLERK, Roles.CLINICIAN, Roles.ROI, Roles.PRIVACY, Roles.ADMIN})
  @Operation(
      summary = "Search codes by code or words",
      description =
          "By code (E11.9, e119) or code prefix (E11, 0DT), or by words, each matched as the start"
              + " of a word of the description (short, long and, for ICD-10-CM, inclusion terms) in"
              + " any order (\"diab mell type 2\"). Ranked: the exact code, codes starting with it,"
              + " then word matches; billable first; then matches in the long description, whole"
              + " words, closer together, earlier, shorter descriptions; then the release's order."
              + " Searches the version asked for, or the release in force on `date` (default"
              + " today). The header Server-Timing: search;dur=<ms> gives the time spent in the"
              + " service. Roles: coder, him-clerk, clinician, roi-specialist, privacy-officer,"
              + " him-admin.")
  @APIResponse(
      responseCode = "200",
      description = "A page of matches with the total",
      content = @Content(schema = @Schema(implementation = SearchPage.class)))
  @APIResponse(
      responseCode = "400",
      description =
          "q missing or blank or too long, limit outside 1..100, bad offset, billable or date")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "The version is not loaded, or none is in force")
  @Parameter(
      name = "q",
      in = ParameterIn.QUERY,
      required = true,
      description = "Code, code prefix or words (at most 200 characters)",
      example = "diab mell type 2")
  @Parameter(name = "version", in = ParameterIn.QUERY, description = "Release, e.g. FY2025")
  @Parameter(
      name = "date",
      in = ParameterIn.QUERY,
      description = "Search the release in force on this day (YYYY-MM-DD); default today")
  @Parameter(
      name = "billable",
      in = ParameterIn.QUERY,
      description = "true: billable codes only; false: non-billable (headers) only",
      schema = @Schema(type = SchemaType.BOOLEAN))
  @Parameter(
      name = "limit",
      in = ParameterIn.QUERY,
      description = "Page size, 1 to 100 (default 20)",
      schema = @Schema(type = SchemaType.INTEGER))
  @Parameter(
      name = "offset",
      in = ParameterIn.QUERY,
      description = "Matches to skip, 0 to 10000 (default 0)",
      schema = @Schema(type = SchemaType.INTEGER))
  public Response search(
      @PathParam("system")
          @Parameter(
              description = "icd10cm, icd10pcs or hcpcs",
              schema =
                  @Schema(
                      type = SchemaType.STRING,
                      enumeration = {"icd10cm", "icd10pcs", "hcpcs"}))
          String system,
      @Context UriInfo uri) {
    long t0 = System.nanoTime();
    Params p = Params.of(uri.getQueryParameters(), PARAMS);
    String q = p.required("q", "a code or words to search for");
    if (q.length() > MAX_Q) {
      throw ProblemException.badRequest("q", "must be at most " + MAX_Q + " characters");
    }
    int limit = p.integer("limit", 20, 1, 100);
    int offset = p.integer("offset", 0, 0, 10_000);
    Boolean billable = p.bool("billable");
    CodeSystemId id = CodeSystemId.fromPath(system).orElseThrow();
    ReleaseRef release = releases.resolve(id, p.single("version"), p.single("date"));
    SearchPage page = search.search(release, q, billable, offset, limit);
    double ms = (System.nanoTime() - t0) / 1e6;
    return Response.ok(page)
        .header("Server-Timing", String.format(Locale.ROOT, "search;dur=%.3f", ms))
        .build();
  }
}
