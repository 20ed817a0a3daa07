package dev.him.audit.monitoring;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
  private ExecutorService lookupPool;

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

  /**
   * Looks up, side by side ({@code him.audit.monitoring.lookup-concurrency} at a time), the users
   * and patients not in memory, so that judging a batch then finds them there. A lookup that fails
   * is left out: the judging asks again and, if it fails again, the batch waits for a later pass.
   */
  public void prefetch(Collection<String> usernames, Collection<String> patientIds) {
    long now = System.nanoTime();
    List<Runnable> lookups = new ArrayList<>();
    for (String u : usernames) {
      if (!fresh(users, u, now)) {
        lookups.add(() -> user(u));
      }
    }
    for (String p : patientIds) {
      if (!fresh(patients, p, now)) {
        lookups.add(() -> patient(p));
      }
    }
    if (lookups.size() < 2) {
      return; // nothing to gain
    }
    List<Future<?>> running = new ArrayList<>();
    for (Runnable lookup : lookups) {
      running.add(lookupPool.submit(lookup));
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (ExecutionException e) {
        // not remembered; asked again while judging
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static <T> boolean fresh(Map<String, Timed<T>> cache, String key, long now) {
    Timed<T> hit = cache.get(key);
    return hit != null && now - hit.expiresAtNanos() < 0;
  }

  @PostConstruct
  void startPool() {
    AtomicInteger n = new AtomicInteger();
    lookupPool =
        Executors.newFixedThreadPool(
            Math.max(1, config.lookupConcurrency()),
            r -> {
              Thread t = new Thread(r, "privacy-facts-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @PreDestroy
  void stopPool() {
    lookupPool.shutdownNow();
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
