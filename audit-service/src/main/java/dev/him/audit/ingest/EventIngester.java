package dev.him.audit.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads every topic the platform publishes and appends each partition's records to that partition's
 * chain. Kafka's group protocol spreads the partitions over the consumer threads of all instances;
 * the resume offset of each partition lives in the database with its entries (see {@link
 * ChainWriter}), so on assignment a consumer seeks there rather than trusting Kafka's committed
 * offset, which is only advanced afterwards for lag monitoring. When the database is away the
 * consumer stops polling, backs off, and re-seeks once it is back: nothing is skipped.
 */
@ApplicationScoped
public class EventIngester {
  private static final Logger LOG = Logger.getLogger(EventIngester.class);

  @Inject ChainWriter writer;
  @Inject IngestTracing tracing;
  @Inject MeterRegistry registry;

  @ConfigProperty(name = "him.audit.ingest.enabled", defaultValue = "true")
  boolean enabled;

  @ConfigProperty(name = "him.audit.ingest.topics")
  List<String> topics;

  @ConfigProperty(name = "him.audit.ingest.consumers", defaultValue = "2")
  int consumers;

  @ConfigProperty(name = "him.audit.ingest.max-poll-records", defaultValue = "5000")
  int maxPollRecords;

  @ConfigProperty(name = "him.audit.ingest.group-id", defaultValue = "audit-service")
  String groupId;

  @ConfigProperty(name = "him.audit.ingest.session-timeout-ms", defaultValue = "10000")
  int sessionTimeoutMs;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private final List<Worker> workers = new ArrayList<>();
  private final AtomicLong stored = new AtomicLong();
  private volatile boolean running;

  void start(@Observes StartupEvent ev) {
    if (!enabled) {
      LOG.info("event ingestion is switched off (him.audit.ingest.enabled=false)");
      return;
    }
    running = true;
    for (int i = 0; i < consumers; i++) {
      Worker w = new Worker(i);
      workers.add(w);
      w.thread.start();
    }
    LOG.infof("ingesting %s with %d consumer(s)", topics, consumers);
  }

  void stop(@Observes ShutdownEvent ev) {
    running = false;
    workers.forEach(w -> w.consumer.wakeup());
    for (Worker w : workers) {
      try {
        w.thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Entries stored by this instance since it started. */
  public long stored() {
    return stored.get();
  }

  public boolean healthy() {
    return !enabled || workers.stream().allMatch(w -> w.thread.isAlive());
  }

  private final class Worker implements ConsumerRebalanceListener {
    final KafkaConsumer<String, byte[]> consumer;
    final Thread thread;
    private boolean resync;

    Worker(int n) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
      p.put(
          ConsumerConfig.CLIENT_ID_CONFIG,
          "audit-ingest-" + n + "-" + ProcessHandle.current().pid());
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      // A killed instance's partitions move to the others after this long without heartbeats.
      p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(sessionTimeoutMs));
      p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(sessionTimeoutMs / 4));
      p.put(
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
      consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
      thread = new Thread(this::run, "audit-ingest-" + n);
    }

    private void run() {
      long backoff = 250;
      try {
        consumer.subscribe(topics, this);
        while (running) {
          try {
            if (resync) {
              seekToStored(consumer.assignment());
              resync = false;
            }
            ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(500));
            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            for (TopicPartition tp : batch.partitions()) {
              List<ConsumerRecord<String, byte[]>> records = batch.records(tp);
              IngestTracing.BatchSpans spans =
                  tracing.start(groupId, tp.topic(), tp.partition(), records);
              ChainWriter.Appended a;
              try {
                a = writer.append(tp.topic(), tp.partition(), records);
              } catch (Exception e) {
                spans.failed(e);
                throw e;
              }
              spans.stored();
              stored.addAndGet(a.stored());
              if (a.lost() > 0) {
                lost(tp, a.lost());
              }
              done.put(tp, new OffsetAndMetadata(a.nextOffset()));
            }
            if (!done.isEmpty()) {
              consumer.commitAsync(done, null); // for lag monitoring; the database is the truth
            }
            backoff = 250;
          } catch (WakeupException e) {
            // shutting down
          } catch (Exception e) {
            // The database (or the broker) is away: nothing was stored for the failed batch.
            // Wait, then resume every partition from the offsets the database holds.
            LOG.warnf("ingestion paused (%s); retrying in %d ms", e.toString(), backoff);
            resync = true;
            sleep(backoff);
            backoff = Math.min(backoff * 2, 10_000);
          }
        }
      } finally {
        consumer.close(Duration.ofSeconds(5));
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      try {
        seekToStored(partitions);
      } catch (Exception e) {
        resync = true; // seek when the database answers again
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // nothing to flush: every stored batch committed its offset with its entries
    }

    private void seekToStored(Collection<TopicPartition> partitions) throws Exception {
      if (partitions.isEmpty()) {
        return;
      }
      List<String> keys = partitions.stream().map(tp -> tp.topic() + "/" + tp.partition()).toList();
      Map<String, Long> next = writer.nextOffsets(keys);
      for (TopicPartition tp : partitions) {
        Long offset = next.get(tp.topic() + "/" + tp.partition());
        if (offset == null || offset == 0) {
          consumer.seekToBeginning(List.of(tp));
        } else {
          consumer.seek(tp, offset);
        }
      }
    }
  }

  /**
   * Records that were deleted from Kafka before they could be ingested (the chain now holds an
   * IngestionGap entry for them): said loudly, and counted for the alert HimAuditEventsLost.
   */
  private void lost(TopicPartition tp, long records) {
    LOG.errorf(
        "%d record(s) of %s/%d were deleted from Kafka before they were ingested; the chain records"
            + " the gap (event type IngestionGap)",
        records, tp.topic(), tp.partition());
    Counter.builder("him.audit.ingest.lost.records")
        .description("Kafka records deleted before audit-service could ingest them")
        .tag("topic", tp.topic())
        .register(registry)
        .increment(records);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
