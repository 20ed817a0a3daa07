package dev.him.common.outbox;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in order and marks them sent once the broker has acknowledged
 * them. Rows are locked with SKIP LOCKED so several instances of a service can relay side by side.
 * A row whose send fails stays unsent and is retried on the next pass; consumers deduplicate by
 * event id, so a retry after a lost acknowledgement is harmless (at-least-once, applied once).
 */
@ApplicationScoped
@IfBuildProperty(name = "him.outbox.enabled", stringValue = "true")
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

  @Inject EntityManager em;

  @Inject
  @Channel("outbox")
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048)
  Emitter<String> emitter;

  @ConfigProperty(name = "him.outbox.batch-size", defaultValue = "200")
  int batchSize;

  @ConfigProperty(name = "him.outbox.send-timeout-seconds", defaultValue = "30")
  int sendTimeoutSeconds;

  /** How long sent rows stay in the table, as a PostgreSQL interval. */
  @ConfigProperty(name = "him.outbox.retention", defaultValue = "7 days")
  String retention;

  /** One relay thread per instance: rows leave in order, and wake-ups never pile up. */
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "outbox-relay");
            t.setDaemon(true);
            return t;
          });

  private final AtomicBoolean pending = new AtomicBoolean();

  /** Called after each commit that wrote to the outbox, so events leave at once. */
  public void wakeUp() {
    if (pending.compareAndSet(false, true)) {
      worker.execute(
          () -> {
            pending.set(false);
            relay();
          });
    }
  }

  /** The safety net: rows left by a failed send or by another instance are picked up here. */
  @Scheduled(
      every = "${him.outbox.poll-interval:1s}",
      delayed = "3s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void poll() {
    wakeUp();
  }

  /** Sent rows are kept a while for diagnosis, then removed so the table stays small. */
  @Scheduled(every = "1h", delayed = "1m")
  void purgeSent() {
    int removed =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    em.createNativeQuery(
                            "delete from outbox_event where published_at < now() - cast(?1 as interval)")
                        .setParameter(1, retention)
                        .executeUpdate());
    if (removed > 0) {
      LOG.infof("outbox: removed %d events sent more than %s ago", removed, retention);
    }
  }

  @PreDestroy
  void stop() {
    worker.shutdown();
  }

  void relay() {
    try {
      int sent;
      do {
        sent = QuarkusTransaction.requiringNew().call(this::relayBatch);
      } while (sent == batchSize);
    } catch (RuntimeException e) {
      LOG.warnf("outbox relay pass failed, will retry: %s", e.getClass().getSimpleName());
    }
  }

  /** Sends one batch; returns how many rows were confirmed by the broker. */
  int relayBatch() {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select id, topic, event_key, event_type, event_version, cast(payload as text)"
                    + " from outbox_event where published_at is null order by seq"
                    + " limit ?1 for update skip locked")
            .setParameter(1, batchSize)
            .getResultList();
    if (rows.isEmpty()) {
      return 0;
    }
    List<UUID> ids = new ArrayList<>(rows.size());
    List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      ids.add((UUID) row[0]);
      acks.add(send(row));
    }
    List<UUID> confirmed = new ArrayList<>();
    List<UUID> failed = new ArrayList<>();
    for (int i = 0; i < acks.size(); i++) {
      try {
        acks.get(i).get(sendTimeoutSeconds, TimeUnit.SECONDS);
        confirmed.add(ids.get(i));
      } catch (Exception e) {
        failed.add(ids.get(i));
      }
    }
    if (!confirmed.isEmpty()) {
      em.createNativeQuery(
              "update outbox_event set published_at = now(), attempts = attempts + 1"
                  + " where id in (?1)")
          .setParameter(1, confirmed)
          .executeUpdate();
    }
    if (!failed.isEmpty()) {
      em.createNativeQuery(
              "update outbox_event set attempts = attempts + 1, last_error = 'send failed'"
                  + " where id in (?1)")
          .setParameter(1, failed)
          .executeUpdate();
      LOG.warnf(
          "outbox relay: %d of %d events not acknowledged, retrying", failed.size(), ids.size());
    }
    return confirmed.size();
  }

  private CompletableFuture<Void> send(Object[] row) {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    RecordHeaders headers = new RecordHeaders();
    headers.add("event-id", row[0].toString().getBytes(StandardCharsets.UTF_8));
    headers.add("event-type", ((String) row[3]).getBytes(StandardCharsets.UTF_8));
    headers.add("event-version", row[4].toString().getBytes(StandardCharsets.UTF_8));
    OutgoingKafkaRecordMetadata<String> metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withTopic((String) row[1])
            .withKey((String) row[2])
            .withHeaders(headers)
            .build();
    Message<String> message =
        Message.of((String) row[5])
            .addMetadata(metadata)
            .withAck(
                () -> {
                  ack.complete(null);
                  return CompletableFuture.completedFuture(null);
                })
            .withNack(
                failure -> {
                  ack.completeExceptionally(failure);
                  return CompletableFuture.completedFuture(null);
                });
    try {
      emitter.send(message);
    } catch (RuntimeException e) {
      ack.completeExceptionally(e);
    }
    return ack;
  }
}
