package dev.him.audit.report;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.events.v1.AccessAction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The access log for the privacy officer: who accessed which patient, what a user accessed, by
 * time, action, outcome and client; sorted by any column, paged, or exported as CSV.
 */
@Path("/api/audit/entries")
@Tag(name = "Access log", description = "Queries and CSV export of the access log")
public class AccessLogResource {
  static final int DEFAULT_COUNT = 50;

  /** A CSV export holds at most this many rows; narrow the query for more. */
  static final int MAX_EXPORT = 100_000;

  static final String CSV = "text/csv";

  private static final CsvMapper CSV_MAPPER = csvMapper();
  private static final ObjectWriter CSV_ROWS =
      CSV_MAPPER.writer(CSV_MAPPER.schemaFor(AccessRow.class).withoutHeader());
  private static final String CSV_HEADER =
      String.join(",", CSV_MAPPER.schemaFor(AccessRow.class).getColumnNames()) + "\n";

  @Inject AccessLogQueries queries;
  @Inject AuditLogReads reads;
  @Context UriInfo uri;

  /** A page of the log with the number of entries that match. */
  public record AccessPage(long total, int count, int offset, List<AccessRow> entries) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Transactional
  @RolesAllowed(Roles.PRIVACY)
  @AuditedAccess(resourceType = AuditLogReads.AUDIT_EVENT, action = AccessAction.SEARCH)
  @Operation(
      summary = "Query the access log",
      description =
          "Filters (all optional, combined with and): patient (id), user (user name), from and to"
              + " (a day, to included, or an instant), action (CREATE, READ, SEARCH, UPDATE,"
              + " DELETE), outcome (SUCCESS, UNAUTHENTICATED, FORBIDDEN), client (OAuth"
              + " client id), resourceType. sort: occurredAt, user, roles, client, action, outcome,"
              + " purposeOfUse, resourceType, sourceService, with - for descending (default"
              + " -occurredAt). count 1..500 (default 50), offset. Role: privacy-officer.")
  @APIResponse(responseCode = "200", description = "{total, count, offset, entries}")
  @APIResponse(responseCode = "400", description = "A filter is wrong (problem+json naming it)")
  public AccessPage page() {
    AccessQuery q = AccessQuery.of(uri.getQueryParameters(), DEFAULT_COUNT);
    AccessPage page = new AccessPage(queries.count(q), q.count(), q.offset(), queries.page(q));
    reads.query("access log query", q.patient(), uri.getQueryParameters());
    return page;
  }

  @GET
  @Path("export")
  @Produces(CSV)
  @Transactional
  @RolesAllowed(Roles.PRIVACY)
  @AuditedAccess(resourceType = AuditLogReads.AUDIT_EVENT, action = AccessAction.SEARCH)
  @Operation(
      summary = "Export the access log as CSV",
      description =
          "The same filters and sort as GET /api/audit/entries; every matching"
              + " entry up to 100,000 (X-Total-Count says how many matched; narrow the query when"
              + " it is more). Role: privacy-officer.")
  @APIResponse(responseCode = "200", description = "CSV with a header line")
  public Response csv() throws Exception {
    AccessQuery q = AccessQuery.of(uri.getQueryParameters(), DEFAULT_COUNT).withPage(0, 0);
    long total = queries.count(q);
    StringBuilder out = new StringBuilder(CSV_HEADER);
    int exported = 0;
    for (int offset = 0; exported < Math.min(total, MAX_EXPORT); offset += AccessQuery.MAX_COUNT) {
      List<AccessRow> rows = queries.page(q.withPage(AccessQuery.MAX_COUNT, offset));
      if (rows.isEmpty()) {
        break;
      }
      for (AccessRow row : rows) {
        out.append(CSV_ROWS.writeValueAsString(row));
      }
      exported += rows.size();
    }
    reads.export("access log", q.patient(), uri.getQueryParameters());
    return Response.ok(out.toString(), CSV + "; charset=UTF-8")
        .header("Content-Disposition", "attachment; filename=\"access-log.csv\"")
        .header("X-Total-Count", total)
        .build();
  }

  static CsvMapper csvMapper() {
    CsvMapper mapper = new CsvMapper();
    mapper.registerModule(new JavaTimeModule());
    mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    return mapper;
  }
}
