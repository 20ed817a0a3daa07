package dev.him.records.deficiency;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.RequestContext;
import dev.him.common.access.Roles;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Chart deficiency queues. HIM clerks and administrators see every queue; a clinician sees only
 * their own, the Practitioner their token names (claim him.deficiency.practitioner-claim).
 */
@Path("/api/records/deficiencies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "Chart deficiencies",
    description = "Record quality control: deficiencies found on discharged encounters")
public class DeficiencyResource {
  static final Set<String> STATUSES = Set.of("open", "closed", "all");
  static final int MAX_COUNT = 100;

  @Inject dev.him.records.privacy.TreatmentRelationships care;
  @Inject RequestContext request;
  @Inject DeficiencyService deficiencies;
  @Inject SecurityIdentity identity;

  /** The token claim naming the clinician's Practitioner ("Practitioner/id" or the id). */
  @ConfigProperty(name = "him.deficiency.practitioner-claim", defaultValue = "fhirUser")
  String practitionerClaim;

  @GET
  @RolesAllowed({Roles.CLERK, Roles.ADMIN, Roles.CLINICIAN})
  @AuditedAccess(resourceType = "Deficiency", action = AccessAction.SEARCH)
  @Operation(
      summary = "A deficiency queue",
      description =
          "Filters: practitioner (Practitioner id), unassigned=true (no responsible"
              + " practitioner), patient, encounter, status (open | closed | all; default open),"
              + " delinquent (true | false; open only). count (default 20, max 100), offset."
              + " Listing closed deficiencies needs a practitioner, patient or encounter. Open"
              + " ones come oldest due first. Each row carries its age in days since discharge"
              + " and whether it is delinquent. A clinician sees only their own queue. Roles:"
              + " him-clerk, him-admin, clinician.")
  @APIResponse(responseCode = "200", description = "A page of deficiencies with the total")
  @APIResponse(responseCode = "400", description = "Bad filter (problem+json naming it)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(
      responseCode = "403",
      description = "None of the allowed roles, or a clinician asking for another queue")
  public DeficiencyPage list(
      @QueryParam("practitioner") @Parameter(description = "Practitioner id") String practitioner,
      @QueryParam("unassigned") @Parameter(description = "true: only deficiencies nobody owns")
          String unassigned,
      @QueryParam("patient") @Parameter(description = "Patient id") String patient,
      @QueryParam("encounter") @Parameter(description = "Encounter id") String encounter,
      @QueryParam("status") @Parameter(description = "open (default), closed or all") String status,
      @QueryParam("delinquent") @Parameter(description = "true or false") String delinquent,
      @QueryParam("count") @Parameter(description = "page size, 0..100, default 20") String count,
      @QueryParam("offset") @Parameter(description = "rows to skip, default 0") String offset) {
    List<InvalidParam> problems = new ArrayList<>();
    String practitionerId = id("practitioner", practitioner, "Practitioner/", problems);
    boolean onlyUnassigned = bool("unassigned", unassigned, problems, false);
    String patientId = id("patient", patient, "Patient/", problems);
    String encounterId = id("encounter", encounter, "Encounter/", problems);
    String wanted = status == null || status.isBlank() ? "open" : status;
    if (!STATUSES.contains(wanted)) {
      problems.add(new InvalidParam("status", "must be open, closed or all"));
    }
    Boolean late =
        delinquent == null || delinquent.isBlank()
            ? null
            : bool("delinquent", delinquent, problems, false);
    if (late != null && STATUSES.contains(wanted) && !"open".equals(wanted)) {
      problems.add(new InvalidParam("delinquent", "applies to open deficiencies only"));
    }
    if (onlyUnassigned && practitionerId != null) {
      problems.add(new InvalidParam("unassigned", "cannot be combined with practitioner"));
    }
    int size = number("count", count, 20, MAX_COUNT, problems);
    int skip = number("offset", offset, 0, Integer.MAX_VALUE, problems);
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid query", "The queue cannot be listed", problems);
    }
    String own = restrictedTo();
    if (own != null) {
      if (onlyUnassigned || (practitionerId != null && !practitionerId.equals(own))) {
        throw forbidden("A clinician sees only their own deficiency queue");
      }
      practitionerId = own;
    }
    if (!"open".equals(wanted)
        && practitionerId == null
        && !onlyUnassigned
        && patientId == null
        && encounterId == null) {
      throw ProblemException.badRequest(
          "status", "closed deficiencies are listed per practitioner, patient or encounter");
    }
    return deficiencies.list(
        new DeficiencyQuery(
            practitionerId, onlyUnassigned, patientId, encounterId, wanted, late, size, skip));
  }

  @GET
  @Path("summary")
  @RolesAllowed({Roles.CLERK, Roles.ADMIN, Roles.CLINICIAN})
  @Operation(
      summary = "Open deficiencies per practitioner",
      description =
          "Counts of open and delinquent deficiencies and the oldest age, per responsible"
              + " practitioner (null: unassigned), most delinquent first; practitioner narrows it"
              + " to one. No patient data. A clinician sees only their own. Roles: him-clerk,"
              + " him-admin, clinician.")
  @APIResponse(responseCode = "200", description = "One row per queue")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public List<QueueSummary> summary(
      @QueryParam("practitioner") @Parameter(description = "Practitioner id") String practitioner) {
    List<InvalidParam> problems = new ArrayList<>();
    String practitionerId = id("practitioner", practitioner, "Practitioner/", problems);
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid query", "The summary cannot be made", problems);
    }
    String own = restrictedTo();
    if (own != null) {
      if (practitionerId != null && !practitionerId.equals(own)) {
        throw forbidden("A clinician sees only their own deficiency queue");
      }
      practitionerId = own;
    }
    return deficiencies.summary(practitionerId);
  }

  @POST
  @Path("{id}/waive")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.ADMIN)
  @AuditedAccess(resourceType = "Deficiency", action = AccessAction.UPDATE)
  @Operation(
      summary = "Waive a deficiency",
      description =
          "Closes an open deficiency with resolution waived and the reason given; the rules do"
              + " not open it again. Publishes DeficiencyClosed. Role: him-admin.")
  @APIResponse(responseCode = "200", description = "The closed deficiency")
  @APIResponse(responseCode = "400", description = "No reason (problem+json naming it)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "Not an HIM administrator")
  @APIResponse(responseCode = "404", description = "No such deficiency")
  @APIResponse(responseCode = "409", description = "Already closed")
  public DeficiencyView waive(
      @PathParam("id") @Parameter(description = "Deficiency id") String id,
      @Valid @NotNull WaiveRequest body) {
    UUID known;
    try {
      known = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("Deficiency " + id + " is not known");
    }
    return deficiencies.waive(known, body.reason().strip());
  }

  /**
   * The Practitioner a caller is limited to: null for HIM staff, who see every queue; a clinician's
   * own Practitioner id; 403 for a clinician whose token names none.
   */
  private String restrictedTo() {
    if (identity.hasRole(Roles.CLERK) || identity.hasRole(Roles.ADMIN)) {
      return null;
    }
    Object claim =
        identity.getPrincipal() instanceof JsonWebToken jwt
            ? jwt.getClaim(practitionerClaim)
            : identity.getAttribute(practitionerClaim);
    String value = claim == null ? null : claim.toString().strip();
    if (value != null && value.startsWith("Practitioner/")) {
      value = value.substring("Practitioner/".length());
    }
    if (value == null) {
      // no claim: the Practitioner that carries the user name, as break-the-glass finds it
      value = care.practitionerOf(request.actor().username()).orElse(null);
    }
    if (value == null || !RequestContext.isSafeId(value)) {
      throw forbidden(
          "Your account is not linked to a Practitioner (token claim "
              + practitionerClaim
              + ", or a Practitioner identifier with your user name)");
    }
    return value;
  }

  private static ProblemException forbidden(String detail) {
    return new ProblemException(403, "Forbidden", detail, List.of());
  }

  private static String id(String name, String value, String prefix, List<InvalidParam> problems) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.startsWith(prefix)) v = v.substring(prefix.length());
    if (!RequestContext.isSafeId(v)) {
      problems.add(new InvalidParam(name, "is not an id"));
      return null;
    }
    return v;
  }

  private static boolean bool(
      String name, String value, List<InvalidParam> problems, boolean fallback) {
    if (value == null || value.isBlank()) return fallback;
    if ("true".equals(value)) return true;
    if ("false".equals(value)) return false;
    problems.add(new InvalidParam(name, "must be true or false"));
    return fallback;
  }

  private static int number(
      String name, String value, int fallback, int max, List<InvalidParam> problems) {
    if (value == null || value.isBlank()) return fallback;
    try {
      int n = Integer.parseInt(value.strip());
      if (n < 0 || n > max) {
        problems.add(new InvalidParam(name, "must be between 0 and " + max));
        return fallback;
      }
      return n;
    } catch (NumberFormatException e) {
      problems.add(new InvalidParam(name, "must be a whole number"));
      return fallback;
    }
  }
}
