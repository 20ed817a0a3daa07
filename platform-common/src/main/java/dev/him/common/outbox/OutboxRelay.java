package dev.him.common.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.context.Context;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * them, in the transaction that claimed them. Several instances of a service may run this side by
 * side: one at a time relays (see {@link #relayBatch}). A row whose send fails stays unsent and is
 * retried on the next pass; consumers deduplicate by event id, so a retry after a lost
 * acknowledgement, or after an instance died between send and commit, is harmless (at-least-once,
 * applied once).
 */
@ApplicationScoped
@IfBuildProperty(name = "him.outbox.enabled", stringValue = "true")
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

  /** PostgreSQL advisory lock key of the relay ("him.outbox"), per database. */
  static final long RELAY_LOCK = 0x68696d2e6f7574L;

  @Inject EntityManager em;
  @Inject ObjectMapper mapper;

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

  /**
   * Sends one batch; returns how many rows were confirmed by the broker.
   *
   * <p>Several replicas: row locks alone (SKIP LOCKED) let two replicas send two batches at once,
   * and then an event could overtake an earlier one of the same key (Kafka key = aggregate) that
   * sits in the other replica's batch or is being retried. So a pass first takes a transaction
   * advisory lock; a replica that finds it taken sends nothing (the holder's next pass or either
   * poll takes its rows). Under the lock rows leave in seq order through one idempotent producer,
   * so a key's events keep their order on its partition; the lock goes with the transaction, so a
   * replica that dies hands over at once, and its sent but unmarked rows are sent again (consumers
   * drop them by event id).
   */
  int relayBatch() {
    Object relaying =
        em.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
            .setParameter(1, RELAY_LOCK)
            .getSingleResult();
    if (!Boolean.TRUE.equals(relaying)) {
      return 0; // another replica is relaying
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select id, topic, event_key, event_type, event_version, cast(payload as text),"
                    + " cast(headers as text)"
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
    // one deadline for the whole batch, so the claiming transaction ends well within its timeout
    // (a timed-out transaction would free rows already sent for a second send)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(sendTimeoutSeconds);
    for (int i = 0; i < acks.size(); i++) {
      try {
        acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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
    Map<String, String> kept = OutboxHeaders.read(mapper, (String) row[6]);
    OutboxHeaders.addTo(headers, kept);
    OutgoingKafkaRecordMetadata<String> metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withTopic((String) row[1])
            .withKey((String) row[2])
            .withHeaders(headers)
            .build();
    // The connector's producer span becomes a child of the request that wrote the row (not of
    // this relay pass; a row written outside a trace starts its own) and puts its traceparent on
    // the record.
    Context trace = OutboxHeaders.traceContext(kept);
    Message<String> message =
        Message.of((String) row[5])
            .addMetadata(metadata)
            .addMetadata(TracingMetadata.withCurrent(trace == null ? Context.root() : trace))
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
