package dev.him.requests.roi;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.workflow.RoiTransition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Assigns a request to the technician who works on it; every change is a history entry. */
@ApplicationScoped
public class Assignments {
  public static final String ASSIGNED = "ASSIGNED";
  public static final String UNASSIGNED = "UNASSIGNED";

  @Inject AccessRecorder access;
  @Inject RequestContext request;

  @Transactional
  public RoiRequestView assign(UUID id, String assignee) {
    RoiRequest row = RoiRequest.findById(id);
    if (row == null) {
      throw ProblemException.notFound("RoiRequest/" + id + " is not known");
    }
    if (row.status.isFinal()) {
      throw new ProblemException(
          409,
          "Conflict",
          "The request is " + row.status + "; there is no work left to assign",
          List.of(new InvalidParam("assignee", "the request is " + row.status)));
    }
    String to = assignee == null || assignee.isBlank() ? null : assignee.strip();
    String actor = request.actor().username();
    if (!Objects.equals(to, row.assignee)) {
      row.assignee = to;
      row.assignedAt = to == null ? null : Instant.now().truncatedTo(ChronoUnit.MILLIS);
      RoiTransition.recordEvent(
          id,
          row.status,
          to == null ? UNASSIGNED : ASSIGNED,
          to == null ? "unassigned" : "assigned to " + to,
          actor);
      RoiRequest.getEntityManager().flush();
    }
    access.success(
        AccessAction.UPDATE,
        RoiRequestService.RESOURCE_TYPE,
        id.toString(),
        row.patientIds(),
        "assignee");
    return RoiRequestView.of(row, RoiTransition.historyOf(id));
  }
}
