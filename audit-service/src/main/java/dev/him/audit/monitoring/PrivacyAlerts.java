package dev.him.audit.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.common.access.AccessRecorder;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The alert queue: alerts opened by the monitor (once per rule, event and patient), taken up and
 * closed by the privacy officer, every change kept in privacy_alert_history. Changes lock the row;
 * the version answers If-Match.
 */
@ApplicationScoped
public class PrivacyAlerts {
  /** The author of changes the monitor makes. */
  static final String MONITOR = "privacy-monitoring";

  static final int MAX_NOTE = 4000;

  /** Resource type of the access events recorded for reads and changes of alerts. */
  public static final String ALERT = "PrivacyAlert";

  private static final String COLUMNS =
      "id, rule, status, disposition, username, patient_id, event_id, chain_id, seq, occurred_at,"
          + " cast(evidence as text), created_at, assignee, notes, closed_by, closed_at, version";

  @Inject EntityManager em;
  @Inject ObjectMapper json;
  @Inject MeterRegistry registry;
  @Inject AccessRecorder recorder;

  /**
   * Alerts not closed yet by status (OPEN, INVESTIGATING), for the gauge him_privacy_alerts_open.
   */
  private final Map<AlertStatus, AtomicLong> notClosed = new EnumMap<>(AlertStatus.class);

  void registerGauge(@Observes StartupEvent start) {
    for (AlertStatus status : AlertStatus.values()) {
      if (status != AlertStatus.CLOSED) {
        AtomicLong count = new AtomicLong();
        notClosed.put(status, count);
        registry.gauge("him.privacy.alerts.open", Tags.of("status", status.name()), count);
      }
    }
  }

  /** Opens the alert unless this rule already flagged this event for this patient. */
  @Transactional(Transactional.TxType.MANDATORY)
  boolean open(Access access, Hit hit) {
    UUID id = UUID.randomUUID();
    int inserted =
        em.createNativeQuery(
                "insert into privacy_alert (id, rule, status, username, patient_id, event_id,"
                    + " chain_id, seq, occurred_at, evidence, created_at, version)"
                    + " values (?1, ?2, 'OPEN', ?3, ?4, ?5, ?6, ?7, ?8, cast(?9 as jsonb), ?10, 0)"
                    + " on conflict (rule, event_id, patient_id) do nothing")
            .setParameter(1, id)
            .setParameter(2, hit.rule().name())
            .setParameter(3, access.username())
            .setParameter(4, hit.patientId())
            .setParameter(5, access.eventId())
            .setParameter(6, access.chainId())
            .setParameter(7, access.seq())
            .setParameter(8, access.occurredAt())
            .setParameter(9, write(hit.evidence()))
            .setParameter(10, now())
            .executeUpdate();
    if (inserted == 1) {
      history(id, MONITOR, "OPENED", null, AlertStatus.OPEN, null, null);
    }
    return inserted == 1;
  }

  /** Whether a volume alert of this user already covers accesses after this instant. */
  @Transactional(Transactional.TxType.MANDATORY)
  boolean volumeAlertSince(String username, Instant since) {
    return !em.createNativeQuery(
            "select 1 from privacy_alert where username = ?1 and rule = 'UNUSUAL_VOLUME'"
                + " and occurred_at > ?2 limit 1")
        .setParameter(1, username)
        .setParameter(2, since)
        .getResultList()
        .isEmpty();
  }

  @Transactional
  public AlertPage page(AlertQuery q) {
    List<Object> params = new ArrayList<>();
    String where = where(q, params);
    Query count = em.createNativeQuery("select count(*) from privacy_alert" + where);
    bind(count, params);
    Query page =
        em.createNativeQuery(
            "select "
                + COLUMNS
                + " from privacy_alert"
                + where
                + " order by occurred_at desc, created_at desc, id limit "
                + q.count()
                + " offset "
                + q.offset());
    bind(page, params);
    List<AlertView> alerts = new ArrayList<>();
    for (Object row : page.getResultList()) {
      alerts.add(view((Object[]) row));
    }
    // the page names patients (who accessed them): reading it is an access, recorded
    recorder.success(
        AccessAction.SEARCH,
        ALERT,
        null,
        alerts.stream().map(AlertView::patientId).distinct().toList(),
        "privacy alert queue" + (q.rule() == null ? "" : "; rule " + q.rule()));
    return new AlertPage(
        ((Number) count.getSingleResult()).longValue(), q.count(), q.offset(), alerts);
  }

  @Transactional
  public AlertView get(UUID id) {
    AlertView alert = detail(id);
    recorder.success(
        AccessAction.READ, ALERT, id.toString(), List.of(alert.patientId()), "privacy alert");
    return alert;
  }

  private AlertView detail(UUID id) {
    return row(id, false).withHistory(history(id));
  }

  private AlertView changed(UUID id, String what) {
    AlertView alert = detail(id);
    recorder.success(AccessAction.UPDATE, ALERT, id.toString(), List.of(alert.patientId()), what);
    return alert;
  }

  /** OPEN → INVESTIGATING, assigned to the caller. */
  @Transactional
  public AlertView investigate(UUID id, String by, String note, Integer expectedVersion) {
    checkNote(note, false);
    AlertView alert = row(id, true);
    checkVersion(alert, expectedVersion);
    if (alert.status() != AlertStatus.OPEN) {
      throw conflict(alert, "only an OPEN alert can be taken up");
    }
    em.createNativeQuery(
            "update privacy_alert set status = 'INVESTIGATING', assignee = ?1,"
                + " notes = coalesce(?2, notes), version = version + 1 where id = ?3")
        .setParameter(1, by)
        .setParameter(2, blank(note))
        .setParameter(3, id)
        .executeUpdate();
    history(id, by, "INVESTIGATION", alert.status(), AlertStatus.INVESTIGATING, null, note);
    refreshGauge();
    return changed(id, "privacy alert taken up");
  }

  /** OPEN or INVESTIGATING → CLOSED with a disposition. */
  @Transactional
  public AlertView close(UUID id, String by, Closure closure, Integer expectedVersion) {
    Disposition disposition = disposition(closure);
    AlertView alert = row(id, true);
    checkVersion(alert, expectedVersion);
    if (alert.status() == AlertStatus.CLOSED) {
      throw conflict(alert, "the alert is closed already");
    }
    String note = closure == null ? null : blank(closure.note());
    Instant now = now();
    em.createNativeQuery(
            "update privacy_alert set status = 'CLOSED', disposition = ?1, closed_by = ?2,"
                + " closed_at = ?3, notes = coalesce(?4, notes),"
                + " assignee = coalesce(assignee, ?2), version = version + 1 where id = ?5")
        .setParameter(1, disposition.name())
        .setParameter(2, by)
        .setParameter(3, now)
        .setParameter(4, note)
        .setParameter(5, id)
        .executeUpdate();
    history(id, by, "CLOSURE", alert.status(), AlertStatus.CLOSED, disposition, note);
    refreshGauge();
    return changed(id, "privacy alert closed: " + disposition);
  }

  /** Recounts the alerts not closed, by status, for the gauge; returns their total. */
  @Transactional
  public long refreshGauge() {
    Map<String, Long> byStatus = new java.util.HashMap<>();
    for (Object row :
        em.createNativeQuery(
                "select status, count(*) from privacy_alert where status <> 'CLOSED'"
                    + " group by status")
            .getResultList()) {
      Object[] r = (Object[]) row;
      byStatus.put((String) r[0], ((Number) r[1]).longValue());
    }
    long total = 0;
    for (var e : notClosed.entrySet()) {
      long n = byStatus.getOrDefault(e.getKey().name(), 0L);
      e.getValue().set(n);
      total += n;
    }
    return total;
  }

  private static Disposition disposition(Closure closure) {
    String value = closure == null ? null : blank(closure.disposition());
    List<String> names = java.util.Arrays.stream(Disposition.values()).map(Enum::name).toList();
    if (value == null || !names.contains(value.toUpperCase(java.util.Locale.ROOT))) {
      throw new ProblemException(
          400,
          "Invalid closure",
          "Say how the alert ended",
          List.of(new InvalidParam("disposition", "one of " + String.join(", ", names))));
    }
    Disposition d = Disposition.valueOf(value.toUpperCase(java.util.Locale.ROOT));
    checkNote(closure.note(), d.needsNote());
    return d;
  }

  private static void checkNote(String note, boolean required) {
    if (required && blank(note) == null) {
      throw new ProblemException(
          400,
          "Invalid closure",
          "This disposition needs a note saying what was found and done",
          List.of(new InvalidParam("note", "is required for this disposition")));
    }
    if (note != null && note.length() > MAX_NOTE) {
      throw ProblemException.badRequest("note", "at most " + MAX_NOTE + " characters");
    }
  }

  private static void checkVersion(AlertView alert, Integer expected) {
    if (expected != null && expected != alert.version()) {
      throw new ProblemException(
          412,
          "Version conflict",
          "The alert is at version " + alert.version() + ", not " + expected,
          List.of(new InvalidParam("If-Match", "must be " + alert.version())));
    }
  }

  private static ProblemException conflict(AlertView alert, String why) {
    return new ProblemException(
        409,
        "Illegal transition",
        "The alert is " + alert.status() + ": " + why,
        List.of(new InvalidParam("status", "is " + alert.status())));
  }

  private AlertView row(UUID id, boolean lock) {
    List<?> rows =
        em.createNativeQuery(
                "select "
                    + COLUMNS
                    + " from privacy_alert where id = ?1"
                    + (lock ? " for update" : ""))
            .setParameter(1, id)
            .getResultList();
    if (rows.isEmpty()) {
      throw ProblemException.notFound("Alert " + id + " is not known");
    }
    return view((Object[]) rows.get(0));
  }

  private List<AlertView.Change> history(UUID id) {
    List<AlertView.Change> changes = new ArrayList<>();
    for (Object o :
        em.createNativeQuery(
                "select changed_at, changed_by, action, from_status, to_status, disposition, note"
                    + " from privacy_alert_history where alert_id = ?1 order by id")
            .setParameter(1, id)
            .getResultList()) {
      Object[] r = (Object[]) o;
      changes.add(
          new AlertView.Change(
              instant(r[0]),
              (String) r[1],
              (String) r[2],
              r[3] == null ? null : AlertStatus.valueOf((String) r[3]),
              AlertStatus.valueOf((String) r[4]),
              r[5] == null ? null : Disposition.valueOf((String) r[5]),
              (String) r[6]));
    }
    return changes;
  }

  private void history(
      UUID id,
      String by,
      String action,
      AlertStatus from,
      AlertStatus to,
      Disposition disposition,
      String note) {
    em.createNativeQuery(
            "insert into privacy_alert_history (alert_id, changed_at, changed_by, action,"
                + " from_status, to_status, disposition, note)"
                + " values (?1, ?2, ?3, ?4, cast(?5 as varchar), ?6, cast(?7 as varchar), cast(?8 as text))")
        .setParameter(1, id)
        .setParameter(2, now())
        .setParameter(3, by)
        .setParameter(4, action)
        .setParameter(5, from == null ? null : from.name())
        .setParameter(6, to.name())
        .setParameter(7, disposition == null ? null : disposition.name())
        .setParameter(8, blank(note))
        .executeUpdate();
  }

  private AlertView view(Object[] r) {
    String user = (String) r[4];
    Instant occurred = instant(r[9]);
    try {
      return new AlertView(
          uuid(r[0]),
          Rule.valueOf((String) r[1]),
          AlertStatus.valueOf((String) r[2]),
          r[3] == null ? null : Disposition.valueOf((String) r[3]),
          user,
          (String) r[5],
          uuid(r[6]),
          ((Number) r[7]).intValue(),
          ((Number) r[8]).longValue(),
          occurred,
          json.readTree((String) r[10]),
          instant(r[11]),
          (String) r[12],
          (String) r[13],
          (String) r[14],
          r[15] == null ? null : instant(r[15]),
          ((Number) r[16]).intValue(),
          // the access log query that lists the entry (its user, its instant)
          "/api/audit/entries?user="
              + URLEncoder.encode(user, StandardCharsets.UTF_8)
              + "&from="
              + occurred
              + "&to="
              + occurred.plus(1, ChronoUnit.MILLIS),
          "/api/audit/proofs/" + uuid(r[6]),
          null);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("evidence of alert " + r[0] + " is not JSON", e);
    }
  }

  private String write(Map<String, Object> evidence) {
    try {
      return json.writeValueAsString(evidence);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String where(AlertQuery q, List<Object> params) {
    List<String> terms = new ArrayList<>();
    add(terms, params, "status = ?", q.status() == null ? null : q.status().name());
    add(terms, params, "rule = ?", q.rule() == null ? null : q.rule().name());
    add(terms, params, "username = ?", q.user());
    add(terms, params, "patient_id = ?", q.patient());
    add(terms, params, "occurred_at >= ?", q.from() == null ? null : Timestamp.from(q.from()));
    add(terms, params, "occurred_at < ?", q.to() == null ? null : Timestamp.from(q.to()));
    return terms.isEmpty() ? "" : " where " + String.join(" and ", terms);
  }

  private static void add(List<String> terms, List<Object> params, String term, Object value) {
    if (value != null) {
      params.add(value);
      terms.add(term + params.size());
    }
  }

  private static void bind(Query sql, List<Object> params) {
    for (int i = 0; i < params.size(); i++) {
      sql.setParameter(i + 1, params.get(i));
    }
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  private static String blank(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static UUID uuid(Object v) {
    return v instanceof UUID u ? u : UUID.fromString(v.toString());
  }

  static Instant instant(Object v) {
    if (v instanceof Instant i) {
      return i;
    }
    if (v instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    return ((Timestamp) v).toInstant();
  }
}
