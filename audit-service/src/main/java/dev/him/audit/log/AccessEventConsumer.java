package dev.him.audit.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.events.v1.AccessEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads access events from every service. The offset is committed after the append commits; a
 * redelivery after a crash is recognised by event id and stored once. An event that cannot be read
 * goes straight to the dead-letter topic; one that cannot be stored (database away) is retried with
 * back-off first, so a short outage loses nothing and skips nothing.
 */
@ApplicationScoped
public class AccessEventConsumer {
  private static final Logger LOG = Logger.getLogger(AccessEventConsumer.class);

  @Inject ObjectMapper json;
  @Inject AuditLog log;

  @ConfigProperty(name = "him.audit.store-attempts", defaultValue = "8")
  int attempts;

  @Incoming("access-events")
  @Blocking(ordered = true)
  public void consume(String payload) throws Exception {
    AccessEvent event = json.readValue(payload, AccessEvent.class);
    if (!AccessEvent.TYPE.equals(event.eventType())
        || event.eventVersion() != AccessEvent.VERSION) {
      throw new IllegalArgumentException(
          "unsupported event " + event.eventType() + " v" + event.eventVersion());
    }
    long backoff = 250;
    for (int attempt = 1; ; attempt++) {
      try {
        log.append(event);
        return;
      } catch (RuntimeException e) {
        if (attempt >= attempts) {
          throw e;
        }
        LOG.warnf(
            "event %s not stored (attempt %d of %d: %s), retrying in %d ms",
            event.eventId(), attempt, attempts, e.getClass().getSimpleName(), backoff);
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }
}
