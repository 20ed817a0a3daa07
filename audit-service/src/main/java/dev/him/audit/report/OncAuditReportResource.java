package dev.him.audit.report;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import dev.him.audit.settings.SettingsChange;
import dev.him.audit.settings.SettingsChangeLog;
import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The audit report of ONC 170.315(d)(3): the log over a chosen period, one line per access with the
 * ASTM E2147 data elements, sortable by each of them, paged or as CSV. Changes of the audit
 * settings and starts/stops of audit logging are in the log as entries of their own kind, and the
 * report adds their full record (old and new value, who, source) as a second section.
 */
@Path("/api/audit/reports/audit-log")
@Tag(name = "Audit report", description = "ONC 170.315(d)(3) audit report over a period")
public class OncAuditReportResource {
  static final int DEFAULT_COUNT = 100;

  /** The settings section lists at most this many changes in the period. */
  static final int MAX_SETTINGS_CHANGES = 10_000;

  private static final Set<String> KNOWN = Set.of("from", "to", "sort", "count", "offset");

  private static final CsvMapper CSV_MAPPER = AccessLogResource.csvMapper();
  private static final ObjectWriter CSV_ROWS =
      CSV_MAPPER.writer(CSV_MAPPER.schemaFor(OncAuditRow.class).withoutHeader());
  private static final String CSV_HEADER =
      String.join(",", CSV_MAPPER.schemaFor(OncAuditRow.class).getColumnNames()) + "\n";
  private static final ObjectWriter CSV_CHANGES =
      CSV_MAPPER.writer(CSV_MAPPER.schemaFor(SettingsChange.class).withoutHeader());
  private static final String CSV_CHANGES_HEADER =
      String.join(",", CSV_MAPPER.schemaFor(SettingsChange.class).getColumnNames()) + "\n";

  @Inject OncAuditReportQueries queries;
  @Inject SettingsChangeLog settingsChanges;
  @Inject AuditLogReads reads;
  @Context UriInfo uri;

  /**
   * A page of the report: the entries of the period in the asked order, and every change of the
   * audit settings and logging status in the period, oldest first.
   */
  public record Report(
      Instant from,
      Instant to,
      String sort,
      long total,
      int count,
      int offset,
      List<OncAuditRow> entries,
      List<SettingsChange> auditSettingsChanges) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Transactional
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN})
  @AuditedAccess(resourceType = AuditLogReads.AUDIT_EVENT, action = AccessAction.SEARCH)
  @Operation(
      summary = "ONC (d)(3) audit report for a period",
      description =
          "from and to are required: a day (to included) or an instant. Columns: dateTime, kind"
              + " (access, audit-settings-change, audit-logging-status), patientIds, user, roles,"
              + " actionType (ASTM E2147: addition, change, deletion, query (view), query"
              + " (search), copy (export)), action, resourceType, resourceId, outcome, client,"
              + " sourceService, purposeOfUse, detail, eventId. sort: any column but detail and"
              + " eventId, - for descending (default dateTime); ties in log order. count 1..500"
              + " (default 100), offset. auditSettingsChanges: every change of the audit"
              + " settings and logging status in the period. Roles: privacy-officer, him-admin.")
  @APIResponse(
      responseCode = "200",
      description = "{from, to, sort, total, count, offset, entries, auditSettingsChanges}")
  @APIResponse(
      responseCode = "400",
      description = "from or to missing, or a parameter wrong (problem+json naming it)")
  public Report report() {
    MultivaluedMap<String, String> params = uri.getQueryParameters();
    AccessQuery q = query(params);
    Report report =
        new Report(
            q.from(),
            q.to(),
            sort(params),
            queries.count(q),
            q.count(),
            q.offset(),
            queries.page(q),
            settingsChanges.between(q.from(), q.to(), null, MAX_SETTINGS_CHANGES));
    reads.query("ONC audit report", null, params);
    return report;
  }

  @GET
  @Path("export")
  @Produces(AccessLogResource.CSV)
  @Transactional
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN})
  @AuditedAccess(resourceType = AuditLogReads.AUDIT_EVENT, action = AccessAction.SEARCH)
  @Operation(
      summary = "ONC (d)(3) audit report as CSV",
      description =
          "The same period and sort as GET /api/audit/reports/audit-log, every entry up to"
              + " 100,000 (X-Total-Count says how many matched): a header line and the entries;"
              + " then an empty line, a second header line and the changes of the audit settings"
              + " and logging status in the period. Roles: privacy-officer, him-admin.")
  @APIResponse(responseCode = "200", description = "CSV, two sections with a header line each")
  @APIResponse(responseCode = "400", description = "from or to missing, or a parameter wrong")
  public Response csv() throws Exception {
    MultivaluedMap<String, String> params = uri.getQueryParameters();
    AccessQuery q = query(params).withPage(AccessQuery.MAX_COUNT, 0);
    long total = queries.count(q);
    StringBuilder out = new StringBuilder(CSV_HEADER);
    int exported = 0;
    long limit = Math.min(total, AccessLogResource.MAX_EXPORT);
    for (int offset = 0; exported < limit; offset += AccessQuery.MAX_COUNT) {
      List<OncAuditRow> rows = queries.page(q.withPage(AccessQuery.MAX_COUNT, offset));
      if (rows.isEmpty()) {
        break;
      }
      for (OncAuditRow row : rows) {
        out.append(CSV_ROWS.writeValueAsString(row));
      }
      exported += rows.size();
    }
    out.append('\n').append(CSV_CHANGES_HEADER);
    for (SettingsChange c : settingsChanges.between(q.from(), q.to(), null, MAX_SETTINGS_CHANGES)) {
      out.append(CSV_CHANGES.writeValueAsString(c));
    }
    reads.export("ONC audit report", null, params);
    return Response.ok(out.toString(), AccessLogResource.CSV + "; charset=UTF-8")
        .header("Content-Disposition", "attachment; filename=\"audit-report.csv\"")
        .header("X-Total-Count", total)
        .build();
  }

  /** The period is required: a report over "everything" is not what (d)(3) asks for. */
  static AccessQuery query(MultivaluedMap<String, String> params) {
    List<InvalidParam> problems = new ArrayList<>();
    for (String bound : List.of("from", "to")) {
      String v = params.getFirst(bound);
      if (v == null || v.isBlank()) {
        problems.add(
            new InvalidParam(
                bound, "is required: a day (2026-11-26) or an instant (2026-11-26T08:00:00Z)"));
      }
    }
    AccessQuery q = null;
    try {
      q = AccessQuery.of(params, DEFAULT_COUNT, OncAuditReportQueries.SORTS, "dateTime", KNOWN);
    } catch (ProblemException e) {
      problems.addAll(e.invalidParams());
    }
    if (!problems.isEmpty()) {
      throw new ProblemException(
          400, "Invalid query", "The audit report needs a period (from, to)", problems);
    }
    return q;
  }

  private static String sort(MultivaluedMap<String, String> params) {
    String sort = params.getFirst("sort");
    return sort == null || sort.isBlank() ? "dateTime" : sort.strip();
  }
}
