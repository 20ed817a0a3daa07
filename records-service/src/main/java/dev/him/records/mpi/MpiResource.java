package dev.him.records.mpi;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The master patient index for HIM technicians: the review queue of possible duplicates, the two
 * decisions (duplicate: merge; not duplicate: remembered), direct merges, the link history, and
 * unmerge.
 */
@Path("/api/records/mpi")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "Master patient index",
    description = "Possible duplicates, merges (with link history) and unmerges")
public class MpiResource {
  static final String REVIEWERS = "Roles: him-clerk, him-admin.";

  @Inject ReviewQueue queue;
  @Inject MergeService merges;
  @Context UriInfo uri;

  @GET
  @Path("candidates")
  @RolesAllowed({Roles.CLERK, Roles.ADMIN})
  @AuditedAccess(resourceType = "Patient", action = AccessAction.SEARCH)
  @Operation(
      summary = "The review queue of possible duplicates",
      description =
          "Pairs of patients scored by name (exact, phonetic, edit distance), birth date, sex,"
              + " phone, address and identifiers, highest score first, with each field's"
              + " agreement and weight. Recorded as a search of the patients shown. "
              + REVIEWERS)
  @APIResponse(responseCode = "200", description = "total, offset, count and the items")
  @APIResponse(responseCode = "400", description = "A bad parameter (named)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public ReviewQueue.Page candidates(
      @QueryParam("status")
          @Parameter(description = "open (default), duplicate, not-duplicate or superseded")
          String status,
      @QueryParam("minScore") @Parameter(description = "only pairs scoring at least this")
          String minScore,
      @QueryParam("patient") @Parameter(description = "only pairs with this patient id")
          String patient,
      @QueryParam("count") @Parameter(description = "page size, default 20, at most 100")
          String count,
      @QueryParam("offset") @Parameter(description = "pairs to skip, default 0") String offset) {
    List<InvalidParam> problems = new ArrayList<>();
    String s = status == null || status.isBlank() ? "open" : status;
    if (!ReviewQueue.STATUSES.contains(s)) {
      problems.add(
          new InvalidParam("status", "must be open, duplicate, not-duplicate or superseded"));
    }
    Double min = null;
    if (minScore != null && !minScore.isBlank()) {
      try {
        min = Double.parseDouble(minScore);
        if (min.isNaN() || min.isInfinite()) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        problems.add(new InvalidParam("minScore", "must be a number"));
      }
    }
    int c = whole(count, ReviewQueue.DEFAULT_COUNT, "count", problems);
    int o = whole(offset, 0, "offset", problems);
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid request", "The queue cannot be listed", problems);
    }
    String p = patient == null || patient.isBlank() ? null : patient.strip();
    return queue.list(s, min, p, Math.min(c, ReviewQueue.MAX_COUNT), o);
  }

  @GET
  @Path("candidates/{id}")
  @RolesAllowed({Roles.CLERK, Roles.ADMIN})
  @AuditedAccess(resourceType = "MpiCandidate", action = AccessAction.READ)
  @Operation(summary = "One pair of the review queue", description = REVIEWERS)
  @APIResponse(responseCode = "200", description = "The pair with its evidence and decision")
  @APIResponse(responseCode = "404", description = "No such candidate")
  public CandidateView candidate(@PathParam("id") String id) {
    return queue.read(candidateId(id));
  }

  @POST
  @Path("candidates/{id}/not-duplicate")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.CLERK, Roles.ADMIN})
  @AuditedAccess(resourceType = "MpiCandidate", action = AccessAction.UPDATE)
  @Operation(
      summary = "Decide: not the same person",
      description =
          "Remembered: re-scoring after later changes never queues the pair again. " + REVIEWERS)
  @APIResponse(responseCode = "200", description = "The decided pair")
  @APIResponse(responseCode = "400", description = "reason missing")
  @APIResponse(responseCode = "404", description = "No such candidate")
  @APIResponse(responseCode = "409", description = "The pair is not open (decided or superseded)")
  public CandidateView notDuplicate(@PathParam("id") String id, @Valid @NotNull Reason body) {
    return queue.notDuplicate(candidateId(id), body.reason().strip());
  }

  @POST
  @Path("candidates/{id}/merge")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.CLERK, Roles.ADMIN})
  @AuditedAccess(resourceType = "MpiCandidate", action = AccessAction.UPDATE)
  @Operation(
      summary = "Decide: the same person, and merge",
      description =
          "The other patient of the pair is merged into survivorId (see POST merges). " + REVIEWERS)
  @APIResponse(responseCode = "201", description = "The merge link; Location points to it")
  @APIResponse(responseCode = "400", description = "survivorId not of this pair, reason missing")
  @APIResponse(responseCode = "404", description = "No such candidate")
  @APIResponse(
      responseCode = "409",
      description = "The pair is not open, or a patient is already merged")
  public Response mergeCandidate(
      @PathParam("id") String id, @Valid @NotNull CandidateMergeRequest body) {
    return created(queue.merge(candidateId(id), body.survivorId().strip(), body.reason().strip()));
  }

  @POST
  @Path("merges")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.CLERK, Roles.ADMIN})
  @AuditedAccess(resourceType = "Patient", action = AccessAction.UPDATE, idParam = "none")
  @Operation(
      summary = "Merge two patients",
      description =
          "In one transaction: the source gets a version with active=false and link replaced-by"
              + " the survivor, the survivor one with link replaces the source (both carrying the"
              + " reason); every clinical resource of the source moves to the survivor as a new"
              + " version with its patient references rewritten; identifiers stay with the"
              + " source. Reads of the source still answer, with a Link header to the survivor."
              + " Publishes PatientMerged. A person's decision: it also overrides an earlier"
              + " not-duplicate. "
              + REVIEWERS)
  @APIResponse(responseCode = "201", description = "The merge link; Location points to it")
  @APIResponse(
      responseCode = "400",
      description = "A field missing, or source and survivor the same patient (named)")
  @APIResponse(responseCode = "404", description = "A patient is not known (named)")
  @APIResponse(
      responseCode = "409",
      description =
          "The source is already merged (the detail names its survivor), or the survivor is")
  @APIResponse(responseCode = "410", description = "A patient was deleted (named)")
  public Response merge(@Valid @NotNull MergeRequest body) {
    return created(
        merges.merge(
            body.sourceId().strip(), body.survivorId().strip(), body.reason().strip(), null));
  }

  @GET
  @Path("links")
  @RolesAllowed({Roles.CLERK, Roles.ADMIN})
  @AuditedAccess(resourceType = "Patient", action = AccessAction.SEARCH)
  @Operation(
      summary = "The link history of a patient",
      description =
          "Every merge with the patient as source or survivor, newest first, undone ones included. "
              + REVIEWERS)
  @APIResponse(responseCode = "200", description = "The links")
  @APIResponse(responseCode = "400", description = "patient missing")
  public List<LinkView> links(
      @QueryParam("patient") @Parameter(description = "Patient id", required = true)
          String patient) {
    if (patient == null || patient.isBlank()) {
      throw ProblemException.badRequest("patient", "is required: whose links to list");
    }
    return merges.links(patient.strip());
  }

  @GET
  @Path("links/{id}")
  @RolesAllowed({Roles.CLERK, Roles.ADMIN})
  @AuditedAccess(resourceType = "MpiLink", action = AccessAction.READ)
  @Operation(summary = "One merge link", description = REVIEWERS)
  @APIResponse(responseCode = "200", description = "The link")
  @APIResponse(responseCode = "404", description = "No such link")
  public LinkView link(@PathParam("id") String id) {
    return merges.read(linkId(id));
  }

  @POST
  @Path("links/{id}/unmerge")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.ADMIN)
  @AuditedAccess(resourceType = "MpiLink", action = AccessAction.UPDATE)
  @Operation(
      summary = "Undo a merge",
      description =
          "The source becomes active again, both links are removed (new versions), the resources"
              + " the merge moved go back (new versions; what was recorded on the survivor since"
              + " stays), the link is marked undone with who, when and why, and the pair is"
              + " remembered as not duplicate. Publishes PatientUnmerged. Role: him-admin.")
  @APIResponse(responseCode = "200", description = "The undone link")
  @APIResponse(responseCode = "400", description = "reason missing")
  @APIResponse(responseCode = "404", description = "No such link")
  @APIResponse(
      responseCode = "409",
      description = "Already undone, or the survivor was merged since (undo that first)")
  public LinkView unmerge(@PathParam("id") String id, @Valid @NotNull Reason body) {
    return merges.unmerge(linkId(id), body.reason().strip());
  }

  private Response created(LinkView link) {
    return Response.created(
            uri.getBaseUriBuilder().path("api/records/mpi/links/{id}").build(link.id()))
        .entity(link)
        .build();
  }

  private static UUID candidateId(String id) {
    return uuid(id, "No MPI candidate " + id);
  }

  private static UUID linkId(String id) {
    return uuid(id, "No merge link " + id);
  }

  private static UUID uuid(String id, String notFound) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound(notFound);
    }
  }

  private static int whole(String value, int fallback, String name, List<InvalidParam> problems) {
    if (value == null || value.isBlank()) return fallback;
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // named below
    }
    problems.add(new InvalidParam(name, "must be a whole number, 0 or more"));
    return fallback;
  }
}
