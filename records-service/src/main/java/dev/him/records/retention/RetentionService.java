package dev.him.records.retention;

import dev.him.common.access.AccessRecorder;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which records are past their retention period. The period's end is monotonic in the last activity
 * and in the birth date, so "ended on or before asOf" is exactly "last activity before one day and
 * birth date on or before another", both computed here: the report is then plain range conditions
 * on record_activity (kept current by {@link RecordActivity}) and patient, walked in last-activity
 * order on the (last_activity, patient_id) index and cut at the page, with held patients dropped by
 * an anti-join on the active-hold index. The end dates are computed only for the rows of the page.
 * Dates are UTC days.
 */
@ApplicationScoped
public class RetentionService {
  static final String RESOURCE_TYPE = "RetentionReport";

  /** A patient's last activity and the end of both retention terms; joins follow. */
  private static final String ENDS =
      "select p.id, p.mrn, p.birth_date, p.deleted_at, x.last_activity,"
          + " cast(cast(x.last_activity at time zone 'UTC' as date)"
          + "   + make_interval(years => :adultYears) as date) as adult_end,"
          + " cast(p.birth_date + make_interval(years => :minorYears) as date) as minor_end";

  private static final String LAST_ACTIVITY =
      " left join record_activity a on a.patient_id = p.id"
          + " cross join lateral (select greatest(a.last_activity, p.updated_at) as last_activity) x";

  /** Records whose retention ended on or before :asOf, as range conditions on indexed columns. */
  private static final String PAST =
      " from record_activity a join patient p on p.id = a.patient_id"
          + " where a.last_activity < :activityBefore and p.updated_at < :activityBefore"
          + " and (p.birth_date is null or p.birth_date <= :bornBy)";

  private static final String NOT_HELD =
      " and not exists (select 1 from legal_hold h"
          + " where h.released_at is null and h.patient_id = p.id)";

  private static final String HOLDS =
      "(select string_agg(h.matter, '; ' order by h.placed_at) from legal_hold h"
          + " where h.released_at is null and h.patient_id = e.id)";

  @Inject EntityManager em;
  @Inject AccessRecorder access;
  @Inject RetentionPolicy policy;

  @Transactional
  public RetentionReport report(LocalDate asOf, boolean includeHeld, int page, int size) {
    OffsetDateTime activityBefore =
        lastDayEnded(asOf, policy.adultYears()).plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    LocalDate bornBy = lastDayEnded(asOf, minorYears());
    String held = includeHeld ? "" : NOT_HELD;
    // the page's ids first (index order, cut at the page), then their details by primary key
    String sql =
        "with page as (select p.id, a.last_activity as walked"
            + PAST
            + held
            + " order by a.last_activity, a.patient_id limit :limit offset :offset),"
            + " e as ("
            + ENDS
            + ", page.walked from page join patient p on p.id = page.id"
            + LAST_ACTIVITY
            + ") select e.id, e.mrn, e.birth_date, e.deleted_at, e.last_activity, e.adult_end,"
            + " e.minor_end, greatest(e.adult_end, e.minor_end), "
            + HOLDS
            + " as holds from e order by e.walked, e.id";
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        terms(em.createNativeQuery(sql))
            .setParameter("activityBefore", activityBefore)
            .setParameter("bornBy", bornBy)
            .setParameter("limit", size)
            .setParameter("offset", (long) page * size)
            .getResultList();
    long total =
        ((Number)
                em.createNativeQuery("select count(*)" + PAST + held)
                    .setParameter("activityBefore", activityBefore)
                    .setParameter("bornBy", bornBy)
                    .getSingleResult())
            .longValue();

    Map<String, List<RetentionItem.EncounterItem>> encounters =
        encountersOf(rows.stream().map(r -> (String) r[0]).toList());
    List<RetentionItem> items = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      items.add(item(r, asOf, encounters.getOrDefault((String) r[0], List.of())));
    }
    access.success(
        AccessAction.SEARCH,
        RESOURCE_TYPE,
        null,
        items.stream().map(RetentionItem::patientId).toList(),
        "as of " + asOf + (includeHeld ? ", held included" : ""));
    return new RetentionReport(
        asOf,
        new RetentionReport.Policy(
            policy.adultYears(), policy.majorityAge(), policy.minorYearsAfterMajority()),
        includeHeld,
        total,
        page,
        size,
        items);
  }

  /**
   * The last day d with d + years &le; asOf. Adding years clamps 29 February to the 28th (here as
   * in PostgreSQL), so that day may be one after asOf - years.
   */
  static LocalDate lastDayEnded(LocalDate asOf, int years) {
    LocalDate d = asOf.minusYears(years);
    while (!d.plusDays(1).plusYears(years).isAfter(asOf)) {
      d = d.plusDays(1);
    }
    return d;
  }

  /** One patient's retention as of a day, held or not, past or not. */
  @Transactional
  public RetentionItem patient(String patientId, LocalDate asOf) {
    String sql =
        "with e as ("
            + ENDS
            + " from patient p"
            + LAST_ACTIVITY
            + " where p.id = :id)"
            + " select e.id, e.mrn, e.birth_date, e.deleted_at, e.last_activity, e.adult_end,"
            + " e.minor_end, greatest(e.adult_end, e.minor_end), "
            + HOLDS
            + " from e";
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        terms(em.createNativeQuery(sql)).setParameter("id", patientId).getResultList();
    if (rows.isEmpty()) {
      throw ProblemException.notFound("Patient/" + patientId + " is not known");
    }
    access.success(
        AccessAction.READ, RESOURCE_TYPE, patientId, List.of(patientId), "as of " + asOf);
    return item(rows.get(0), asOf, null);
  }

  private Query terms(Query q) {
    return q.setParameter("adultYears", policy.adultYears())
        .setParameter("minorYears", minorYears());
  }

  private int minorYears() {
    return policy.majorityAge() + policy.minorYearsAfterMajority();
  }

  private RetentionItem item(
      Object[] r, LocalDate asOf, List<RetentionItem.EncounterItem> encounters) {
    LocalDate birth = date(r[2]);
    Instant last = instant(r[4]);
    LocalDate adultEnd = date(r[5]);
    LocalDate minorEnd = date(r[6]);
    LocalDate ends = date(r[7]);
    String holds = (String) r[8];
    boolean minor = minorEnd != null && minorEnd.isAfter(adultEnd);
    LocalDate lastDay = last.atZone(ZoneOffset.UTC).toLocalDate();
    String why =
        minor
            ? policy.minorYearsAfterMajority()
                + " years after majority (age "
                + policy.majorityAge()
                + ", born "
                + birth
                + "), later than "
                + policy.adultYears()
                + " years after the last activity on "
                + lastDay
            : policy.adultYears() + " years after the last activity on " + lastDay;
    return new RetentionItem(
        (String) r[0],
        (String) r[1],
        birth,
        lastDay,
        ends,
        minor ? RetentionRule.MINOR : RetentionRule.ADULT,
        why,
        !ends.isAfter(asOf),
        r[3] != null,
        holds != null,
        holds == null ? null : Arrays.asList(holds.split("; ")),
        encounters);
  }

  /** The encounters of the listed patients, in one indexed query. */
  private Map<String, List<RetentionItem.EncounterItem>> encountersOf(List<String> patientIds) {
    Map<String, List<RetentionItem.EncounterItem>> out = new LinkedHashMap<>();
    if (patientIds.isEmpty()) {
      return out;
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select r.patient_id, r.id, max(i.date_end), r.deleted_at is not null"
                    + " from fhir_resource r left join fhir_search_index i"
                    + " on i.resource_type = r.resource_type and i.id = r.id and i.param = 'date'"
                    + " where r.patient_id in (:ids) and r.resource_type = 'Encounter'"
                    + " group by r.patient_id, r.id, r.deleted_at"
                    + " order by r.patient_id, max(i.date_end), r.id")
            .setParameter("ids", patientIds)
            .getResultList();
    for (Object[] r : rows) {
      Instant end = instant(r[2]);
      out.computeIfAbsent((String) r[0], k -> new ArrayList<>())
          .add(
              new RetentionItem.EncounterItem(
                  (String) r[1],
                  end == null ? null : end.atZone(ZoneOffset.UTC).toLocalDate(),
                  Boolean.TRUE.equals(r[3])));
    }
    return out;
  }

  private static LocalDate date(Object o) {
    if (o == null) return null;
    if (o instanceof LocalDate d) return d;
    if (o instanceof java.sql.Date d) return d.toLocalDate();
    throw new IllegalStateException("not a date: " + o.getClass().getName());
  }

  private static Instant instant(Object o) {
    if (o == null) return null;
    if (o instanceof Instant i) return i;
    if (o instanceof OffsetDateTime t) return t.toInstant();
    if (o instanceof Timestamp t) return t.toInstant();
    throw new IllegalStateException("not a timestamp: " + o.getClass().getName());
  }
}
