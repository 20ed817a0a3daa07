package dev.him.records.retention;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.events.v1.AccessAction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The retention report: which records may be destroyed, and why. */
@Path("/api/records/retention")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Retention", description = "Records past their retention period and not on hold")
public class RetentionResource {
  static final String ROLES = "Roles: him-admin, privacy-officer.";

  @Inject RetentionService retention;
  @Context UriInfo uri;

  @GET
  @Path("report")
  @RolesAllowed({Roles.ADMIN, Roles.PRIVACY})
  @AuditedAccess(resourceType = RetentionService.RESOURCE_TYPE, action = AccessAction.SEARCH)
  @Operation(
      summary = "Records past retention",
      description =
          "Patients whose retention ended on or before asOf (YYYY-MM-DD, default today, UTC) and"
              + " that no active legal hold covers, oldest end first, each with its encounters, the"
              + " end date and the rule (ADULT: last activity + him.retention.adult-years; MINOR:"
              + " majority + him.retention.minor-years-after-majority, when later)."
              + " includeHeld=true also lists held patients, flagged held with their matters."
              + " page (from 0), size (default 20, max 100). "
              + ROLES)
  @APIResponse(responseCode = "200", description = "The report page")
  @APIResponse(responseCode = "400", description = "Unknown parameter or bad value")
  public RetentionReport report() {
    Params p = new Params(uri.getQueryParameters(), Set.of("asOf", "includeHeld", "page", "size"));
    LocalDate asOf = p.date("asOf", LocalDate.now(ZoneOffset.UTC));
    Boolean includeHeld = p.bool("includeHeld");
    return retention.report(
        asOf,
        Boolean.TRUE.equals(includeHeld),
        p.integer("page", 0, 0, 1_000_000),
        p.integer("size", 20, 1, 100));
  }

  @GET
  @Path("patients/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.PRIVACY})
  @AuditedAccess(resourceType = RetentionService.RESOURCE_TYPE, action = AccessAction.READ)
  @Operation(
      summary = "One patient's retention",
      description =
          "Last activity, the day retention ends, the rule, whether it is past as of asOf"
              + " (default today) and whether a legal hold keeps it. "
              + ROLES)
  @APIResponse(responseCode = "200", description = "The patient's retention")
  @APIResponse(responseCode = "404", description = "No such patient")
  public RetentionItem patient(@PathParam("id") String id) {
    Params p = new Params(uri.getQueryParameters(), Set.of("asOf"));
    return retention.patient(id, p.date("asOf", LocalDate.now(ZoneOffset.UTC)));
  }
}
