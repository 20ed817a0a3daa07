package dev.him.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;

/**
 * Numbers for gauges that cost a query (the database, the Kafka broker), read off the scrape path:
 * a timer calls {@link #refresh()} every few seconds and a scrape only reads what the last refresh
 * found, so scraping never waits on the database nor adds load to it. When the source cannot be
 * read (the database restarting), the last values stand for {@code staleAfter}; after that the
 * gauges report NaN ("no data") rather than an old figure that looks current.
 *
 * <p>One query gives all values of a group, keyed like the tag that tells them apart (a status); a
 * key the query did not return counts 0 (a {@code group by} leaves out the empty groups).
 */
public final class PolledValues {
  private static final Logger LOG = Logger.getLogger(PolledValues.class);

  /** The key of a group with a single value. */
  public static final String SINGLE = "";

  private final String what;
  private final Duration staleAfter;
  private final Callable<Map<String, ? extends Number>> source;
  private volatile Map<String, Double> values = Map.of();
  private volatile long readAtNanos;
  private volatile boolean read;
  private volatile boolean failing;

  /**
   * @param what what the values are, for the log ("outbox backlog")
   * @param staleAfter how long the last values stand while the source cannot be read
   * @param source reads every value of the group, keyed
   */
  public PolledValues(
      String what, Duration staleAfter, Callable<Map<String, ? extends Number>> source) {
    this.what = what;
    this.staleAfter = staleAfter;
    this.source = source;
  }

  /** A group of one value. */
  public static PolledValues single(
      String what, Duration staleAfter, Callable<? extends Number> source) {
    return new PolledValues(what, staleAfter, () -> Map.of(SINGLE, source.call()));
  }

  /** Registers a gauge showing the value of {@code key}. */
  public PolledValues gauge(
      MeterRegistry registry, String name, String description, String key, Tags tags) {
    Gauge.builder(name, this, v -> v.value(key))
        .description(description)
        .tags(tags)
        .strongReference(true)
        .register(registry);
    return this;
  }

  /** Reads the source again; never throws (a failure keeps the last values, then NaN). */
  public void refresh() {
    try {
      Map<String, ? extends Number> fresh = source.call();
      Map<String, Double> copy = new HashMap<>();
      fresh.forEach((k, v) -> copy.put(k, v == null ? Double.NaN : v.doubleValue()));
      values = Map.copyOf(copy);
      readAtNanos = System.nanoTime();
      read = true;
      if (failing) {
        failing = false;
        LOG.infof("%s can be read again", what);
      }
    } catch (Exception e) {
      if (!failing) {
        failing = true;
        LOG.warnf(
            "%s cannot be read (%s); its gauge keeps the last value for %s, then shows NaN",
            what, e.getClass().getSimpleName(), staleAfter);
      }
    }
  }

  /** The value of {@code key} as of the last refresh; NaN before the first or once stale. */
  public double value(String key) {
    if (!read || System.nanoTime() - readAtNanos > staleAfter.toNanos()) {
      return Double.NaN;
    }
    Double v = values.get(key);
    return v == null ? 0 : v;
  }
}
