package dev.him.requests.roi;

import dev.him.requests.workflow.HistoryEntry;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A stored release-of-information request as the API returns it, with its history. version is what
 * a transition sends back in If-Match.
 */
public record RoiRequestView(
    UUID id,
    String patientId,
    NewRoiRequest.Requester requester,
    RequestType requestType,
    LocalDate receivedOn,
    String recordsRequested,
    String purpose,
    DeliveryFormat deliveryFormat,
    RoiStatus status,
    LocalDate dueOn,
    LocalDate originalDueOn,
    Extension extension,
    long version,
    Instant createdAt,
    String createdBy,
    List<HistoryEntry> history) {

  /** The one right-of-access extension; null until recorded. */
  public record Extension(
      String reason, LocalDate noticeSentOn, Instant recordedAt, String recordedBy) {}

  public static RoiRequestView of(RoiRequest r, List<HistoryEntry> history) {
    return new RoiRequestView(
        r.id,
        r.patientId,
        new NewRoiRequest.Requester(r.requesterType, r.requesterName, r.requesterAddress),
        r.requestType,
        r.receivedOn,
        r.recordsRequested,
        r.purpose,
        r.deliveryFormat,
        r.status,
        r.dueOn,
        r.originalDueOn,
        r.extensionRecordedAt == null
            ? null
            : new Extension(
                r.extensionReason,
                r.extensionNoticeSentOn,
                r.extensionRecordedAt,
                r.extensionRecordedBy),
        r.version,
        r.createdAt,
        r.createdBy,
        history);
  }
}
