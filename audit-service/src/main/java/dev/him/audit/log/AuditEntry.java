package dev.him.audit.log;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One entry of the log, for reading (written by the ingester over JDBC, never updated: the database
 * refuses it). Its hash is checked by verify, not mapped here.
 */
@Entity
@Table(name = "audit_entry")
public class AuditEntry extends PanacheEntityBase {
  @Id
  @Column(name = "event_id")
  public UUID eventId;

  @Column(name = "chain_id")
  public int chainId;

  public long seq;

  @Column(name = "event_type")
  public String eventType;

  @Column(name = "occurred_at")
  public Instant occurredAt;

  @Column(name = "recorded_at")
  public Instant recordedAt;

  public String action;
  public String outcome;

  @Column(name = "actor_subject")
  public String actorSubject;

  @Column(name = "actor_username")
  public String actorUsername;

  /** Comma-separated, sorted. */
  @Column(name = "actor_roles")
  public String actorRoles;

  @Column(name = "actor_client")
  public String actorClient;

  @Column(name = "resource_type")
  public String resourceType;

  @Column(name = "resource_id")
  public String resourceId;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "patient_ids", columnDefinition = "text[]")
  public String[] patientIds;

  @Column(name = "purpose_of_use")
  public String purposeOfUse;

  @Column(name = "correlation_id")
  public String correlationId;

  @Column(name = "source_service")
  public String sourceService;

  public String detail;
}
