package dev.him.requests.roi;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A stored release-of-information request as the API returns it. */
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
    Instant createdAt,
    String createdBy) {

  static RoiRequestView of(RoiRequest r) {
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
        r.createdAt,
        r.createdBy);
  }
}
