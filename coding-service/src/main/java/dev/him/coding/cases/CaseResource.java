package dev.him.coding.cases;

import dev.him.coding.drg.DrgCatalog;
import dev.him.common.access.AuditedAccess;
import dev.him.common.access.RequestContext;
import dev.him.common.access.Roles;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Coding cases: the work queue, one case with everything the coder needs, drafts, assignment,
 * finalize, reopen, physician queries, and the DRG an external grouper sends. Every call touches
 * patient data and is recorded as an access event (refusals too).
 */
@Path("/api/coding/cases")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Coding cases", description = "Encounter coding: queue, drafts, edits, finalize")
public class CaseResource {
  static final int MAX_COUNT = 100;
  private static final Pattern ETAG = Pattern.compile("(?:W/)?\"?(\\d{1,9})\"?");

  @Inject CaseQueue queue;
  @Inject CaseService cases;
  @Inject PhysicianQueries queries;
  @Inject com.fasterxml.jackson.databind.ObjectMapper json;

  @GET
  @RolesAllowed({Roles.CODER, Roles.ADMIN, Roles.CLERK})
  @AuditedAccess(resourceType = CaseService.RESOURCE, action = AccessAction.SEARCH)
  @Operation(
      summary = "The coding work queue",
      description =
          "Filters: status (comma-separated: open, in-progress, on-hold, reopened, final, or all;"
              + " default every status but final), minAgeDays (at least this many days since"
              + " discharge), encounterClass (IMP, AMB, EMER...), assignedTo (a user name, or"
              + " unassigned), patient, encounter. sort: discharged (oldest discharge first, the"
              + " default) or -discharged. count (default 20, max 100), offset. Returns the total"
              + " and the page; each row has its age in days and its error/warning/open-query"
              + " counts. Roles: coder, him-admin, him-clerk.")
  @APIResponse(responseCode = "200", description = "A page of cases with the total")
  @APIResponse(responseCode = "400", description = "Bad filter (problem+json naming it)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public CasePage list(
      @QueryParam("status") @Parameter(description = "open,in-progress,... or all") String status,
      @QueryParam("minAgeDays") @Parameter(description = "days since discharge, at least")
          String minAgeDays,
      @QueryParam("encounterClass") @Parameter(description = "v3 ActCode, e.g. IMP")
          String encounterClass,
      @QueryParam("assignedTo") @Parameter(description = "user name, or unassigned")
          String assignedTo,
      @QueryParam("patient") @Parameter(description = "Patient id") String patient,
      @QueryParam("encounter") @Parameter(description = "Encounter id") String encounter,
      @QueryParam("sort") @Parameter(description = "discharged (default) or -discharged")
          String sort,
      @QueryParam("count") @Parameter(description = "page size, 0..100, default 20") String count,
      @QueryParam("offset") @Parameter(description = "rows to skip, default 0") String offset) {
    List<InvalidParam> problems = new ArrayList<>();
    List<String> statuses = CaseStatus.NOT_FINAL;
    if (status != null && !status.isBlank()) {
      if ("all".equals(status.strip())) {
        statuses = CaseStatus.ALL;
      } else {
        statuses = Arrays.stream(status.split(",")).map(String::strip).distinct().toList();
        if (!CaseStatus.ALL.containsAll(statuses)) {
          problems.add(
              new InvalidParam(
                  "status", "must be all or among " + String.join(", ", CaseStatus.ALL)));
        }
      }
    }
    Integer minAge =
        minAgeDays == null || minAgeDays.isBlank()
            ? null
            : number("minAgeDays", minAgeDays, 0, 36_500, problems, 0);
    String cls = null;
    if (encounterClass != null && !encounterClass.isBlank()) {
      cls = encounterClass.strip().toUpperCase(java.util.Locale.ROOT);
      if (!RequestContext.isSafeId(cls)) {
        problems.add(new InvalidParam("encounterClass", "is not an encounter class code"));
      }
    }
    boolean unassigned = "unassigned".equals(assignedTo == null ? null : assignedTo.strip());
    String assignee = unassigned ? null : id("assignedTo", assignedTo, problems);
    String patientId = id("patient", strip(patient, "Patient/"), problems);
    String encounterId = id("encounter", strip(encounter, "Encounter/"), problems);
    boolean newestFirst = false;
    if (sort != null && !sort.isBlank()) {
      switch (sort.strip()) {
        case "discharged" -> newestFirst = false;
        case "-discharged" -> newestFirst = true;
        default -> problems.add(new InvalidParam("sort", "must be discharged or -discharged"));
      }
    }
    int size = number("count", count, 0, MAX_COUNT, problems, 20);
    int skip = number("offset", offset, 0, Integer.MAX_VALUE, problems, 0);
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid query", "The queue cannot be listed", problems);
    }
    return queue.list(
        new CaseQueue.Query(
            statuses,
            minAge,
            cls,
            assignee,
            unassigned,
            patientId,
            encounterId,
            newestFirst,
            size,
            skip));
  }

  @GET
  @Path("{id}")
  @RolesAllowed({Roles.CODER, Roles.ADMIN, Roles.CLERK})
  @AuditedAccess(resourceType = CaseService.RESOURCE, action = AccessAction.READ)
  @Operation(
      summary = "One coding case",
      description =
          "The encounter, the patient's birth date and gender, the codes with descriptions, the"
              + " edits standing after the last save, the MS-DRG with its weight, GMLOS and MDC,"
              + " the physician queries, the history and what the encounter recorded (diagnoses,"
              + " procedures, reasons, document texts). ETag: the case version. Roles: coder,"
              + " him-admin, him-clerk.")
  @APIResponse(responseCode = "200", description = "The case")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such case")
  public Response get(@PathParam("id") @Parameter(description = "Case id") String id) {
    return withTag(cases.get(caseId(id)));
  }

  @PUT
  @Path("{id}/codes")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @AuditedAccess(resourceType = CaseService.RESOURCE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Save the codes as a draft",
      description =
          "Replaces the case's codes: principalDiagnosis and secondaryDiagnoses (ICD-10-CM, with"
              + " or without the dot; each secondary with poa Y, N, U, W or 1), procedures"
              + " (ICD-10-PCS with performedOn), optional msDrg. Send the version you read as"
              + " If-Match (412 when stale) or as the body's version (409 when stale). The codes"
              + " are checked against the releases in force on the discharge day; every save"
              + " runs the edits and stores their result with the case. Roles: coder, him-admin.")
  @APIResponse(responseCode = "200", description = "The case with its codes and edits")
  @APIResponse(
      responseCode = "400",
      description = "A field not shaped right, or an unknown msDrg (problem+json naming each)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such case")
  @APIResponse(responseCode = "409", description = "Stale body version, or the case is final")
  @APIResponse(responseCode = "412", description = "Stale If-Match")
  @APIResponse(responseCode = "428", description = "Neither If-Match nor version was sent")
  public Response saveCodes(
      @PathParam("id") @Parameter(description = "Case id") String id,
      @HeaderParam("If-Match") @Parameter(description = "the case version, e.g. \"3\"")
          String ifMatch,
      DraftCodes body) {
    UUID caseId = caseId(id);
    CaseService.Draft draft = DraftCheck.check(body);
    Integer tag = ifMatch(ifMatch);
    if (tag == null && body.version() == null) {
      throw new ProblemException(
          428,
          "Precondition required",
          "Send the case version you read, as If-Match or as version in the body",
          List.of(new InvalidParam("version", "is required (or send If-Match)")));
    }
    return withTag(cases.save(caseId, draft, tag != null ? tag : body.version(), tag != null));
  }

  @POST
  @Path("{id}/assignment")
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @AuditedAccess(resourceType = CaseService.RESOURCE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Assign the case",
      description =
          "To the user named in assignee, or to the caller when the body or assignee is empty."
              + " If-Match is checked when sent. Roles: coder, him-admin.")
  @APIResponse(responseCode = "200", description = "The case")
  @APIResponse(responseCode = "400", description = "assignee is not a user name")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such case")
  @APIResponse(responseCode = "409", description = "The case is final")
  @APIResponse(responseCode = "412", description = "Stale If-Match")
  public Response assign(
      @PathParam("id") @Parameter(description = "Case id") String id,
      @HeaderParam("If-Match") String ifMatch,
      @RequestBody(
              required = false,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(implementation = CaseRequests.Assign.class)))
          String body) {
    UUID caseId = caseId(id);
    // the body is optional (no body: self-assign), so it is read here rather than by the framework
    String assignee = null;
    if (body != null && !body.isBlank()) {
      try {
        CaseRequests.Assign a = json.readValue(body, CaseRequests.Assign.class);
        assignee = a == null ? null : a.assignee();
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw ProblemException.badRequest("body", "is not {\"assignee\": \"user name\"}");
      }
    }
    if (assignee != null && !assignee.isBlank() && !RequestContext.isSafeId(assignee.strip())) {
      throw ProblemException.badRequest("assignee", "is not a user name");
    }
    Integer tag = ifMatch(ifMatch);
    return withTag(
        cases.assign(
            caseId, assignee == null || assignee.isBlank() ? null : assignee.strip(), tag, true));
  }

  @DELETE
  @Path("{id}/assignment")
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @AuditedAccess(resourceType = CaseService.RESOURCE, action = AccessAction.UPDATE)
  @Operation(summary = "Unassign the case", description = "Roles: coder, him-admin.")
  @APIResponse(responseCode = "200", description = "The case, assigned to nobody")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such case")
  @APIResponse(responseCode = "412", description = "Stale If-Match")
  public Response unassign(
      @PathParam("id") @Parameter(description = "Case id") String id,
      @HeaderParam("If-Match") String ifMatch) {
    return withTag(cases.unassign(caseId(id), ifMatch(ifMatch), true));
  }

  @POST
  @Path("{id}/finalize")
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @AuditedAccess(resourceType = CaseService.RESOURCE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Finalize the case",
      description =
          "Runs the edits on the saved codes. While any error-level edit stands the answer is 409"
              + " listing them in invalid-params (field, then code: message); while a physician"
              + " query is open, 409 too. Otherwise the case becomes final and EncounterCoded is"
              + " published (caseVersion 1, then +1 after each reopen). If-Match is checked when"
              + " sent. Roles: coder, him-admin.")
  @APIResponse(responseCode = "200", description = "The final case")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such case")
  @APIResponse(
      responseCode = "409",
      description = "Error-level edits stand, a query is open, or the case is final already")
  @APIResponse(responseCode = "412", description = "Stale If-Match")
  public Response finalizeCase(
      @PathParam("id") @Parameter(description = "Case id") String id,
      @HeaderParam("If-Match") String ifMatch) {
    return withTag(cases.finalizeCase(caseId(id), ifMatch(ifMatch), true));
  }

  @POST
  @Path("{id}/reopen")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @AuditedAccess(resourceType = CaseService.RESOURCE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Reopen a final case",
      description =
          "The reason is required and kept in the history; finalizing again publishes"
              + " EncounterCoded with the next caseVersion. Roles: coder, him-admin.")
  @APIResponse(responseCode = "200", description = "The reopened case")
  @APIResponse(responseCode = "400", description = "No reason (problem+json naming reason)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such case")
  @APIResponse(responseCode = "409", description = "The case is not final")
  @APIResponse(responseCode = "412", description = "Stale If-Match")
  public Response reopen(
      @PathParam("id") @Parameter(description = "Case id") String id,
      @HeaderParam("If-Match") String ifMatch,
      CaseRequests.Reason body) {
    UUID caseId = caseId(id);
    String reason = text("reason", body == null ? null : body.reason(), 2000);
    return withTag(cases.reopen(caseId, reason, ifMatch(ifMatch), true));
  }

  @PUT
  @Path("{id}/drg")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.HOSPITAL_SYSTEM, Roles.PLATFORM_SERVICE})
  @AuditedAccess(resourceType = CaseService.RESOURCE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Record the MS-DRG an external grouper assigned",
      description =
          "For grouper systems: msDrg (checked against the MS-DRG table in force on the"
              + " discharge day) and grouper (name and version, kept as the DRG's source). The"
              + " next save of codes drops it unless the codes come with a DRG again. Roles:"
              + " hospital-system, platform-service.")
  @APIResponse(responseCode = "200", description = "The case with its DRG")
  @APIResponse(responseCode = "400", description = "Unknown msDrg or no grouper named")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such case")
  @APIResponse(responseCode = "409", description = "The case is final")
  public Response setDrg(
      @PathParam("id") @Parameter(description = "Case id") String id,
      CaseRequests.GroupedDrg body) {
    UUID caseId = caseId(id);
    List<InvalidParam> problems = new ArrayList<>();
    String drg = body == null ? null : DrgCatalog.normalize(body.msDrg()).orElse(null);
    if (drg == null) {
      problems.add(new InvalidParam("msDrg", "is required: a 3-digit MS-DRG number"));
    }
    String grouper = body == null || body.grouper() == null ? "" : body.grouper().strip();
    if (grouper.isEmpty() || grouper.length() > 100) {
      problems.add(new InvalidParam("grouper", "is required: the grouper's name and version"));
    }
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid request", "The DRG cannot be recorded", problems);
    }
    return withTag(cases.setGroupedDrg(caseId, drg, grouper));
  }

  @GET
  @Path("{id}/queries")
  @RolesAllowed({Roles.CODER, Roles.ADMIN, Roles.CLERK})
  @AuditedAccess(resourceType = CaseService.RESOURCE, action = AccessAction.READ)
  @Operation(
      summary = "The case's physician queries",
      description = "Roles: coder, him-admin, him-clerk.")
  @APIResponse(responseCode = "200", description = "The queries, oldest first")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such case")
  public List<QueryView> queries(@PathParam("id") @Parameter(description = "Case id") String id) {
    return queries.list(caseId(id));
  }

  @POST
  @Path("{id}/queries")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @AuditedAccess(resourceType = CaseService.RESOURCE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Ask the physician",
      description =
          "question and toPractitioner (Practitioner id) are required. The case goes on hold"
              + " until every open query is answered or withdrawn. Roles: coder, him-admin.")
  @APIResponse(responseCode = "201", description = "The query, with its Location")
  @APIResponse(responseCode = "400", description = "A field missing (problem+json naming it)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such case")
  @APIResponse(responseCode = "409", description = "The case is final")
  public Response ask(
      @PathParam("id") @Parameter(description = "Case id") String id,
      CaseRequests.Ask body,
      @jakarta.ws.rs.core.Context UriInfo uri) {
    UUID caseId = caseId(id);
    List<InvalidParam> problems = new ArrayList<>();
    String question = body == null ? null : body.question();
    if (question == null || question.isBlank() || question.length() > 4000) {
      problems.add(new InvalidParam("question", "is required (at most 4000 characters)"));
    }
    String to = body == null ? null : strip(body.toPractitioner(), "Practitioner/");
    if (to == null || !RequestContext.isSafeId(to)) {
      problems.add(new InvalidParam("toPractitioner", "is required: a Practitioner id"));
    }
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid request", "The query cannot be sent", problems);
    }
    QueryView q = queries.ask(caseId, question.strip(), to);
    return Response.created(uri.getAbsolutePathBuilder().path(q.id().toString()).build())
        .entity(q)
        .build();
  }

  @POST
  @Path("{id}/queries/{queryId}/answer")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @AuditedAccess(resourceType = CaseService.RESOURCE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Record the physician's answer",
      description =
          "The query becomes answered; the hold lifts when no query is open. Roles: coder, him-admin.")
  @APIResponse(responseCode = "200", description = "The answered query")
  @APIResponse(responseCode = "400", description = "No answer (problem+json naming answer)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such case or query")
  @APIResponse(responseCode = "409", description = "The query is not open")
  public QueryView answer(
      @PathParam("id") String id, @PathParam("queryId") String queryId, CaseRequests.Answer body) {
    UUID caseId = caseId(id);
    UUID q = queryId(queryId);
    return queries.answer(caseId, q, text("answer", body == null ? null : body.answer(), 8000));
  }

  @POST
  @Path("{id}/queries/{queryId}/close")
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @AuditedAccess(resourceType = CaseService.RESOURCE, action = AccessAction.UPDATE)
  @Operation(summary = "Close an answered query", description = "Roles: coder, him-admin.")
  @APIResponse(responseCode = "200", description = "The closed query")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such case or query")
  @APIResponse(responseCode = "409", description = "The query is not answered")
  public QueryView close(@PathParam("id") String id, @PathParam("queryId") String queryId) {
    return queries.close(caseId(id), queryId(queryId));
  }

  @POST
  @Path("{id}/queries/{queryId}/withdraw")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @AuditedAccess(resourceType = CaseService.RESOURCE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Withdraw an open query",
      description =
          "Optional reason. The hold lifts when no query is open. Roles: coder, him-admin.")
  @APIResponse(responseCode = "200", description = "The withdrawn query")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such case or query")
  @APIResponse(responseCode = "409", description = "The query is not open")
  public QueryView withdraw(
      @PathParam("id") String id, @PathParam("queryId") String queryId, CaseRequests.Reason body) {
    String reason =
        body == null || body.reason() == null || body.reason().isBlank()
            ? null
            : body.reason().strip();
    return queries.withdraw(caseId(id), queryId(queryId), reason);
  }

  // --- helpers ---

  private static Response withTag(CaseView view) {
    return Response.ok(view).tag(new EntityTag(String.valueOf(view.version()))).build();
  }

  private static UUID caseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("Coding case " + id + " is not known");
    }
  }

  private static UUID queryId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("Query " + id + " is not known");
    }
  }

  /** The version in If-Match ("3", W/"3" or 3), null when not sent. */
  static Integer ifMatch(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    Matcher m = ETAG.matcher(header.strip());
    if (!m.matches()) {
      throw ProblemException.badRequest("If-Match", "must be the case version, e.g. \"3\"");
    }
    return Integer.valueOf(m.group(1));
  }

  private static String text(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      throw ProblemException.badRequest(field, "is required");
    }
    if (value.length() > max) {
      throw ProblemException.badRequest(field, "is longer than " + max + " characters");
    }
    return value.strip();
  }

  private static String strip(String value, String prefix) {
    if (value == null) return null;
    String v = value.strip();
    return v.startsWith(prefix) ? v.substring(prefix.length()) : v;
  }

  private static String id(String name, String value, List<InvalidParam> problems) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (!RequestContext.isSafeId(v)) {
      problems.add(new InvalidParam(name, "is not an id"));
      return null;
    }
    return v;
  }

  private static int number(
      String name, String value, int min, int max, List<InvalidParam> problems, int fallback) {
    if (value == null || value.isBlank()) return fallback;
    try {
      int n = Integer.parseInt(value.strip());
      if (n < min || n > max) {
        problems.add(new InvalidParam(name, "must be between " + min + " and " + max));
        return fallback;
      }
      return n;
    } catch (NumberFormatException e) {
      problems.add(new InvalidParam(name, "must be a whole number"));
      return fallback;
    }
  }
}
