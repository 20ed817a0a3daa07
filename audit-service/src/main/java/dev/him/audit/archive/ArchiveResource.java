package dev.him.audit.archive;

import dev.him.common.access.Roles;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The archive of a sealed period, for keeping beyond the database and checking offline. */
@Path("/api/audit/archive")
@Tag(name = "Audit integrity", description = "Tamper evidence of the access log")
public class ArchiveResource {
  static final String ZIP = "application/zip";

  @Inject ArchiveExport export;

  @GET
  @Produces(ZIP)
  @RolesAllowed({Roles.ADMIN, Roles.PRIVACY})
  @Operation(
      summary = "Export the archive of a sealed period",
      description =
          "A ZIP with, per chain, the entries from just after the last checkpoint signed at or"
              + " before from up to the first checkpoint signed at or after to, byte for byte as"
              + " they were hashed, with those checkpoints and the public key(s): ArchiveVerifier"
              + " checks it offline. from and to: a day (to included) or an instant. Roles:"
              + " him-admin, privacy-officer.")
  @APIResponse(responseCode = "200", description = "The archive (application/zip)")
  @APIResponse(responseCode = "400", description = "from or to missing or wrong (names it)")
  @APIResponse(
      responseCode = "409",
      description = "A chain with entries in the period has no checkpoint after it yet")
  public Response archive(@QueryParam("from") String fromParam, @QueryParam("to") String toParam)
      throws SQLException {
    List<InvalidParam> problems = new ArrayList<>();
    Instant from = instant(fromParam, "from", false, problems);
    Instant to = instant(toParam, "to", true, problems);
    if (from != null && to != null && !from.isBefore(to)) {
      problems.add(new InvalidParam("to", "must be after from"));
    }
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid period", "The archive period is wrong", problems);
    }
    List<ArchiveExport.ChainRange> ranges = export.plan(from, to);
    StreamingOutput body = out -> write(ranges, from, to, out);
    return Response.ok(body, ZIP)
        .header(
            "Content-Disposition",
            "attachment; filename=\"audit-archive-" + stamp(from) + "-" + stamp(to) + ".zip\"")
        .build();
  }

  private void write(
      List<ArchiveExport.ChainRange> ranges, Instant from, Instant to, OutputStream out)
      throws IOException {
    try {
      export.write(ranges, from, to, out);
    } catch (SQLException e) {
      // the response has started: all that is left is to break it, so the ZIP is incomplete
      throw new IOException("audit archive could not be read", e);
    }
  }

  /** A day (from: its start; to: the next day's start, so the day is included) or an instant. */
  private static Instant instant(String v, String name, boolean end, List<InvalidParam> problems) {
    if (v == null || v.isBlank()) {
      problems.add(new InvalidParam(name, "is required: a day (2026-11-26) or an instant"));
      return null;
    }
    try {
      if (v.strip().length() == 10) {
        LocalDate day = LocalDate.parse(v.strip());
        return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(v.strip());
    } catch (DateTimeParseException e) {
      problems.add(
          new InvalidParam(name, "a day (2026-11-26) or an instant (2026-11-26T08:00:00Z)"));
      return null;
    }
  }

  private static String stamp(Instant i) {
    return i.toString().replace(":", "").replace("-", "");
  }
}
