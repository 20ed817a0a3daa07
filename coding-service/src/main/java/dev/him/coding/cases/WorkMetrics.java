package dev.him.coding.cases;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Coding work figures: the backlog of discharged encounters not yet final-coded, coder
 * productivity, and edit counts. Counts only, no patient data, so no access events.
 */
@ApplicationScoped
public class WorkMetrics {
  @Inject Sql sql;

  @ConfigProperty(name = "him.coding.time-zone", defaultValue = "UTC")
  ZoneId zone;

  /**
   * Cases not final, by age in days since discharge.
   *
   * @param buckets 0-3, 4-7, 8-14 and >14 days
   * @param byStatus open, in-progress, on-hold, reopened
   */
  public record Backlog(
      LocalDate asOf,
      String encounterClass,
      long count,
      Long oldestDays,
      BigDecimal averageDays,
      Map<String, Long> buckets,
      Map<String, Long> byStatus) {}

  public record CoderDay(String coder, LocalDate day, long finalized) {}

  public record Productivity(
      LocalDate from,
      LocalDate to,
      long finalized,
      Map<String, Long> byCoder,
      List<CoderDay> days) {}

  public record EditCount(String code, String severity, long count, long cases) {}

  public record WarningCount(String code, long count) {}

  /**
   * standing: edits standing now on cases not final (after their last save); atFinalize: the
   * warnings that stood when cases were finalized in the period (errors never stand at finalize).
   */
  public record EditCounts(
      List<EditCount> standing,
      LocalDate from,
      LocalDate to,
      long finalizations,
      List<WarningCount> atFinalize) {}

  @Transactional
  public Backlog backlog(String encounterClass) {
    LocalDate today = LocalDate.now(zone);
    String filter = encounterClass == null ? "" : " and encounter_class = ?";
    List<Object> args = new ArrayList<>();
    args.add(today);
    args.add(today);
    args.add(today);
    args.add(today);
    args.add(today);
    args.add(today);
    args.add(today);
    if (encounterClass != null) args.add(encounterClass);
    Backlog b =
        sql.one(
                "select count(*), max(cast(? as date) - discharged_on),"
                    + " avg(cast(? as date) - discharged_on),"
                    + " count(*) filter (where cast(? as date) - discharged_on <= 3),"
                    + " count(*) filter (where cast(? as date) - discharged_on between 4 and 7),"
                    + " count(*) filter (where cast(? as date) - discharged_on between 8 and 14),"
                    + " count(*) filter (where cast(? as date) - discharged_on > 14),"
                    + " cast(? as date) from coding_case where status <> 'final'"
                    + filter,
                rs -> {
                  Map<String, Long> buckets = new LinkedHashMap<>();
                  buckets.put("0-3", rs.getLong(4));
                  buckets.put("4-7", rs.getLong(5));
                  buckets.put("8-14", rs.getLong(6));
                  buckets.put(">14", rs.getLong(7));
                  BigDecimal avg = rs.getBigDecimal(3);
                  long oldest = rs.getLong(2);
                  boolean none = rs.wasNull();
                  return new Backlog(
                      today,
                      encounterClass,
                      rs.getLong(1),
                      none ? null : oldest,
                      avg == null ? null : avg.setScale(1, RoundingMode.HALF_UP),
                      buckets,
                      new LinkedHashMap<>());
                },
                args.toArray())
            .orElseThrow();
    for (String s : CaseStatus.NOT_FINAL) {
      b.byStatus().put(s, 0L);
    }
    List<Object> statusArgs = new ArrayList<>();
    if (encounterClass != null) statusArgs.add(encounterClass);
    sql.list(
            "select status, count(*) from coding_case where status <> 'final'"
                + filter
                + " group by status",
            rs -> Map.entry(rs.getString(1), rs.getLong(2)),
            statusArgs.toArray())
        .forEach(e -> b.byStatus().put(e.getKey(), e.getValue()));
    return b;
  }

  /** Finalizations per coder per day (the service's time zone), re-finalizations included. */
  @Transactional
  public Productivity productivity(LocalDate from, LocalDate to) {
    List<CoderDay> days =
        sql.list(
            "select finalized_by, cast(finalized_at at time zone ? as date) as day, count(*)"
                + " from coding_case_finalization where finalized_at >= ? and finalized_at < ?"
                + " group by 1, 2 order by 2, 1",
            rs -> new CoderDay(rs.getString(1), Sql.date(rs, "day"), rs.getLong(3)),
            zone.getId(),
            from.atStartOfDay(zone).toInstant(),
            to.plusDays(1).atStartOfDay(zone).toInstant());
    Map<String, Long> byCoder = new LinkedHashMap<>();
    days.stream()
        .sorted((a, b) -> a.coder().compareTo(b.coder()))
        .forEach(d -> byCoder.merge(d.coder(), d.finalized(), Long::sum));
    return new Productivity(
        from, to, days.stream().mapToLong(CoderDay::finalized).sum(), byCoder, days);
  }

  @Transactional
  public EditCounts edits(LocalDate from, LocalDate to) {
    List<EditCount> standing =
        sql.list(
            "select e.code, e.severity, count(*), count(distinct e.case_id) from coding_case_edit e"
                + " join coding_case c on c.id = e.case_id where c.status <> 'final'"
                + " group by 1, 2 order by 3 desc, 1",
            rs -> new EditCount(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
    Object[] period = {
      from.atStartOfDay(zone).toInstant(), to.plusDays(1).atStartOfDay(zone).toInstant()
    };
    long finalizations =
        sql.count(
            "select count(*) from coding_case_finalization where finalized_at >= ?"
                + " and finalized_at < ?",
            period);
    List<WarningCount> atFinalize =
        sql.list(
            "select w, count(*) from coding_case_finalization f, unnest(f.warning_codes) w"
                + " where f.finalized_at >= ? and f.finalized_at < ? group by w order by 2 desc, 1",
            rs -> new WarningCount(rs.getString(1), rs.getLong(2)),
            period);
    return new EditCounts(standing, from, to, finalizations, atFinalize);
  }
}
