package dev.him.requests.intake;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.roi.RequesterType;
import dev.him.requests.roi.RoiRequest;
import dev.him.requests.roi.RoiRequestService;
import dev.him.requests.roi.RoiRequestView;
import dev.him.requests.roi.RoiStatus;
import dev.him.requests.workflow.IdentityMethod;
import dev.him.requests.workflow.RequestMoved;
import dev.him.requests.workflow.RoiTransition;
import dev.him.requests.workflow.TransitionRequest;
import dev.him.requests.workflow.WorkflowService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Verifies the requester's identity as a step of its own: the verification record and the move to
 * IDENTITY_VERIFIED are one transaction. A plain transition to IDENTITY_VERIFIED (with
 * identityMethod, as before) also leaves a record, with no evidence.
 */
@ApplicationScoped
public class IdentityVerifications {
  /** Five or more digits in a row (spaces and dashes allowed): an ID number in full. */
  private static final Pattern LONG_NUMBER = Pattern.compile("\\d(?:[ -]?\\d){4,}");

  /** Dates are not ID numbers. */
  private static final Pattern ISO_DATE = Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}\\b");

  @Inject AccessRecorder access;
  @Inject RequestContext request;
  @Inject WorkflowService workflow;

  @Transactional
  public RoiRequestView verify(UUID id, long expectedVersion, IdentityEvidence in) {
    RoiRequest row = RoiRequest.findById(id);
    if (row == null) {
      throw ProblemException.notFound("RoiRequest/" + id + " is not known");
    }
    if (IdentityVerification.ofRequest(id).isPresent()) {
      throw new ProblemException(
          409,
          "Conflict",
          "The requester's identity was already verified",
          List.of(new InvalidParam("method", "already verified")));
    }
    check(row, in);
    IdentityVerification v = new IdentityVerification();
    v.id = UUID.randomUUID();
    v.requestId = id;
    v.method = in.method();
    v.evidenceNote = blank(in.evidenceNote()) ? null : in.evidenceNote().strip();
    v.authorityDocument = in.authorityDocument();
    v.authorityVerified = in.authorityVerified();
    v.verifiedBy = request.actor().username();
    v.verifiedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    v.persist();
    // the move checks roles, version and the allowed next state; a refusal rolls the record back
    return workflow.transition(
        id,
        expectedVersion,
        new TransitionRequest(RoiStatus.IDENTITY_VERIFIED, null, in.note(), in.method()));
  }

  @Transactional
  public Optional<IdentityVerificationView> read(UUID id) {
    RoiRequest row = RoiRequest.findById(id);
    if (row == null) {
      throw ProblemException.notFound("RoiRequest/" + id + " is not known");
    }
    Optional<IdentityVerification> v = IdentityVerification.ofRequest(id);
    access.success(
        AccessAction.READ,
        RoiRequestService.RESOURCE_TYPE,
        id.toString(),
        row.patientIds(),
        "identity verification");
    return v.map(IdentityVerificationView::of);
  }

  /** A move made with the plain transition still leaves a record of the method. */
  void onVerified(@Observes RequestMoved e) {
    if (e.to() != RoiStatus.IDENTITY_VERIFIED
        || IdentityVerification.ofRequest(e.request().id).isPresent()) {
      return;
    }
    RoiTransition last =
        RoiTransition.<RoiTransition>find(
                "requestId = ?1 and toStatus = ?2 order by at desc",
                e.request().id,
                RoiStatus.IDENTITY_VERIFIED)
            .firstResult();
    IdentityVerification v = new IdentityVerification();
    v.id = UUID.randomUUID();
    v.requestId = e.request().id;
    v.method =
        last == null || last.identityMethod == null ? IdentityMethod.OTHER : last.identityMethod;
    v.verifiedBy = e.actor();
    v.verifiedAt = last == null ? Instant.now().truncatedTo(ChronoUnit.MILLIS) : last.at;
    v.persist();
  }

  static void check(RoiRequest row, IdentityEvidence in) {
    List<InvalidParam> wrong = new ArrayList<>();
    if (!blank(in.evidenceNote())
        && LONG_NUMBER.matcher(ISO_DATE.matcher(in.evidenceNote()).replaceAll(" ")).find()) {
      wrong.add(
          new InvalidParam(
              "evidenceNote",
              "must not hold an ID number in full; record at most its last 4 digits"));
    }
    if (in.method() == IdentityMethod.OTHER && blank(in.evidenceNote())) {
      wrong.add(new InvalidParam("evidenceNote", "say what was checked when the method is OTHER"));
    }
    if (row.requesterType == RequesterType.PERSONAL_REPRESENTATIVE) {
      // 164.502(g): the representative's authority is verified with their identity
      if (in.authorityDocument() == null) {
        wrong.add(
            new InvalidParam(
                "authorityDocument", "the document giving the representative authority"));
      }
      if (!in.authorityVerified()) {
        wrong.add(
            new InvalidParam(
                "authorityVerified", "a representative's authority must be verified too"));
      }
    } else if (in.authorityDocument() != null || in.authorityVerified()) {
      wrong.add(
          new InvalidParam(
              "authorityDocument", "only for a requester who is a PERSONAL_REPRESENTATIVE"));
    }
    if (!wrong.isEmpty()) {
      throw new ProblemException(
          400,
          "Invalid request",
          String.join("; ", wrong.stream().map(p -> p.name() + ": " + p.reason()).toList()),
          wrong);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
