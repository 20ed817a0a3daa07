package dev.him.records.amendment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * A request as the API returns it: the request, each step that followed, and (for a single read)
 * the trail of who did what when. Parts a request has not reached are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AmendmentView(
    UUID id,
    String patientId,
    Target target,
    NewAmendment.Requester requester,
    String requestedChange,
    String reason,
    LocalDate receivedOn,
    LocalDate originalDueOn,
    LocalDate dueOn,
    AmendmentStatus status,
    List<String> allowedSteps,
    Long daysOverdue,
    ExtensionView extension,
    AcceptanceView acceptance,
    DenialView denial,
    StatementView disagreement,
    StatementView rebuttal,
    Instant createdAt,
    String createdBy,
    List<EventView> trail) {

  /** The target, and the version the individual asked to amend. */
  public record Target(String type, String id, int versionAtRequest) {}

  public record ExtensionView(String reason, LocalDate noticeSentOn, LocalDate newDueOn) {}

  /** The corrected version of the target; its history entry names this request. */
  public record AcceptanceView(
      int amendedVersion,
      String versionReference,
      String note,
      Instant decidedAt,
      String decidedBy) {}

  public record DenialView(
      DenialGround ground, String explanation, Instant decidedAt, String decidedBy) {}

  public record StatementView(String text, String author, LocalDate date) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EventView(
      String action,
      AmendmentStatus fromStatus,
      AmendmentStatus toStatus,
      Instant at,
      String by,
      String detail) {}

  static AmendmentView of(AmendmentRequest a, LocalDate today, List<AmendmentEvent> events) {
    Long overdue =
        a.status.isOpen() && today.isAfter(a.dueOn)
            ? ChronoUnit.DAYS.between(a.dueOn, today)
            : null;
    ExtensionView extension =
        a.extensionNoticeSentOn == null
            ? null
            : new ExtensionView(a.extensionReason, a.extensionNoticeSentOn, a.dueOn);
    AcceptanceView acceptance =
        a.amendedVersion == null
            ? null
            : new AcceptanceView(
                a.amendedVersion,
                a.targetType + "/" + a.targetId + "/_history/" + a.amendedVersion,
                a.decisionNote,
                a.decidedAt,
                a.decidedBy);
    DenialView denial =
        a.denialGround == null
            ? null
            : new DenialView(a.denialGround, a.denialExplanation, a.decidedAt, a.decidedBy);
    StatementView disagreement =
        a.disagreementText == null
            ? null
            : new StatementView(a.disagreementText, a.disagreementAuthor, a.disagreementOn);
    StatementView rebuttal =
        a.rebuttalText == null
            ? null
            : new StatementView(a.rebuttalText, a.rebuttalAuthor, a.rebuttalOn);
    List<EventView> trail =
        events == null
            ? null
            : events.stream()
                .map(
                    e ->
                        new EventView(
                            e.action,
                            e.fromStatus,
                            e.toStatus,
                            e.recordedAt,
                            e.recordedBy,
                            e.detail))
                .toList();
    return new AmendmentView(
        a.id,
        a.patientId,
        new Target(a.targetType, a.targetId, a.targetVersion),
        new NewAmendment.Requester(a.requesterType, a.requesterName, a.requesterRelationship),
        a.requestedChange,
        a.reason,
        a.receivedOn,
        a.originalDueOn,
        a.dueOn,
        a.status,
        a.status.allowedSteps(),
        overdue,
        extension,
        acceptance,
        denial,
        disagreement,
        rebuttal,
        a.createdAt,
        a.createdBy,
        trail);
  }
}
