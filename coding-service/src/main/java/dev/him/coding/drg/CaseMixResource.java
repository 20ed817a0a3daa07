package dev.him.coding.drg;

import dev.him.coding.cases.WorkMetricsResource;
import dev.him.common.access.Roles;
import io.agroal.api.AgroalDataSource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The case-mix index: the mean MS-DRG relative weight of the final cases discharged in a period.
 * Counts only, no patient data.
 */
@Path("/api/coding/reports/case-mix")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Coding reports")
public class CaseMixResource {
  @Inject AgroalDataSource ds;

  @ConfigProperty(name = "him.coding.time-zone", defaultValue = "UTC")
  ZoneId zone;

  /**
   * @param cases final cases discharged in the period that carry an MS-DRG
   * @param caseMixIndex mean relative weight of those cases (4 decimals), null when there are none
   * @param totalWeight sum of their weights
   * @param finalWithoutDrg final cases in the period without an MS-DRG (not in the index)
   */
  public record CaseMix(
      LocalDate from,
      LocalDate to,
      long cases,
      BigDecimal caseMixIndex,
      BigDecimal totalWeight,
      long finalWithoutDrg) {}

  @GET
  @RolesAllowed({Roles.CODER, Roles.ADMIN, Roles.CLERK})
  @Operation(
      summary = "Case-mix index",
      description =
          "Mean MS-DRG relative weight of the final cases discharged between from and to"
              + " (inclusive; default the last 30 days), with the count; each case weighs what"
              + " its DRG weighs in the MS-DRG table it was coded with. Final cases without a DRG"
              + " are counted apart. Roles: coder, him-admin, him-clerk.")
  @APIResponse(responseCode = "200", description = "The index and its counts")
  @APIResponse(responseCode = "400", description = "Bad period (problem+json naming it)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public CaseMix caseMix(
      @QueryParam("from") @Parameter(description = "first discharge day, yyyy-mm-dd") String from,
      @QueryParam("to") @Parameter(description = "last discharge day, yyyy-mm-dd") String to) {
    LocalDate[] p = WorkMetricsResource.period(from, to, zone);
    try (Connection c = ds.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select count(w.weight), avg(w.weight), sum(w.weight),"
                    + " count(*) filter (where c.ms_drg is null)"
                    + " from coding_case c left join msdrg_weight w"
                    + " on w.drg_version = c.drg_version and w.drg = c.ms_drg"
                    + " where c.status = 'final' and c.discharged_on between ? and ?")) {
      q.setObject(1, p[0]);
      q.setObject(2, p[1]);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        BigDecimal avg = rs.getBigDecimal(2);
        BigDecimal sum = rs.getBigDecimal(3);
        return new CaseMix(
            p[0],
            p[1],
            rs.getLong(1),
            avg == null ? null : avg.setScale(4, RoundingMode.HALF_UP),
            sum == null ? BigDecimal.ZERO : sum,
            rs.getLong(4));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the case-mix query failed", e);
    }
  }
}
