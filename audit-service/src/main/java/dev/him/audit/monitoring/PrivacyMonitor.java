package dev.him.audit.monitoring;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Evaluates the privacy rules on the access log as it grows, exactly once per entry. Each chain has
 * a cursor (privacy_cursor); one transaction per chain locks it (skip locked: another instance busy
 * with the chain is left alone), reads the next entries, opens the alerts and moves the cursor. If
 * anything fails (Keycloak or records-service unreachable) all of it rolls back and the entries are
 * evaluated on a later run: evaluation is delayed, never skipped.
 */
@ApplicationScoped
public class PrivacyMonitor {
  @Inject EntityManager em;
  @Inject PrivacyRules rules;
  @Inject PrivacyAlerts alerts;
  @Inject Facts facts;
  @Inject MonitoringConfig config;

  private volatile boolean gaugeCounted;
  private volatile int failedPasses;
  private volatile long pausedUntilNanos = System.nanoTime();

  /** What one pass did. */
  public record Pass(int chains, int evaluated, int alerts, int failedChains) {}

  private record ChainPass(int evaluated, int alerts) {}

  @Scheduled(
      identity = "privacy-monitoring",
      every = "${him.audit.monitoring.interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    // after failed passes, wait longer and longer (up to max-backoff) before the next: a records-
    // service or Keycloak that is down is not hammered, and the log is not flooded
    if (System.nanoTime() - pausedUntilNanos < 0) {
      return;
    }
    if (runPass().failedChains() == 0) {
      failedPasses = 0;
    } else {
      failedPasses++;
      pausedUntilNanos = System.nanoTime() + backoff(failedPasses, config.maxBackoff()).toNanos();
    }
  }

  /** The pause after this many failed passes in a row: 1 s, 2 s, 4 s ... at most max. */
  static Duration backoff(int failedPasses, Duration max) {
    Duration pause = Duration.ofSeconds(1L << Math.min(Math.max(failedPasses - 1, 0), 20));
    return pause.compareTo(max) > 0 ? max : pause;
  }

  /** One pass over every chain (the scheduled job; tests call it to evaluate without waiting). */
  public Pass runPass() {
    List<Integer> chains =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    em
                        .createNativeQuery("select chain_id from audit_chain order by chain_id")
                        .getResultList()
                        .stream()
                        .map(o -> ((Number) o).intValue())
                        .toList());
    int evaluated = 0;
    int opened = 0;
    int failed = 0;
    for (int chain : chains) {
      try {
        ChainPass p =
            QuarkusTransaction.requiringNew()
                .timeout((int) config.transactionTimeout().toSeconds())
                .call(() -> evaluateChain(chain));
        evaluated += p.evaluated();
        opened += p.alerts();
      } catch (RuntimeException e) {
        failed++;
        // no PHI, no patient or user: the chain and what went wrong
        Log.warnf("privacy monitoring of chain %d delayed, will retry: %s", chain, describe(e));
        Log.debug("privacy monitoring failure", e);
      }
    }
    // the gauge is recounted when alerts may have changed, and once after a start
    if (opened > 0 || !gaugeCounted) {
      QuarkusTransaction.requiringNew().run(alerts::refreshGauge);
      gaugeCounted = true;
    }
    return new Pass(chains.size(), evaluated, opened, failed);
  }

  private ChainPass evaluateChain(int chain) {
    Long last = lockCursor(chain);
    if (last == null) {
      return new ChainPass(0, 0); // another instance is on it
    }
    List<?> rows =
        em.createNativeQuery(
                "select seq, event_id, occurred_at, actor_username, actor_roles, purpose_of_use,"
                    + " array_to_string(patient_ids, ' '),"
                    + " event_type = 'AccessEvent' and outcome = 'SUCCESS'"
                    + " from audit_entry where chain_id = ?1 and seq > ?2 order by seq limit ?3")
            .setParameter(1, chain)
            .setParameter(2, last)
            .setParameter(3, config.batchSize())
            .getResultList();
    if (rows.isEmpty()) {
      return new ChainPass(0, 0);
    }
    prefetch(rows);
    int evaluated = 0;
    int opened = 0;
    long seq = last;
    for (Object o : rows) {
      Object[] r = (Object[]) o;
      seq = ((Number) r[0]).longValue();
      if (!judged(r)) {
        continue;
      }
      String user = (String) r[3];
      String patients = (String) r[6];
      Access access =
          new Access(
              chain,
              seq,
              r[1] instanceof UUID u ? u : UUID.fromString(r[1].toString()),
              PrivacyAlerts.instant(r[2]),
              user,
              r[4] == null ? List.of() : Arrays.asList(((String) r[4]).split(",")),
              (String) r[5],
              List.copyOf(new LinkedHashSet<>(Arrays.asList(patients.strip().split(" ")))));
      evaluated++;
      opened += evaluate(access);
    }
    em.createNativeQuery(
            "update privacy_cursor set last_seq = ?1, updated_at = now() where chain_id = ?2")
        .setParameter(1, seq)
        .setParameter(2, chain)
        .executeUpdate();
    return new ChainPass(evaluated, opened);
  }

  /** The users and patients of the batch's accesses that will be judged, looked up side by side. */
  private void prefetch(List<?> rows) {
    Set<String> users = new LinkedHashSet<>();
    Set<String> patients = new LinkedHashSet<>();
    for (Object o : rows) {
      Object[] r = (Object[]) o;
      if (judged(r)) {
        users.add((String) r[3]);
        patients.addAll(Arrays.asList(((String) r[6]).strip().split(" ")));
      }
    }
    facts.prefetch(users, patients);
  }

  /** An access the rules judge: successful, by a person, to at least one patient. */
  private boolean judged(Object[] r) {
    String user = (String) r[3];
    String patients = (String) r[6];
    return Boolean.TRUE.equals(r[7])
        && user != null
        && !user.startsWith(config.ignoredUserPrefix())
        && patients != null
        && !patients.isBlank();
  }

  private int evaluate(Access access) {
    int opened = 0;
    Supplier<UserFacts> user = memo(() -> facts.user(access.username()));
    for (String patientId : access.patientIds()) {
      Supplier<Optional<PatientFacts>> patient = memo(() -> facts.patient(patientId));
      for (Hit hit : rules.evaluate(access, patientId, user, patient)) {
        opened += alerts.open(access, hit) ? 1 : 0;
      }
    }
    if (config.unusualVolume().enabled()) {
      opened += unusualVolume(access);
    }
    return opened;
  }

  /**
   * More distinct patients than allowed within the window ending at this access, counted on the log
   * (index audit_entry_actor). At most one alert per user per window, whatever its status. The
   * alert is looked for first: once a user has one, their further accesses in the window cost an
   * index probe instead of a count over all they accessed (a bulk reader would otherwise make each
   * of their accesses count thousands of entries, and monitoring fall behind the log).
   */
  private int unusualVolume(Access access) {
    Instant since = access.occurredAt().minus(config.unusualVolume().window());
    if (alerts.volumeAlertSince(access.username(), since)) {
      return 0;
    }
    long patients =
        ((Number)
                em.createNativeQuery(
                        "select count(distinct p) from audit_entry, unnest(patient_ids) p"
                            + " where actor_username = ?1 and occurred_at > ?2 and occurred_at <= ?3"
                            + " and event_type = 'AccessEvent' and outcome = 'SUCCESS'")
                    .setParameter(1, access.username())
                    .setParameter(2, since)
                    .setParameter(3, access.occurredAt())
                    .getSingleResult())
            .longValue();
    int max = config.unusualVolume().maxPatients();
    if (patients <= max) {
      return 0;
    }
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("matched", "more distinct patients than allowed within the window");
    evidence.put("distinctPatients", patients);
    evidence.put("threshold", max);
    evidence.put("window", config.unusualVolume().window().toString());
    Hit hit = new Hit(Rule.UNUSUAL_VOLUME, access.patientIds().get(0), evidence);
    return alerts.open(access, hit) ? 1 : 0;
  }

  /**
   * This chain's cursor, locked for this transaction; created at -1 (nothing evaluated) the first
   * time. Null when another transaction holds it.
   */
  private Long lockCursor(int chain) {
    Long last = locked(chain);
    if (last != null) {
      return last;
    }
    boolean exists =
        !em.createNativeQuery("select 1 from privacy_cursor where chain_id = ?1")
            .setParameter(1, chain)
            .getResultList()
            .isEmpty();
    if (exists) {
      return null;
    }
    em.createNativeQuery(
            "insert into privacy_cursor (chain_id, last_seq) values (?1, -1)"
                + " on conflict (chain_id) do nothing")
        .setParameter(1, chain)
        .executeUpdate();
    return locked(chain);
  }

  private Long locked(int chain) {
    List<?> rows =
        em.createNativeQuery(
                "select last_seq from privacy_cursor where chain_id = ?1 for update skip locked")
            .setParameter(1, chain)
            .getResultList();
    return rows.isEmpty() ? null : ((Number) rows.get(0)).longValue();
  }

  private static <T> Supplier<T> memo(Supplier<T> load) {
    List<T> value = new ArrayList<>(1);
    return () -> {
      if (value.isEmpty()) {
        value.add(load.get());
      }
      return value.get(0);
    };
  }

  private static String describe(Throwable e) {
    StringBuilder s = new StringBuilder(e.getClass().getSimpleName());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      s.append(" <- ").append(c.getClass().getSimpleName());
    }
    if (e instanceof jakarta.ws.rs.WebApplicationException w && w.getResponse() != null) {
      s.append(" (HTTP ").append(w.getResponse().getStatus()).append(')');
    }
    return s.toString();
  }
}
