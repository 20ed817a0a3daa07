package dev.him.deploy.load;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latencies of one client thread, in microseconds, kept exactly (a growing array, sorted once at
 * the end): percentiles are exact, not bucketed. At a few thousand requests a second for a minute
 * that is a few MB. Not thread-safe: one per client thread, merged after the run.
 */
final class Latencies {
  private long[] micros = new long[4096];
  private int size;
  private final Map<String, Integer> errors = new TreeMap<>();

  void record(long nanos) {
    if (size == micros.length) micros = Arrays.copyOf(micros, size * 2);
    micros[size++] = nanos / 1000;
  }

  void error(String what) {
    errors.merge(what, 1, Integer::sum);
  }

  int size() {
    return size;
  }

  int errorCount() {
    return errors.values().stream().mapToInt(Integer::intValue).sum();
  }

  Map<String, Integer> errors() {
    return errors;
  }

  static Latencies merge(Iterable<Latencies> parts) {
    Latencies all = new Latencies();
    for (Latencies p : parts) {
      if (all.size + p.size > all.micros.length) {
        all.micros = Arrays.copyOf(all.micros, Math.max(all.size + p.size, all.micros.length * 2));
      }
      System.arraycopy(p.micros, 0, all.micros, all.size, p.size);
      all.size += p.size;
      p.errors.forEach((k, v) -> all.errors.merge(k, v, Integer::sum));
    }
    Arrays.sort(all.micros, 0, all.size);
    return all;
  }

  /** The p-th percentile in ms (nearest rank); the list must have been merged (sorted). */
  double percentileMs(double p) {
    if (size == 0) return Double.NaN;
    int rank = (int) Math.ceil(p / 100.0 * size);
    return micros[Math.min(size - 1, Math.max(0, rank - 1))] / 1000.0;
  }

  double maxMs() {
    return size == 0 ? Double.NaN : micros[size - 1] / 1000.0;
  }

  double meanMs() {
    if (size == 0) return Double.NaN;
    long sum = 0;
    for (int k = 0; k < size; k++) sum += micros[k];
    return sum / 1000.0 / size;
  }
}
