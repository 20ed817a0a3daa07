package dev.him.coding.cases;

import dev.him.common.access.RequestContext;
import dev.him.common.access.Roles;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Coding work metrics. Counts only: no patient data. */
@Path("/api/coding/reports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Coding reports", description = "Backlog, productivity, edits, case-mix index")
public class WorkMetricsResource {
  static final int MAX_DAYS = 366;

  @Inject WorkMetrics metrics;

  @ConfigProperty(name = "him.coding.time-zone", defaultValue = "UTC")
  ZoneId zone;

  @GET
  @Path("backlog")
  @RolesAllowed({Roles.CODER, Roles.ADMIN, Roles.CLERK})
  @Operation(
      summary = "Discharged, not final-coded",
      description =
          "Cases not final: count, oldest and average age in days since discharge, buckets 0-3,"
              + " 4-7, 8-14 and >14 days, and the count per status. encounterClass narrows it."
              + " Roles: coder, him-admin, him-clerk.")
  @APIResponse(responseCode = "200", description = "The backlog")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public WorkMetrics.Backlog backlog(
      @QueryParam("encounterClass") @Parameter(description = "e.g. IMP") String encounterClass) {
    String cls = null;
    if (encounterClass != null && !encounterClass.isBlank()) {
      cls = encounterClass.strip().toUpperCase(Locale.ROOT);
      if (!RequestContext.isSafeId(cls)) {
        throw ProblemException.badRequest("encounterClass", "is not an encounter class code");
      }
    }
    return metrics.backlog(cls);
  }

  @GET
  @Path("productivity")
  @RolesAllowed({Roles.CODER, Roles.ADMIN, Roles.CLERK})
  @Operation(
      summary = "Cases finalized per coder per day",
      description =
          "from and to (days, inclusive; default the last 30 days; at most 366 days). Each"
              + " finalization counts, a reopened case finalized again too. Roles: coder, him-admin,"
              + " him-clerk.")
  @APIResponse(responseCode = "200", description = "Per coder and day, with totals")
  @APIResponse(responseCode = "400", description = "Bad period (problem+json naming it)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public WorkMetrics.Productivity productivity(
      @QueryParam("from") @Parameter(description = "first day, yyyy-mm-dd") String from,
      @QueryParam("to") @Parameter(description = "last day, yyyy-mm-dd") String to) {
    LocalDate[] p = period(from, to, zone);
    return metrics.productivity(p[0], p[1]);
  }

  @GET
  @Path("edits")
  @RolesAllowed({Roles.CODER, Roles.ADMIN, Roles.CLERK})
  @Operation(
      summary = "Edit counts by type",
      description =
          "standing: the edits standing now on cases not final, per code and severity, with the"
              + " number of cases; atFinalize: the warnings that stood when cases were finalized"
              + " between from and to (default the last 30 days). Roles: coder, him-admin,"
              + " him-clerk.")
  @APIResponse(responseCode = "200", description = "The counts")
  @APIResponse(responseCode = "400", description = "Bad period (problem+json naming it)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public WorkMetrics.EditCounts edits(
      @QueryParam("from") @Parameter(description = "first day, yyyy-mm-dd") String from,
      @QueryParam("to") @Parameter(description = "last day, yyyy-mm-dd") String to) {
    LocalDate[] p = period(from, to, zone);
    return metrics.edits(p[0], p[1]);
  }

  /** from/to as days, inclusive; defaults: the 30 days up to today. */
  public static LocalDate[] period(String from, String to, ZoneId zone) {
    List<InvalidParam> problems = new ArrayList<>();
    LocalDate today = LocalDate.now(zone);
    LocalDate end = day("to", to, today, problems);
    LocalDate start = day("from", from, end.minusDays(29), problems);
    if (problems.isEmpty() && start.isAfter(end)) {
      problems.add(new InvalidParam("from", "is after to"));
    }
    if (problems.isEmpty() && ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
      problems.add(new InvalidParam("from", "the period is longer than " + MAX_DAYS + " days"));
    }
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid query", "The period is not valid", problems);
    }
    return new LocalDate[] {start, end};
  }

  private static LocalDate day(
      String name, String value, LocalDate fallback, List<InvalidParam> problems) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      problems.add(new InvalidParam(name, "must be a day, yyyy-mm-dd"));
      return fallback;
    }
  }
}
