package dev.him.requests.workflow;

import dev.him.requests.roi.RoiStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** One status change of a request, appended to its history and never updated. */
@Entity
@Table(name = "roi_transition")
public class RoiTransition extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "request_id")
  public UUID requestId;

  @Enumerated(EnumType.STRING)
  @Column(name = "from_status")
  public RoiStatus fromStatus;

  @Enumerated(EnumType.STRING)
  @Column(name = "to_status")
  public RoiStatus toStatus;

  public String reason;
  public String note;

  @Enumerated(EnumType.STRING)
  @Column(name = "identity_method")
  public IdentityMethod identityMethod;

  public String actor;
  public Instant at;

  /**
   * What happened when the row is not a status move (from = to): PATIENT_CONFIRMED, ASSIGNED, ...
   * Null for a move.
   */
  public String event;

  /**
   * Appends a history row that is not a move (assignment, patient confirmed): from and to are the
   * unchanged status.
   */
  public static RoiTransition recordEvent(
      UUID requestId, RoiStatus status, String event, String note, String actor) {
    RoiTransition t = record(requestId, status, status, null, note, null, actor);
    t.event = event;
    return t;
  }

  /** Appends a history row; the caller's transaction holds it together with the status change. */
  public static RoiTransition record(
      UUID requestId,
      RoiStatus from,
      RoiStatus to,
      String reason,
      String note,
      IdentityMethod method,
      String actor) {
    RoiTransition t = new RoiTransition();
    t.id = UUID.randomUUID();
    t.requestId = requestId;
    t.fromStatus = from;
    t.toStatus = to;
    t.reason = reason;
    t.note = note;
    t.identityMethod = method;
    t.actor = actor;
    t.at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    t.persist();
    return t;
  }

  /** The request's history, oldest first, as the API returns it. */
  public static List<HistoryEntry> historyOf(UUID requestId) {
    return RoiTransition.<RoiTransition>list("requestId = ?1 order by at, id", requestId).stream()
        .map(HistoryEntry::of)
        .toList();
  }
}
