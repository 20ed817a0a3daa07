package dev.him.coding.cases;

import dev.him.coding.edits.Icd10CmShape;
import dev.him.common.access.AccessRecorder;
import dev.him.events.v1.AccessAction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The coders' work queue: cases filtered, sorted (oldest discharge first) and paged. */
@ApplicationScoped
public class CaseQueue {
  @Inject Sql sql;
  @Inject AccessRecorder access;

  @ConfigProperty(name = "him.coding.time-zone", defaultValue = "UTC")
  ZoneId zone;

  /**
   * What the queue asks for, already checked.
   *
   * @param statuses the statuses wanted (never empty)
   * @param minAgeDays at least this many days since discharge, or null
   * @param assignedTo a user name, or null for anyone
   * @param unassigned only cases nobody holds
   * @param newestFirst sort by discharge, newest first (default oldest first)
   */
  public record Query(
      List<String> statuses,
      Integer minAgeDays,
      String encounterClass,
      String assignedTo,
      boolean unassigned,
      String patientId,
      String encounterId,
      boolean newestFirst,
      int count,
      int offset) {}

  @Transactional
  public CasePage list(Query q) {
    LocalDate today = LocalDate.now(zone);
    StringBuilder where = new StringBuilder(" where c.status = any(?)");
    List<Object> args = new ArrayList<>();
    args.add(q.statuses());
    if (q.minAgeDays() != null) {
      where.append(" and c.discharged_on <= ?");
      args.add(today.minusDays(q.minAgeDays()));
    }
    if (q.encounterClass() != null) {
      where.append(" and c.encounter_class = ?");
      args.add(q.encounterClass());
    }
    if (q.assignedTo() != null) {
      where.append(" and c.assigned_to = ?");
      args.add(q.assignedTo());
    }
    if (q.unassigned()) {
      where.append(" and c.assigned_to is null");
    }
    if (q.patientId() != null) {
      where.append(" and c.patient_id = ?");
      args.add(q.patientId());
    }
    if (q.encounterId() != null) {
      where.append(" and c.encounter_id = ?");
      args.add(q.encounterId());
    }
    long total = sql.count("select count(*) from coding_case c" + where, args.toArray());
    List<CaseSummary> items = List.of();
    if (q.count() > 0 && total > q.offset()) {
      String order =
          q.newestFirst()
              ? " order by c.discharged_at desc, c.id"
              : " order by c.discharged_at, c.id";
      List<Object> page = new ArrayList<>(args);
      page.add(q.count());
      page.add(q.offset());
      items =
          sql.list(
              "select c.id, c.encounter_id, c.patient_id, c.encounter_class, c.discharged_at,"
                  + " c.discharged_on, c.status, c.assigned_to, c.principal_diagnosis, c.ms_drg,"
                  + " c.version,"
                  + " (select count(*) from coding_case_edit e where e.case_id = c.id"
                  + "   and e.severity = 'error') as errors,"
                  + " (select count(*) from coding_case_edit e where e.case_id = c.id"
                  + "   and e.severity = 'warning') as warnings,"
                  + " (select count(*) from coding_query k where k.case_id = c.id"
                  + "   and k.status = 'open') as open_queries"
                  + " from coding_case c"
                  + where
                  + order
                  + " limit ? offset ?",
              rs ->
                  new CaseSummary(
                      rs.getObject("id", UUID.class),
                      rs.getString("encounter_id"),
                      rs.getString("patient_id"),
                      rs.getString("encounter_class"),
                      Sql.instant(rs, "discharged_at"),
                      Sql.date(rs, "discharged_on"),
                      ChronoUnit.DAYS.between(Sql.date(rs, "discharged_on"), today),
                      rs.getString("status"),
                      rs.getString("assigned_to"),
                      Icd10CmShape.withDot(rs.getString("principal_diagnosis")),
                      rs.getString("ms_drg"),
                      rs.getLong("errors"),
                      rs.getLong("warnings"),
                      rs.getLong("open_queries"),
                      rs.getInt("version")),
              page.toArray());
    }
    List<String> patients =
        items.stream().map(CaseSummary::patientId).filter(Objects::nonNull).distinct().toList();
    access.success(AccessAction.SEARCH, CaseService.RESOURCE, null, patients, "coding work queue");
    return new CasePage(total, q.offset(), q.count(), items);
  }
}
