package dev.him.requests.intake;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.roi.RoiRequest;
import dev.him.requests.roi.RoiRequestService;
import dev.him.requests.roi.RoiStatus;
import dev.him.requests.workflow.RoiTransition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The patient match after intake: shown to a person, confirmed or ruled out by them, or run again
 * (after records-service was down). The patient may change only before the legal basis is
 * validated; every decision is a history entry with who and when.
 */
@ApplicationScoped
public class PatientMatches {
  public static final String CONFIRMED = "PATIENT_CONFIRMED";
  public static final String NO_MATCH = "PATIENT_NO_MATCH";
  public static final String RUN = "PATIENT_MATCH_RUN";

  @Inject AccessRecorder access;
  @Inject RequestContext request;

  @Transactional
  public PatientMatchView view(UUID id) {
    RoiRequest row = find(id);
    access.success(
        AccessAction.READ,
        RoiRequestService.RESOURCE_TYPE,
        id.toString(),
        patientsNamed(row),
        "patient match");
    return view(row);
  }

  /** What a re-run needs, read in a short transaction of its own. */
  @Transactional
  public RoiRequest forRun(UUID id) {
    RoiRequest row = find(id);
    open(row);
    if (row.patientMatchStatus == MatchStatus.EXACT
        || row.patientMatchStatus == MatchStatus.CONFIRMED) {
      throw conflict("the patient is already " + row.patientMatchStatus);
    }
    return row;
  }

  @Transactional
  public PatientMatchView applyRun(UUID id, PatientMatcher.Outcome outcome, String note) {
    RoiRequest row = find(id);
    open(row);
    row.patientMatchStatus = outcome.status();
    row.patientId = outcome.patientId();
    row.patientMatchCandidates = outcome.candidates().isEmpty() ? null : outcome.candidates();
    row.patientMatchRunAt = now();
    row.patientMatchNote = note;
    RoiTransition.recordEvent(
        id,
        row.status,
        RUN,
        outcome.status() + ", " + outcome.candidates().size() + " candidate(s)",
        request.actor().username());
    RoiRequest.getEntityManager().flush();
    access.success(
        AccessAction.SEARCH,
        RoiRequestService.RESOURCE_TYPE,
        id.toString(),
        patientsNamed(row),
        "patient match " + outcome.status());
    return view(row);
  }

  @Transactional
  public PatientMatchView decide(UUID id, PatientMatchDecision in) {
    RoiRequest row = find(id);
    open(row);
    String actor = request.actor().username();
    String note = in.note() == null || in.note().isBlank() ? null : in.note().strip();
    if (in.noMatch()) {
      row.patientId = null;
      row.patientMatchStatus = MatchStatus.NO_MATCH;
      RoiTransition.recordEvent(id, row.status, NO_MATCH, note, actor);
    } else {
      row.patientId = in.patientId();
      row.patientMatchStatus = MatchStatus.CONFIRMED;
      RoiTransition.recordEvent(
          id,
          row.status,
          CONFIRMED,
          "Patient/" + in.patientId() + (note == null ? "" : ": " + note),
          actor);
    }
    row.patientConfirmedBy = actor;
    row.patientConfirmedAt = now();
    row.patientMatchNote = note;
    RoiRequest.getEntityManager().flush();
    access.success(
        AccessAction.UPDATE,
        RoiRequestService.RESOURCE_TYPE,
        id.toString(),
        row.patientIds(),
        "patient " + row.patientMatchStatus);
    return view(row);
  }

  static PatientMatchView view(RoiRequest row) {
    PatientDescription described =
        row.patientFamily == null && row.patientBirthDate == null && row.patientIdentifier == null
            ? null
            : new PatientDescription(
                row.patientFamily,
                row.patientGiven,
                row.patientBirthDate,
                row.patientIdentifier,
                row.patientPhone,
                row.patientPostalAddress);
    return new PatientMatchView(
        row.id,
        row.patientMatchStatus,
        row.patientId,
        described,
        row.patientMatchCandidates == null ? List.of() : row.patientMatchCandidates,
        row.patientMatchRunAt,
        row.patientConfirmedBy,
        row.patientConfirmedAt,
        row.patientMatchNote);
  }

  /** The linked patient and every candidate shown: all are read when the match is shown. */
  private static List<String> patientsNamed(RoiRequest row) {
    List<String> ids = new ArrayList<>(row.patientIds());
    if (row.patientMatchCandidates != null) {
      row.patientMatchCandidates.stream()
          .map(MatchCandidate::patientId)
          .filter(c -> !ids.contains(c))
          .forEach(ids::add);
    }
    return ids;
  }

  /** The patient may change only while the basis is not yet validated. */
  private static void open(RoiRequest row) {
    if (row.status != RoiStatus.RECEIVED && row.status != RoiStatus.IDENTITY_VERIFIED) {
      throw conflict(
          "the request is "
              + row.status
              + "; the patient can change only before the legal basis is validated");
    }
  }

  private static RoiRequest find(UUID id) {
    RoiRequest row = RoiRequest.findById(id);
    if (row == null) {
      throw ProblemException.notFound("RoiRequest/" + id + " is not known");
    }
    return row;
  }

  private static ProblemException conflict(String reason) {
    return new ProblemException(
        409, "Conflict", "patientId: " + reason, List.of(new InvalidParam("patientId", reason)));
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
