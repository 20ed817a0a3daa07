package dev.him.requests.roi;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.events.v1.AccessAction;
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
  static final String RESOURCE_TYPE = "RoiRequest";

  @Inject AccessRecorder access;
  @Inject RequestContext request;

  /** Days to act from receipt, by basis (right of access: 30, 45 CFR 164.524(b)(2)). */
  @Inject Deadlines deadlines;

  @Inject Event<RequestMoved> moved;

  @Transactional
  public RoiRequestView create(NewRoiRequest in) {
    RoiRequest row = new RoiRequest();
    row.id = UUID.randomUUID();
    row.patientId = in.patientId();
    row.requesterType = in.requester().type();
    row.requesterName = in.requester().name();
    row.requesterAddress = in.requester().address();
    row.requestType = in.requestType();
    row.receivedOn = in.receivedOn();
    row.recordsRequested = in.recordsRequested();
    row.purpose = in.purpose();
    row.deliveryFormat = in.deliveryFormat();
    row.status = RoiStatus.RECEIVED;
    row.dueOn = deadlines.dueOn(in.requestType(), in.receivedOn());
    row.originalDueOn = row.dueOn;
    row.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    row.createdBy = request.actor().username();
    row.persist();
    // The receipt opens the history.
    RoiTransition.record(row.id, null, RoiStatus.RECEIVED, null, null, null, row.createdBy);
    moved.fire(new RequestMoved(row, null, RoiStatus.RECEIVED, row.createdBy, null));

    access.success(
        AccessAction.CREATE, RESOURCE_TYPE, row.id.toString(), List.of(row.patientId), null);
    return RoiRequestView.of(row, RoiTransition.historyOf(row.id));
  }

  @Transactional
  public Optional<RoiRequestView> read(UUID id) {
    RoiRequest row = RoiRequest.findById(id);
    if (row == null) {
      return Optional.empty();
    }
    access.success(AccessAction.READ, RESOURCE_TYPE, id.toString(), List.of(row.patientId), null);
    return Optional.of(RoiRequestView.of(row, RoiTransition.historyOf(id)));
  }
}
