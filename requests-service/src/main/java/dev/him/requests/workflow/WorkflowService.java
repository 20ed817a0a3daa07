package dev.him.requests.workflow;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.legalbasis.LegalBasisCheck;
import dev.him.requests.legalbasis.LegalBasisChecks;
import dev.him.requests.roi.RoiRequest;
import dev.him.requests.roi.RoiRequestView;
import dev.him.requests.roi.RoiStatus;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.hibernate.StaleStateException;

/**
 * Moves requests through their workflow and records the one right-of-access extension. Each change
 * writes its history row and its access event in the same transaction as the change itself.
 */
@ApplicationScoped
public class WorkflowService {
  static final String RESOURCE_TYPE = "RoiRequest";

  @Inject AccessRecorder access;
  @Inject RequestContext request;
  @Inject SecurityIdentity identity;
  @Inject LegalBasisChecks checks;
  @Inject Event<RequestMoving> moving;
  @Inject Event<RequestMoved> moved;

  /**
   * @param expectedVersion the version the caller saw (If-Match); a different one means someone
   *     else moved the request first
   */
  @Transactional
  public RoiRequestView transition(UUID id, long expectedVersion, TransitionRequest in) {
    RoiRequest row = find(id);
    if (WorkflowRules.rolesFor(in.to()).stream().noneMatch(identity::hasRole)) {
      // mapped to 403 problem+json and a FORBIDDEN access event (AuditedAccess on the endpoint)
      throw new ForbiddenException();
    }
    if (row.version != expectedVersion) {
      throw stale(row);
    }
    RoiStatus from = row.status;
    List<RoiStatus> allowed = WorkflowRules.allowedFrom(from);
    if (!allowed.contains(in.to())) {
      String next =
          allowed.isEmpty()
              ? "none, " + from + " is final"
              : String.join(", ", allowed.stream().map(Enum::name).toList());
      throw new ProblemException(
          409,
          "Transition not allowed",
          "A request in " + from + " cannot move to " + in.to() + "; allowed next: " + next,
          List.of(new InvalidParam("to", "allowed next: " + next)));
    }
    boolean ending = in.to() == RoiStatus.DENIED || in.to() == RoiStatus.CANCELLED;
    if (ending && blank(in.reason())) {
      throw ProblemException.badRequest(
          "reason",
          in.to() == RoiStatus.DENIED
              ? "a denial needs a reason the requester can read (164.524(d)(2))"
              : "a cancellation needs a reason");
    }
    if (in.to() == RoiStatus.IDENTITY_VERIFIED && in.identityMethod() == null) {
      throw ProblemException.badRequest(
          "identityMethod", "say how the requester's identity was verified");
    }
    if (in.to() != RoiStatus.IDENTITY_VERIFIED && in.identityMethod() != null) {
      throw ProblemException.badRequest(
          "identityMethod", "only recorded when moving to IDENTITY_VERIFIED");
    }
    if (in.to() == RoiStatus.BASIS_VALIDATED || in.to() == RoiStatus.RELEASED) {
      // Checked again right before release: a revocation since validation stops it.
      LegalBasisCheck check = checks.check(id).orElseThrow();
      if (!check.valid()) {
        throw new ProblemException(
            409,
            "Legal basis not valid",
            "The legal basis has "
                + check.defects().size()
                + " defect(s); "
                + in.to()
                + " needs a valid basis",
            check.defects().stream()
                .map(d -> new InvalidParam(d.field(), d.code() + ": " + d.message()))
                .toList());
      }
    }
    String actor = request.actor().username();
    moving.fire(new RequestMoving(row, from, in.to(), actor));
    row.status = in.to();
    RoiTransition.record(
        id, from, in.to(), trim(in.reason()), trim(in.note()), in.identityMethod(), actor);
    flush(row);
    moved.fire(new RequestMoved(row, from, in.to(), actor, trim(in.reason())));
    access.success(
        AccessAction.UPDATE,
        RESOURCE_TYPE,
        id.toString(),
        row.patientIds(),
        "transition " + from + " -> " + in.to());
    return RoiRequestView.of(row, RoiTransition.historyOf(id));
  }

  @Transactional
  public RoiRequestView extend(UUID id, Long expectedVersion, ExtensionNotice in) {
    RoiRequest row = find(id);
    if (expectedVersion != null && row.version != expectedVersion) {
      throw stale(row);
    }
    Deadlines.checkExtension(row, in, LocalDate.now());
    row.originalDueOn = Deadlines.original(row);
    row.dueOn = in.newDueOn();
    row.extensionReason = in.reason().strip();
    row.extensionNoticeSentOn = in.noticeSentOn();
    row.extensionRecordedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    row.extensionRecordedBy = request.actor().username();
    flush(row);
    access.success(
        AccessAction.UPDATE, RESOURCE_TYPE, id.toString(), row.patientIds(), "extension");
    return RoiRequestView.of(row, RoiTransition.historyOf(id));
  }

  private static RoiRequest find(UUID id) {
    RoiRequest row = RoiRequest.findById(id);
    if (row == null) {
      throw ProblemException.notFound("RoiRequest/" + id + " is not known");
    }
    return row;
  }

  /** Writes now, so a concurrent change (the row's version moved on) is a 409, not a 500. */
  private static void flush(RoiRequest row) {
    try {
      RoiRequest.getEntityManager().flush();
    } catch (OptimisticLockException | StaleStateException e) {
      throw new ProblemException(
          409,
          "Conflict",
          "The request was changed by someone else at the same time; read it again",
          List.of(new InvalidParam("If-Match", "the request changed concurrently")));
    }
  }

  private static ProblemException stale(RoiRequest row) {
    return new ProblemException(
        412,
        "Precondition failed",
        "The request was changed since it was read: it is now version "
            + row.version
            + " ("
            + row.status
            + "); read it again",
        List.of(new InvalidParam("If-Match", "current version is " + row.version)));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String trim(String s) {
    return blank(s) ? null : s.strip();
  }
}
