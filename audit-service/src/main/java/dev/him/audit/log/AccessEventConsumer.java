package dev.him.audit.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.events.v1.AccessEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads access events from every service. The offset is committed after the append commits; a
 * redelivery after a crash is recognised by event id and stored once.
 */
@ApplicationScoped
public class AccessEventConsumer {
  @Inject ObjectMapper json;
  @Inject AuditLog log;

  @Incoming("access-events")
  @Blocking(ordered = true)
  public void consume(String payload) throws Exception {
    AccessEvent event = json.readValue(payload, AccessEvent.class);
    if (!AccessEvent.TYPE.equals(event.eventType())
        || event.eventVersion() != AccessEvent.VERSION) {
      throw new IllegalArgumentException(
          "unsupported event " + event.eventType() + " v" + event.eventVersion());
    }
    log.append(event);
  }
}
