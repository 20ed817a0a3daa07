package dev.him.coding.search;

import dev.him.coding.terminology.CodeSystemId;
import dev.him.coding.terminology.ReleaseRef;
import dev.him.coding.terminology.Releases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The in-memory index of each release in use. An index is built on first use of its release (the
 * first request waits, concurrent first requests wait for the same build: never built twice), and
 * the releases in force today are built in the background shortly after start-up and again when one
 * comes into force, so users rarely wait. A release is keyed by its code_set_import row (and, for
 * ICD-10-CM, that of the tabular release whose inclusion terms it holds), so a newly loaded release
 * gets a new index. At most {@code him.coding.search.max-indexes} are kept; the least recently used
 * goes first.
 */
@ApplicationScoped
public class CodeIndexes {
  private static final Logger LOG = Logger.getLogger(CodeIndexes.class);

  @Inject CodeIndexLoader loader;
  @Inject Releases releases;
  @Inject MeterRegistry metrics;

  @ConfigProperty(name = "him.coding.search.max-indexes", defaultValue = "4")
  int maxIndexes;

  private record Key(CodeSystemId system, long importId, long notesImportId) {}

  private static final class Entry {
    final CompletableFuture<CodeIndex> index = new CompletableFuture<>();
    volatile long usedAt = System.nanoTime();
  }

  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private Counter builds;

  @PostConstruct
  void meters() {
    builds =
        Counter.builder("him.coding.search.index.builds")
            .description("Search indexes built (one per release and tabular in use)")
            .register(metrics);
    Gauge.builder("him.coding.search.index.bytes", this, CodeIndexes::heldBytes)
        .description("Approximate heap held by the search indexes")
        .baseUnit("bytes")
        .register(metrics);
  }

  /** How many indexes were built since start-up. */
  public long builds() {
    return (long) builds.count();
  }

  private double heldBytes() {
    long bytes = 0;
    for (Entry e : entries.values()) {
      CodeIndex index = e.index.getNow(null);
      if (index != null) bytes += index.approximateBytes();
    }
    return bytes;
  }

  /** The index of {@code release}, built now if it is not there yet. */
  public CodeIndex get(ReleaseRef release) {
    Key key =
        new Key(
            release.system(),
            release.importId(),
            release.notes() == null ? 0 : release.notes().importId());
    Entry entry = entries.get(key);
    if (entry == null) {
      Entry mine = new Entry();
      entry = entries.putIfAbsent(key, mine);
      if (entry == null) {
        entry = mine;
        build(key, release, mine);
      }
    }
    long now = System.nanoTime();
    if (now - entry.usedAt > 1_000_000_000L) entry.usedAt = now; // coarse: avoids a write per call
    try {
      return entry.index.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private void build(Key key, ReleaseRef release, Entry entry) {
    long t0 = System.nanoTime();
    builds.increment();
    try {
      CodeIndex index = loader.load(release);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      Runtime rt = Runtime.getRuntime();
      LOG.infof(
          "%s %s search index: %,d codes, %,d words, about %.1f MB, built in %,d ms%s; heap used"
              + " %,d MB of %,d MB",
          release.system().codeSystem(),
          release.version(),
          index.size(),
          index.words(),
          index.approximateBytes() / 1048576.0,
          ms,
          release.notes() == null
              ? ""
              : " (inclusion terms of tabular " + release.notesVersion() + ")",
          (rt.totalMemory() - rt.freeMemory()) >> 20,
          rt.maxMemory() >> 20);
      entry.index.complete(index);
      evictBeyondLimit(key);
    } catch (RuntimeException e) {
      entries.remove(key, entry); // the next request tries again
      entry.index.completeExceptionally(e);
      LOG.errorf(e, "building the %s %s search index failed", release.system(), release.version());
      throw e;
    }
  }

  private void evictBeyondLimit(Key keep) {
    while (entries.size() > Math.max(1, maxIndexes)) {
      var oldest =
          entries.entrySet().stream()
              .filter(e -> !e.getKey().equals(keep) && e.getValue().index.isDone())
              .min(Comparator.comparingLong(e -> e.getValue().usedAt));
      if (oldest.isEmpty()) return;
      entries.remove(oldest.get().getKey(), oldest.get().getValue());
      LOG.infof("search index of %s dropped (least recently used)", oldest.get().getKey());
    }
  }

  /** Builds the indexes of the releases in force today, if not built yet. */
  @Scheduled(
      every = "${him.coding.search.warm-every:60s}",
      delayed = "${him.coding.search.warm-delay:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void warm() {
    for (CodeSystemId system : CodeSystemId.values()) {
      try {
        releases.inForce(system, LocalDate.now()).ifPresent(this::get);
      } catch (RuntimeException e) {
        LOG.warnf("warming the %s search index failed: %s", system.codeSystem(), e.getMessage());
      }
    }
  }
}
