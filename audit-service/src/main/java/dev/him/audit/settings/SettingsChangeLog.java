package dev.him.audit.settings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The record of every change to the audit settings and of the audit logging status (ONC
 * 170.315(d)(2)): the effective settings are compared with the last recorded snapshot, and each
 * difference becomes a change row and an AccessEvent in the outbox, in one transaction.
 */
@ApplicationScoped
public class SettingsChangeLog {
  public static final String KIND_SETTING = "setting";
  public static final String KIND_STATUS = "status";
  public static final String REDACTED_CHANGED = "(redacted, changed)";
  public static final String STARTED = "started";
  public static final String STOPPED = "stopped";
  public static final String DISABLED = "disabled";

  /** Serialises comparisons across instances that start at the same moment ("AUDITSET"). */
  static final long LOCK = 0x4155444954534554L;

  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject EntityManager em;
  @Inject AuditSettingsEvents events;

  /** A snapshot row: what was recorded for a key. */
  record Recorded(String value, boolean secret, String fingerprint) {}

  /**
   * Compares the effective settings whose names start with one of {@code prefixes} with the
   * snapshot, and records each added, changed or removed one once: an instance that waited for the
   * lock sees the snapshot the other one left and finds nothing more to record.
   */
  @Transactional
  public List<SettingsChange> recordChanges(
      List<String> prefixes, Map<String, Setting> effective, String changedBy) {
    em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(?1)) l")
        .setParameter(1, LOCK)
        .getSingleResult();
    Map<String, Recorded> snapshot = new TreeMap<>();
    for (Object o :
        em.createNativeQuery("select key, value, secret, fingerprint from audit_settings")
            .getResultList()) {
      Object[] r = (Object[]) o;
      String key = (String) r[0];
      if (inScope(key, prefixes)) {
        snapshot.put(key, new Recorded((String) r[1], (Boolean) r[2], (String) r[3]));
      }
    }
    Map<String, Setting> now = new TreeMap<>();
    effective.forEach(
        (k, v) -> {
          if (inScope(k, prefixes) && v != null && v.value() != null) {
            now.put(k, v);
          }
        });
    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<SettingsChange> changes = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(snapshot.keySet());
    keys.addAll(now.keySet());
    for (String key : keys) {
      Recorded before = snapshot.get(key);
      Setting after = now.get(key);
      boolean secret = EffectiveSettings.isSecret(key);
      if (before != null && after != null && same(before, after, secret)) {
        continue;
      }
      String oldValue =
          before == null ? null : before.secret() ? EffectiveSettings.REDACTED : before.value();
      String newValue;
      if (after == null) {
        newValue = null;
      } else if (!secret) {
        newValue = after.value();
      } else {
        newValue = before == null ? EffectiveSettings.REDACTED : REDACTED_CHANGED;
      }
      SettingsChange change =
          insert(
              KIND_SETTING,
              key,
              oldValue,
              newValue,
              at,
              changedBy,
              after == null ? "removed from the configuration" : after.source());
      changes.add(change);
      if (after == null) {
        em.createNativeQuery("delete from audit_settings where key = ?1")
            .setParameter(1, key)
            .executeUpdate();
      } else {
        em.createNativeQuery(
                "insert into audit_settings (key, value, secret, fingerprint, source, recorded_at)"
                    + " values (?1, cast(?2 as text), ?3, cast(?4 as text), cast(?5 as text), ?6)"
                    + " on conflict (key) do update set value = excluded.value,"
                    + " secret = excluded.secret, fingerprint = excluded.fingerprint,"
                    + " source = excluded.source, recorded_at = excluded.recorded_at")
            .setParameter(1, key)
            .setParameter(2, secret ? EffectiveSettings.REDACTED : after.value())
            .setParameter(3, secret)
            .setParameter(4, secret ? fingerprint(newSalt(), after.value()) : null)
            .setParameter(5, after.source())
            .setParameter(6, Timestamp.from(at))
            .executeUpdate();
      }
    }
    return changes;
  }

  /** Audit logging started, stopped or disabled (ONC (d)(2): the log's enabled/disabled status). */
  @Transactional
  public SettingsChange recordStatus(String status, String changedBy) {
    List<?> last =
        em.createNativeQuery(
                "select new_value from audit_settings_change where kind = 'status'"
                    + " order by changed_at desc limit 1")
            .getResultList();
    String previous = last.isEmpty() ? null : (String) last.get(0);
    return insert(
        KIND_STATUS,
        AuditSettingsEvents.STATUS_KEY,
        previous,
        status,
        Instant.now().truncatedTo(ChronoUnit.MICROS),
        changedBy,
        "audit-service lifecycle");
  }

  /** Changes recorded in [from, to) (either may be null), for one key or all, oldest first. */
  @SuppressWarnings("unchecked")
  public List<SettingsChange> between(Instant from, Instant to, String key, int limit) {
    List<Object> params = new ArrayList<>();
    Query q =
        em.createNativeQuery(
            "select changed_at, kind, key, old_value, new_value, changed_by, source, id"
                + " from audit_settings_change"
                + where(from, to, key, params)
                + " order by changed_at, id limit "
                + limit);
    for (int i = 0; i < params.size(); i++) {
      q.setParameter(i + 1, params.get(i));
    }
    List<SettingsChange> out = new ArrayList<>();
    for (Object o : (List<Object>) q.getResultList()) {
      Object[] r = (Object[]) o;
      out.add(
          new SettingsChange(
              instant(r[0]),
              (String) r[1],
              (String) r[2],
              (String) r[3],
              (String) r[4],
              (String) r[5],
              (String) r[6],
              r[7] instanceof UUID u ? u : UUID.fromString(r[7].toString())));
    }
    return out;
  }

  public long count(Instant from, Instant to, String key) {
    List<Object> params = new ArrayList<>();
    Query q =
        em.createNativeQuery(
            "select count(*) from audit_settings_change" + where(from, to, key, params));
    for (int i = 0; i < params.size(); i++) {
      q.setParameter(i + 1, params.get(i));
    }
    return ((Number) q.getSingleResult()).longValue();
  }

  private static String where(Instant from, Instant to, String key, List<Object> params) {
    List<String> terms = new ArrayList<>();
    if (from != null) {
      params.add(Timestamp.from(from));
      terms.add("changed_at >= ?" + params.size());
    }
    if (to != null) {
      params.add(Timestamp.from(to));
      terms.add("changed_at < ?" + params.size());
    }
    if (key != null) {
      params.add(key);
      terms.add("key = ?" + params.size());
    }
    return terms.isEmpty() ? "" : " where " + String.join(" and ", terms);
  }

  private SettingsChange insert(
      String kind,
      String key,
      String oldValue,
      String newValue,
      Instant at,
      String changedBy,
      String source) {
    UUID id = UUID.randomUUID();
    em.createNativeQuery(
            "insert into audit_settings_change"
                + " (id, kind, key, old_value, new_value, changed_at, changed_by, source)"
                + " values (?1, ?2, ?3, cast(?4 as text), cast(?5 as text), ?6, ?7,"
                + " cast(?8 as text))")
        .setParameter(1, id)
        .setParameter(2, kind)
        .setParameter(3, key)
        .setParameter(4, oldValue)
        .setParameter(5, newValue)
        .setParameter(6, Timestamp.from(at))
        .setParameter(7, changedBy)
        .setParameter(8, source)
        .executeUpdate();
    String detail =
        KIND_STATUS.equals(kind)
            ? "audit logging " + newValue
            : AuditSettingsEvents.detail(oldValue, newValue);
    events.publish(id, at, key, detail);
    return new SettingsChange(at, kind, key, oldValue, newValue, changedBy, source, id);
  }

  private static boolean inScope(String key, List<String> prefixes) {
    return prefixes.stream().anyMatch(key::startsWith);
  }

  private static boolean same(Recorded before, Setting after, boolean secret) {
    if (!secret) {
      return !before.secret() && Objects.equals(before.value(), after.value());
    }
    if (before.fingerprint() == null) {
      return false;
    }
    String salt = before.fingerprint().substring(0, before.fingerprint().indexOf(':'));
    return before.fingerprint().equals(fingerprint(salt, after.value()));
  }

  private static String newSalt() {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return HexFormat.of().formatHex(salt);
  }

  /**
   * "salt:SHA-256(salt | value)": tells a changed secret from an unchanged one, never the value.
   */
  static String fingerprint(String salt, String value) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) '|');
      sha.update(value.getBytes(StandardCharsets.UTF_8));
      return salt + ":" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Instant instant(Object v) {
    if (v instanceof Instant i) {
      return i;
    }
    if (v instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    return ((Timestamp) v).toInstant();
  }
}
