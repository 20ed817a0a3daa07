package dev.him.audit.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * User and patient facts with a short memory (him.audit.monitoring.cache-ttl): a user who opens
 * forty charts is looked up once. In memory only, never written anywhere; an answer that failed is
 * not remembered. "Unknown" is remembered like any answer.
 */
@ApplicationScoped
public class Facts {
  /** Beyond this many entries the expired ones are dropped, and if that is not enough, all. */
  static final int MAX_ENTRIES = 20_000;

  @Inject FactsCalls calls;
  @Inject MonitoringConfig config;

  private final Map<String, Timed<UserFacts>> users = new ConcurrentHashMap<>();
  private final Map<String, Timed<Optional<PatientFacts>>> patients = new ConcurrentHashMap<>();

  private record Timed<T>(T value, long expiresAtNanos) {}

  public UserFacts user(String username) {
    return cached(
        users, username, () -> calls.user(username).orElseGet(() -> UserFacts.unknown(username)));
  }

  public Optional<PatientFacts> patient(String patientId) {
    return cached(
        patients,
        patientId,
        () -> {
          try {
            return calls.patient(patientId);
          } catch (FactsCalls.NotFound e) {
            return Optional.empty();
          }
        });
  }

  /** Forgets everything (tests that change a user or patient between passes). */
  public void forget() {
    users.clear();
    patients.clear();
  }

  private <T> T cached(Map<String, Timed<T>> cache, String key, Supplier<T> load) {
    long now = System.nanoTime();
    Timed<T> hit = cache.get(key);
    if (hit != null && now - hit.expiresAtNanos() < 0) {
      return hit.value();
    }
    T value = load.get();
    Duration ttl = config.cacheTtl();
    if (cache.size() >= MAX_ENTRIES) {
      cache.values().removeIf(t -> now - t.expiresAtNanos() >= 0);
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
    }
    cache.put(key, new Timed<>(value, now + ttl.toNanos()));
    return value;
  }
}
