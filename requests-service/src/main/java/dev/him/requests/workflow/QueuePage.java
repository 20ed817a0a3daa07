package dev.him.requests.workflow;

import dev.him.requests.roi.RequestType;
import dev.him.requests.roi.RequesterType;
import dev.him.requests.roi.RoiStatus;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** One page of the work queue, oldest due date first, with the total that matched. */
public record QueuePage(long total, int offset, int count, List<Item> items) {

  /** A request as the queue shows it; dueState is null for final requests. */
  public record Item(
      UUID id,
      String patientId,
      RequestType requestType,
      RequesterType requesterType,
      String requesterName,
      RoiStatus status,
      LocalDate receivedOn,
      LocalDate dueOn,
      boolean extended,
      DueState dueState,
      long version,
      String assignee) {}
}
