package dev.him.coding.suggest;

import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** How often coders agree with the suggestions: the measure of whether they help. */
@Path("/api/coding/reports/suggestions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Coding reports")
public class SuggestionReportResource {
  @Inject EntityManager em;

  public record CoderRate(String coder, long accepted, long rejected, Double acceptanceRate) {}

  public record Report(
      LocalDate from,
      LocalDate to,
      long accepted,
      long rejected,
      Double acceptanceRate,
      long stillProposed,
      List<CoderRate> byCoder) {}

  @GET
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @Operation(
      summary = "Suggestion acceptance rate",
      description =
          "Decisions made from `from` to `to` (days, UTC, inclusive; default the last 30 days):"
              + " accepted, rejected, acceptanceRate = accepted / (accepted + rejected) (null when"
              + " nothing was decided), per coder, and how many suggestions await a decision."
              + " Roles: coder, him-admin.")
  public Report report(@QueryParam("from") String from, @QueryParam("to") String to) {
    LocalDate end = day("to", to, LocalDate.now(ZoneOffset.UTC));
    LocalDate start = day("from", from, end.minusDays(29));
    if (start.isAfter(end)) {
      throw ProblemException.badRequest("from", "must not be after to");
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select decided_by, count(*) filter (where status = 'accepted'),"
                    + " count(*) filter (where status = 'rejected') from coding_suggestion"
                    + " where decided_at >= ?1 and decided_at < ?2 group by decided_by"
                    + " order by decided_by")
            .setParameter(1, start.atStartOfDay().toInstant(ZoneOffset.UTC))
            .setParameter(2, end.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC))
            .getResultList();
    long accepted = 0;
    long rejected = 0;
    List<CoderRate> byCoder = new ArrayList<>();
    for (Object[] r : rows) {
      long a = ((Number) r[1]).longValue();
      long x = ((Number) r[2]).longValue();
      accepted += a;
      rejected += x;
      byCoder.add(new CoderRate((String) r[0], a, x, rate(a, x)));
    }
    long proposed =
        ((Number)
                em.createNativeQuery(
                        "select count(*) from coding_suggestion where status = 'proposed'")
                    .getSingleResult())
            .longValue();
    return new Report(start, end, accepted, rejected, rate(accepted, rejected), proposed, byCoder);
  }

  private static Double rate(long accepted, long rejected) {
    long decided = accepted + rejected;
    return decided == 0 ? null : Math.round(1000.0 * accepted / decided) / 1000.0;
  }

  private static LocalDate day(String name, String value, LocalDate otherwise) {
    if (value == null || value.isBlank()) return otherwise;
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest(name, "not a date (YYYY-MM-DD)");
    }
  }
}
