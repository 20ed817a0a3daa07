package dev.him.audit.log;

import dev.him.events.v1.AccessEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jboss.logging.Logger;

/** Appends access events to the hash chain, each event exactly once. */
@ApplicationScoped
public class AuditLog {
  private static final Logger LOG = Logger.getLogger(AuditLog.class);

  @Inject EntityManager em;

  /**
   * Appends the event unless it is already in the log (a redelivery). The chain head is locked for
   * the transaction, so appends are serialised even across several instances.
   *
   * @return true when appended, false when the event was already there
   */
  @Transactional
  public boolean append(AccessEvent event) {
    Objects.requireNonNull(event.eventId(), "eventId");
    Object[] head =
        (Object[])
            em.createNativeQuery(
                    "select last_seq, last_hash from audit_chain_head where id = 1 for update")
                .getSingleResult();
    boolean seen =
        !em.createNativeQuery("select 1 from audit_entry where event_id = ?1")
            .setParameter(1, event.eventId())
            .getResultList()
            .isEmpty();
    if (seen) {
      LOG.debugf("event %s already in the log", event.eventId());
      return false;
    }
    AuditEntry e = new AuditEntry();
    e.seq = ((Number) head[0]).longValue() + 1;
    e.prevHash = (String) head[1];
    e.eventId = event.eventId();
    e.occurredAt = micros(event.occurredAt() == null ? Instant.now() : event.occurredAt());
    e.recordedAt = micros(Instant.now());
    e.action = String.valueOf(event.action());
    e.outcome = String.valueOf(event.outcome());
    if (event.actor() != null) {
      e.actorSubject = event.actor().subject();
      e.actorUsername = event.actor().username();
      e.actorRoles = String.join(",", event.actor().roles().stream().sorted().toList());
      e.actorClient = event.actor().clientId();
    }
    e.resourceType = event.resourceType();
    e.resourceId = event.resourceId();
    e.patientIds = event.patientIds().toArray(String[]::new);
    e.purposeOfUse = event.purposeOfUse();
    e.correlationId = event.correlationId();
    e.sourceService = event.sourceService();
    e.detail = event.detail();
    e.hash = EntryHash.of(e);
    e.persist();
    em.createNativeQuery("update audit_chain_head set last_seq = ?1, last_hash = ?2 where id = 1")
        .setParameter(1, e.seq)
        .setParameter(2, e.hash)
        .executeUpdate();
    return true;
  }

  /** PostgreSQL keeps microseconds; hash what will be read back. */
  static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }
}
