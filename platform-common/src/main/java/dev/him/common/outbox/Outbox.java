package dev.him.common.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * Writes an event to the outbox table in the caller's transaction. Nothing here talks to Kafka:
 * {@link OutboxRelay} does that after commit, so an event exists if and only if its change does.
 * The row keeps the request's correlation id and trace context for the record ({@link
 * OutboxHeaders}).
 */
@ApplicationScoped
@IfBuildProperty(name = "him.outbox.enabled", stringValue = "true")
public class Outbox {

  @Inject EntityManager em;
  @Inject ObjectMapper mapper;
  @Inject TransactionSynchronizationRegistry transactions;
  @Inject OutboxRelay relay;

  @Transactional(Transactional.TxType.MANDATORY)
  public void add(
      String topic, String key, UUID eventId, String type, int version, Object payload) {
    String json;
    try {
      json = mapper.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event " + type + " cannot be serialised", e);
    }
    em.createNativeQuery(
            "insert into outbox_event"
                + " (id, topic, event_key, event_type, event_version, payload, headers)"
                + " values (?1, ?2, ?3, ?4, ?5, cast(?6 as jsonb), cast(nullif(?7, '') as jsonb))")
        .setParameter(1, eventId)
        .setParameter(2, topic)
        .setParameter(3, key)
        .setParameter(4, type)
        .setParameter(5, version)
        .setParameter(6, json)
        .setParameter(7, OutboxHeaders.capture(mapper))
        .executeUpdate();
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              relay.wakeUp();
            }
          }
        });
  }
}
