package dev.him.records.deficiency;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.outbox.Outbox;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.DeficiencyClosed;
import dev.him.events.v1.DeficiencyOpened;
import dev.him.events.v1.Topics;
import dev.him.records.encounter.Chart;
import dev.him.records.encounter.Discharge;
import dev.him.records.encounter.DischargedChartChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chart deficiencies: judged by the rule book whenever the chart of a discharged encounter changes,
 * so they open when the rules find them and close by themselves (corrected) when the record is
 * fixed; kept in the responsible practitioner's queue with their age; waived by an HIM
 * administrator when they will not be corrected.
 */
@ApplicationScoped
public class DeficiencyService {
  static final String COLUMNS =
      "id, rule_code, patient_id, encounter_id, document_id, responsible_practitioner_id,"
          + " opened_at, discharged_at, delinquent_on, status, closed_at, resolution, closed_by,"
          + " waive_reason";

  @Inject EntityManager em;
  @Inject RuleBook rules;
  @Inject Outbox outbox;
  @Inject AccessRecorder access;
  @Inject RequestContext request;

  /** The medical staff rule: a chart not completed this many days after discharge is delinquent. */
  @ConfigProperty(name = "him.deficiency.delinquent-after-days", defaultValue = "30")
  int delinquentAfterDays;

  /** Where "days after discharge" are counted. */
  @ConfigProperty(name = "him.deficiency.time-zone", defaultValue = "UTC")
  ZoneId zone;

  private record Key(String ruleCode, String documentId) {}

  private record Existing(UUID id, String status, String resolution, String responsible) {}

  /**
   * Judges a discharged encounter's chart: opens what the active rules find and nobody opened or
   * waived yet, moves open ones to a new responsible practitioner, closes (corrected) open ones the
   * rules no longer find. Deficiencies of rules no longer active are left alone.
   */
  void reconcile(@Observes DischargedChartChanged event) {
    Chart chart = event.chart();
    Discharge discharge = event.discharge();
    Map<Key, Finding> found = new LinkedHashMap<>();
    Set<String> judged = new HashSet<>();
    for (Rule rule : rules.active()) {
      judged.add(rule.code());
      if (!chart.active() || !rule.appliesTo(chart.encounterClass())) {
        continue;
      }
      for (Finding f : rule.check().find(chart)) {
        found.putIfAbsent(new Key(rule.code(), f.documentId()), f);
      }
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select id, rule_code, document_id, status, resolution,"
                    + " responsible_practitioner_id from deficiency where encounter_id = ?1"
                    + " and (status = 'open' or resolution = 'waived')")
            .setParameter(1, chart.encounterId())
            .getResultList();
    Map<Key, Existing> open = new HashMap<>();
    Set<Key> waived = new HashSet<>();
    for (Object[] r : rows) {
      Key key = new Key((String) r[1], (String) r[2]);
      if ("open".equals(r[3])) {
        open.put(key, new Existing(uuid(r[0]), "open", null, (String) r[5]));
      } else {
        waived.add(key);
      }
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    for (var f : found.entrySet()) {
      Existing existing = open.get(f.getKey());
      String responsible = f.getValue().responsiblePractitionerId();
      if (existing != null) {
        if (!Objects.equals(existing.responsible(), responsible)) {
          // the attending or author was recorded or changed: the deficiency follows them
          em.createNativeQuery(
                  "update deficiency set responsible_practitioner_id = cast(?1 as varchar)"
                      + " where id = ?2 and status = 'open'")
              .setParameter(1, responsible)
              .setParameter(2, existing.id())
              .executeUpdate();
        }
      } else if (!waived.contains(f.getKey())) {
        open(f.getKey(), responsible, chart, discharge, now);
      }
    }
    for (var o : open.entrySet()) {
      if (judged.contains(o.getKey().ruleCode()) && !found.containsKey(o.getKey())) {
        close(
            o.getValue().id(), o.getKey().ruleCode(), chart.encounterId(), "corrected", null, null);
      }
    }
  }

  private void open(Key key, String responsible, Chart chart, Discharge discharge, Instant now) {
    UUID id = UUID.randomUUID();
    LocalDate delinquentOn = dischargeDate(discharge.dischargedAt()).plusDays(delinquentAfterDays);
    String patientId = chart.patientId() != null ? chart.patientId() : discharge.patientId();
    int inserted =
        em.createNativeQuery(
                "insert into deficiency (id, rule_code, patient_id, encounter_id, document_id,"
                    + " responsible_practitioner_id, opened_at, discharged_at, delinquent_on, status)"
                    + " values (?1, ?2, cast(?3 as varchar), ?4, cast(?5 as varchar),"
                    + " cast(?6 as varchar), ?7, ?8, ?9, 'open') on conflict (rule_code,"
                    + " encounter_id, coalesce(document_id, '')) where status = 'open' do nothing")
            .setParameter(1, id)
            .setParameter(2, key.ruleCode())
            .setParameter(3, patientId)
            .setParameter(4, chart.encounterId())
            .setParameter(5, key.documentId())
            .setParameter(6, responsible)
            .setParameter(7, now)
            .setParameter(8, discharge.dischargedAt())
            .setParameter(9, delinquentOn)
            .executeUpdate();
    if (inserted == 0) {
      return;
    }
    UUID eventId = UUID.randomUUID();
    outbox.add(
        Topics.DEFICIENCY_EVENTS,
        patientId,
        eventId,
        DeficiencyOpened.TYPE,
        DeficiencyOpened.VERSION,
        new DeficiencyOpened(
            eventId,
            now,
            id.toString(),
            key.ruleCode(),
            patientId,
            chart.encounterId(),
            key.documentId(),
            responsible,
            delinquentOn,
            request.requestId()));
  }

  /** Closes an open deficiency and announces it; false if it was no longer open. */
  private boolean close(
      UUID id, String ruleCode, String encounterId, String resolution, String by, String reason) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<?> closed =
        em.createNativeQuery(
                "update deficiency set status = 'closed', closed_at = ?1, resolution = ?2,"
                    + " closed_by = cast(?3 as text), waive_reason = cast(?4 as text)"
                    + " where id = ?5 and status = 'open' returning patient_id")
            .setParameter(1, now)
            .setParameter(2, resolution)
            .setParameter(3, by)
            .setParameter(4, reason)
            .setParameter(5, id)
            .getResultList();
    if (closed.isEmpty()) {
      return false;
    }
    String patientId = (String) closed.get(0);
    UUID eventId = UUID.randomUUID();
    outbox.add(
        Topics.DEFICIENCY_EVENTS,
        patientId,
        eventId,
        DeficiencyClosed.TYPE,
        DeficiencyClosed.VERSION,
        new DeficiencyClosed(
            eventId,
            now,
            id.toString(),
            ruleCode,
            patientId,
            encounterId,
            resolution,
            request.requestId()));
    return true;
  }

  /** A page of a queue, oldest due first for open deficiencies, newest first otherwise. */
  @Transactional
  public DeficiencyPage list(DeficiencyQuery q) {
    LocalDate today = today();
    StringBuilder where = new StringBuilder(" where true");
    List<Object> params = new ArrayList<>();
    if (!"all".equals(q.status())) {
      params.add(q.status());
      where.append(" and status = ?").append(params.size());
    }
    if (q.practitionerId() != null) {
      params.add(q.practitionerId());
      where.append(" and responsible_practitioner_id = ?").append(params.size());
    }
    if (q.unassigned()) {
      where.append(" and responsible_practitioner_id is null");
    }
    if (q.patientId() != null) {
      params.add(q.patientId());
      where.append(" and patient_id = ?").append(params.size());
    }
    if (q.encounterId() != null) {
      params.add(q.encounterId());
      where.append(" and encounter_id = ?").append(params.size());
    }
    if (q.delinquent() != null) {
      params.add(today);
      where
          .append(q.delinquent() ? " and delinquent_on <= ?" : " and delinquent_on > ?")
          .append(params.size());
    }
    long total =
        ((Number)
                bind(em.createNativeQuery("select count(*) from deficiency" + where), params)
                    .getSingleResult())
            .longValue();
    List<DeficiencyView> items = List.of();
    if (q.count() > 0 && total > q.offset()) {
      String order =
          "open".equals(q.status())
              ? " order by delinquent_on, id"
              : " order by opened_at desc, id";
      @SuppressWarnings("unchecked")
      List<Object[]> rows =
          bind(
                  em.createNativeQuery(
                      "select "
                          + COLUMNS
                          + " from deficiency"
                          + where
                          + order
                          + " limit "
                          + q.count()
                          + " offset "
                          + q.offset()),
                  params)
              .getResultList();
      items = rows.stream().map(r -> view(r, today)).toList();
    }
    List<String> patients =
        items.stream().map(DeficiencyView::patientId).filter(Objects::nonNull).distinct().toList();
    access.success(AccessAction.SEARCH, "Deficiency", null, patients, "deficiency queue");
    return new DeficiencyPage(total, q.offset(), q.count(), items);
  }

  /** Open deficiencies per responsible practitioner (one, or every queue). */
  @Transactional
  public List<QueueSummary> summary(String practitionerId) {
    LocalDate today = today();
    String sql =
        "select responsible_practitioner_id, count(*),"
            + " count(*) filter (where delinquent_on <= ?1), min(discharged_at)"
            + " from deficiency where status = 'open'"
            + (practitionerId == null ? "" : " and responsible_practitioner_id = ?2")
            + " group by responsible_practitioner_id order by 3 desc, 2 desc, 1 limit 500";
    Query query = em.createNativeQuery(sql).setParameter(1, today);
    if (practitionerId != null) query.setParameter(2, practitionerId);
    @SuppressWarnings("unchecked")
    List<Object[]> rows = query.getResultList();
    return rows.stream()
        .map(
            r ->
                new QueueSummary(
                    (String) r[0],
                    ((Number) r[1]).longValue(),
                    ((Number) r[2]).longValue(),
                    ChronoUnit.DAYS.between(dischargeDate(instant(r[3])), today)))
        .toList();
  }

  /** Closes an open deficiency as waived, with the reason; 409 when it is no longer open. */
  @Transactional
  public DeficiencyView waive(UUID id, String reason) {
    Optional<Object[]> row = row(id, true);
    if (row.isEmpty()) {
      throw ProblemException.notFound("Deficiency " + id + " is not known");
    }
    Object[] r = row.get();
    if (!"open".equals(r[9])) {
      throw new ProblemException(
          409, "Not open", "Deficiency " + id + " is already closed (" + r[11] + ")", List.of());
    }
    close(id, (String) r[1], (String) r[3], "waived", request.actor().username(), reason);
    DeficiencyView view = view(row(id, false).orElseThrow(), today());
    access.success(
        AccessAction.UPDATE,
        "Deficiency",
        id.toString(),
        view.patientId() == null ? List.of() : List.of(view.patientId()),
        "waived");
    return view;
  }

  private Optional<Object[]> row(UUID id, boolean lock) {
    List<?> rows =
        em.createNativeQuery(
                "select "
                    + COLUMNS
                    + " from deficiency where id = ?1"
                    + (lock ? " for update" : ""))
            .setParameter(1, id)
            .getResultList();
    return rows.isEmpty() ? Optional.empty() : Optional.of((Object[]) rows.get(0));
  }

  private DeficiencyView view(Object[] r, LocalDate today) {
    String ruleCode = (String) r[1];
    Optional<Rule> rule = rules.byCode(ruleCode);
    Instant discharged = instant(r[7]);
    LocalDate delinquentOn = date(r[8]);
    boolean open = "open".equals(r[9]);
    return new DeficiencyView(
        uuid(r[0]),
        ruleCode,
        rule.map(Rule::description).orElse(null),
        rule.map(Rule::severity).orElse(null),
        (String) r[9],
        (String) r[2],
        (String) r[3],
        (String) r[4],
        (String) r[5],
        instant(r[6]),
        discharged,
        delinquentOn,
        ChronoUnit.DAYS.between(dischargeDate(discharged), today),
        open && !today.isBefore(delinquentOn),
        r[10] == null ? null : instant(r[10]),
        (String) r[11],
        (String) r[12],
        (String) r[13]);
  }

  private LocalDate today() {
    return LocalDate.now(zone);
  }

  private LocalDate dischargeDate(Instant dischargedAt) {
    return dischargedAt.atZone(zone).toLocalDate();
  }

  private static Query bind(Query q, List<Object> params) {
    for (int i = 0; i < params.size(); i++) {
      q.setParameter(i + 1, params.get(i));
    }
    return q;
  }

  private static UUID uuid(Object value) {
    return value instanceof UUID u ? u : UUID.fromString(String.valueOf(value));
  }

  private static Instant instant(Object value) {
    if (value instanceof Instant i) return i;
    if (value instanceof OffsetDateTime o) return o.toInstant();
    if (value instanceof java.sql.Timestamp t) return t.toInstant();
    throw new IllegalStateException("not a time: " + value);
  }

  private static LocalDate date(Object value) {
    if (value instanceof LocalDate d) return d;
    if (value instanceof java.sql.Date d) return d.toLocalDate();
    throw new IllegalStateException("not a date: " + value);
  }
}
