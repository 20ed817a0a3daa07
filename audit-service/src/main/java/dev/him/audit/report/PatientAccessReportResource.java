package dev.him.audit.report;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.events.v1.AccessAction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The access report that can be handed to the individual: who looked at or changed their record, in
 * what role, when and what they did, in plain words. Refused attempts and the internal details
 * (clients, correlation ids, hashes) are left out.
 */
@Path("/api/audit/patients/{patientId}/access-report")
@Tag(name = "Access log")
public class PatientAccessReportResource {
  /** An individual's report lists at most this many accesses, newest first. */
  static final int MAX_ENTRIES = 5_000;

  private static final Map<String, String> ACTIONS =
      Map.of(
          "CREATE", "added to the record",
          "READ", "viewed the record",
          "UPDATE", "changed the record",
          "DELETE", "removed from the record",
          "SEARCH", "found the record in a search");

  @Inject AccessLogQueries queries;
  @Inject AuditLogReads reads;

  /** One line of the report. */
  public record Access(Instant when, String who, String role, String action) {}

  /** The report; truncated is true when more accesses matched than it lists. */
  public record Report(
      String patientId,
      Instant from,
      Instant to,
      long total,
      boolean truncated,
      List<Access> accesses) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Transactional
  @RolesAllowed({Roles.PRIVACY, Roles.ROI})
  @AuditedAccess(
      resourceType = AuditLogReads.AUDIT_EVENT,
      action = AccessAction.READ,
      idParam = "patientId")
  @Operation(
      summary = "Access report for the individual",
      description =
          "Successful accesses to the patient's record, newest first: when, who (user name),"
              + " role, what was done in plain words. from and to: a day or an instant (default:"
              + " everything kept). Roles: privacy-officer, roi-specialist.")
  @APIResponse(responseCode = "200", description = "The report")
  @APIResponse(responseCode = "400", description = "from or to is wrong (problem+json)")
  public Report report(
      @PathParam("patientId") String patientId,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    MultivaluedHashMap<String, String> params = new MultivaluedHashMap<>();
    params.putSingle("patient", patientId);
    params.putSingle("outcome", "SUCCESS");
    if (from != null) {
      params.putSingle("from", from);
    }
    if (to != null) {
      params.putSingle("to", to);
    }
    AccessQuery q = AccessQuery.of(params, AccessQuery.MAX_COUNT);
    long total = queries.count(q);
    List<Access> accesses = new ArrayList<>();
    for (int offset = 0; offset < Math.min(total, MAX_ENTRIES); offset += AccessQuery.MAX_COUNT) {
      for (AccessRow r : queries.page(q.withPage(AccessQuery.MAX_COUNT, offset))) {
        accesses.add(
            new Access(
                r.occurredAt(),
                r.user(),
                r.roles() == null ? null : r.roles().replace(",", ", "),
                ACTIONS.getOrDefault(r.action(), r.action())));
      }
    }
    reads.patientReport("access report for the individual", patientId);
    return new Report(patientId, q.from(), q.to(), total, total > accesses.size(), accesses);
  }
}
