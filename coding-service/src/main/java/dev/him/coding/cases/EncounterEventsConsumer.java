package dev.him.coding.cases;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.him.common.access.RequestContext;
import dev.him.common.outbox.OutboxHeaders;
import dev.him.events.v1.EncounterDischarged;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Reads the encounter events (JSON values with event-id / event-type / event-version headers, as
 * the outbox relay writes them) and opens coding cases from EncounterDischarged. Other event types
 * on the topic are skipped. An event that cannot be read (not JSON, no encounter, an unknown
 * version) goes to the dead-letter topic at once; one that cannot be stored (database away) is
 * retried with back-off first, so a short outage loses nothing.
 */
@ApplicationScoped
public class EncounterEventsConsumer {
  private static final Logger LOG = Logger.getLogger(EncounterEventsConsumer.class);

  @Inject ObjectMapper json;
  @Inject CaseIntake intake;

  @ConfigProperty(name = "him.coding.store-attempts", defaultValue = "8")
  int attempts;

  /** Events are read leniently: a field added by a later producer is not a reason to refuse. */
  private ObjectReader reader;

  @PostConstruct
  void init() {
    reader =
        json.readerFor(EncounterDischarged.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /**
   * Handles one record with the correlation id of the request that caused it in the log context
   * (the outbox's correlation-id header, else the event's correlationId), so this service's log
   * lines about it carry the same requestId as the request's own.
   */
  @Incoming("encounter-events")
  @Blocking(ordered = true)
  public void consume(ConsumerRecord<String, String> record) throws Exception {
    String correlationId = header(record, OutboxHeaders.CORRELATION_ID);
    if (RequestContext.isSafeId(correlationId)) {
      MDC.put(RequestContext.LOG_KEY, correlationId);
    }
    try {
      handle(record);
    } finally {
      MDC.remove(RequestContext.LOG_KEY);
    }
  }

  private void handle(ConsumerRecord<String, String> record) throws Exception {
    String type = header(record, "event-type");
    if (type != null && !EncounterDischarged.TYPE.equals(type)) {
      return;
    }
    String version = header(record, "event-version");
    if (version != null && !String.valueOf(EncounterDischarged.VERSION).equals(version)) {
      throw new IllegalArgumentException("unsupported " + type + " version " + version);
    }
    if (record.value() == null) {
      throw new IllegalArgumentException("an encounter event without a value");
    }
    EncounterDischarged event = reader.readValue(record.value());
    if (event.eventId() == null
        || blank(event.encounterId())
        || blank(event.patientId())
        || (event.dischargedAt() == null && event.occurredAt() == null)) {
      throw new IllegalArgumentException(
          "EncounterDischarged without eventId, encounterId, patientId or a discharge time");
    }
    if (MDC.get(RequestContext.LOG_KEY) == null && RequestContext.isSafeId(event.correlationId())) {
      MDC.put(RequestContext.LOG_KEY, event.correlationId());
    }
    long backoff = 250;
    for (int attempt = 1; ; attempt++) {
      try {
        CaseIntake.Outcome outcome = intake.apply(event);
        LOG.debugf("EncounterDischarged %s: %s", event.eventId(), outcome);
        return;
      } catch (RuntimeException e) {
        if (attempt >= attempts) {
          throw e;
        }
        LOG.warnf(
            "EncounterDischarged %s not applied (attempt %d of %d: %s), retrying in %d ms",
            event.eventId(), attempt, attempts, e.getClass().getSimpleName(), backoff);
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
