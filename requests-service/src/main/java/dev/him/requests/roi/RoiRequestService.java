package dev.him.requests.roi;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.events.v1.AccessAction;
import dev.him.requests.intake.MatchCandidate;
import dev.him.requests.intake.PatientDescription;
import dev.him.requests.intake.PatientMatcher;
import dev.him.requests.workflow.Deadlines;
import dev.him.requests.workflow.RequestMoved;
import dev.him.requests.workflow.RoiTransition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Logs and reads release-of-information requests. A request names a patient, so every create and
 * read records an access event in the same transaction as the data it touched.
 */
@ApplicationScoped
public class RoiRequestService {
  public static final String RESOURCE_TYPE = "RoiRequest";

  @Inject AccessRecorder access;
  @Inject RequestContext request;

  /** Days to act from receipt, by basis (right of access: 30, 45 CFR 164.524(b)(2)). */
  @Inject Deadlines deadlines;

  @Inject Event<RequestMoved> moved;

  /**
   * Stores the request with the outcome of the patient match (PatientMatcher, run before the
   * transaction because records-service may be slow).
   */
  @Transactional
  public RoiRequestView create(NewRoiRequest in, PatientMatcher.Outcome match) {
    RoiRequest row = new RoiRequest();
    row.id = UUID.randomUUID();
    row.patientId = match.patientId();
    row.patientMatchStatus = match.status();
    row.patientMatchCandidates = match.candidates().isEmpty() ? null : match.candidates();
    row.patientMatchRunAt =
        match.status() == dev.him.requests.intake.MatchStatus.PENDING ? null : now();
    PatientDescription p = in.patient();
    if (p != null) {
      row.patientFamily = trim(p.family());
      row.patientGiven = trim(p.given());
      row.patientBirthDate = p.birthDate();
      row.patientIdentifier = trim(p.identifier());
      row.patientPhone = trim(p.phone());
      row.patientPostalAddress = p.address();
    }
    NewRoiRequest.Requester who = in.requester();
    row.requesterType = who.type();
    row.requesterName = who.name().strip();
    row.requesterRelationship = trim(who.relationship());
    row.requesterAuthority = who.authorityDocument();
    row.requesterOrganization = trim(who.organization());
    row.requesterEmail = trim(who.email());
    row.requesterPhone = trim(who.phone());
    row.requesterFax = trim(who.fax());
    row.requesterPostalAddress = who.address();
    row.requesterAddress = who.address() == null ? null : who.address().oneLine();
    row.requestType = in.requestType();
    row.legalAuthorityCited = trim(in.legalAuthorityCited());
    row.receivedOn = in.receivedOn();
    row.recordsRequested = in.recordsRequested();
    if (in.scope() != null) {
      // the same columns PUT .../scope writes
      row.requestedRecordTypes =
          in.scope().recordTypes() == null ? null : List.copyOf(in.scope().recordTypes());
      row.requestedCategories =
          in.scope().sensitiveCategories() == null
              ? null
              : in.scope().sensitiveCategories().stream().map(Enum::name).distinct().toList();
      row.requestedFrom = in.scope().from();
      row.requestedTo = in.scope().to();
    }
    row.purpose = in.purpose();
    row.deliveryFormat = in.deliveryFormat();
    Delivery d = in.delivery();
    if (d != null) {
      row.deliveryMethod = d.method();
      row.deliveryEmail = trim(d.email());
      row.deliveryFax = trim(d.fax());
      row.deliveryPostalAddress = d.address();
      row.deliveryUnencryptedEmail = d.unencryptedEmail();
      row.deliveryRiskAccepted = d.riskAccepted();
    }
    row.status = RoiStatus.RECEIVED;
    row.dueOn = deadlines.dueOn(in.requestType(), in.receivedOn());
    row.originalDueOn = row.dueOn;
    row.createdAt = now();
    row.createdBy = request.actor().username();
    row.persist();
    // The receipt opens the history.
    RoiTransition.record(row.id, null, RoiStatus.RECEIVED, null, null, null, row.createdBy);
    moved.fire(new RequestMoved(row, null, RoiStatus.RECEIVED, row.createdBy, null));

    access.success(AccessAction.CREATE, RESOURCE_TYPE, row.id.toString(), row.patientIds(), null);
    if (!match.candidates().isEmpty()) {
      // The search itself is audited by records-service; here, which patients this request's
      // match looked at.
      access.success(
          AccessAction.SEARCH,
          RESOURCE_TYPE,
          row.id.toString(),
          match.candidates().stream().map(MatchCandidate::patientId).toList(),
          "patient match " + match.status());
    }
    return RoiRequestView.of(row, RoiTransition.historyOf(row.id));
  }

  @Transactional
  public Optional<RoiRequestView> read(UUID id) {
    RoiRequest row = RoiRequest.findById(id);
    if (row == null) {
      return Optional.empty();
    }
    access.success(AccessAction.READ, RESOURCE_TYPE, id.toString(), row.patientIds(), null);
    return Optional.of(RoiRequestView.of(row, RoiTransition.historyOf(id)));
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String trim(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
