package dev.him.audit.settings;

import dev.him.common.outbox.Outbox;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import dev.him.events.v1.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A change of the audit settings or of the logging status, published as an AccessEvent through the
 * outbox in the transaction that records it, so it also lands in the hash-chained log (where
 * tampering with it is detectable). The actor is the service itself.
 */
@ApplicationScoped
public class AuditSettingsEvents {
  public static final String RESOURCE_TYPE = "AuditSettings";
  public static final String SERVICE = "audit-service";

  /** Key of the audit logging status rows ("started", "stopped"). */
  public static final String STATUS_KEY = "audit-logging-status";

  static final Actor SELF = new Actor(SERVICE, SERVICE, List.of(), null);
  private static final int MAX_SHOWN = 200;

  @Inject Outbox outbox;

  @Transactional(Transactional.TxType.MANDATORY)
  public AccessEvent publish(UUID id, Instant at, String key, String detail) {
    AccessEvent event =
        new AccessEvent(
            id,
            AccessEvent.TYPE,
            AccessEvent.VERSION,
            at,
            SELF,
            AccessAction.UPDATE,
            RESOURCE_TYPE,
            key,
            List.of(),
            AccessOutcome.SUCCESS,
            null,
            null,
            SERVICE,
            detail);
    outbox.add(
        Topics.ACCESS_EVENTS,
        event.partitionKey(),
        event.eventId(),
        event.eventType(),
        event.eventVersion(),
        event);
    return event;
  }

  /** "old → new", with (unset) for a setting that was not there; values already redacted. */
  static String detail(String oldValue, String newValue) {
    return shorten(oldValue) + " → " + shorten(newValue);
  }

  private static String shorten(String v) {
    if (v == null) {
      return "(unset)";
    }
    return v.length() > MAX_SHOWN ? v.substring(0, MAX_SHOWN) + "…" : v;
  }
}
