package dev.him.requests.roi;

import dev.him.requests.intake.MatchStatus;
import dev.him.requests.intake.PatientDescription;
import dev.him.requests.legalbasis.RequestScope;
import dev.him.requests.legalbasis.SensitiveCategory;
import dev.him.requests.workflow.HistoryEntry;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A stored release-of-information request as the API returns it, with its history. version is what
 * a transition sends back in If-Match. patientId is null until the patient is matched or confirmed
 * (patientMatchStatus; GET .../patient-match shows the candidates).
 */
public record RoiRequestView(
    UUID id,
    String patientId,
    MatchStatus patientMatchStatus,
    PatientDescription patient,
    NewRoiRequest.Requester requester,
    RequestType requestType,
    String legalAuthorityCited,
    LocalDate receivedOn,
    String recordsRequested,
    RequestScope scope,
    String purpose,
    DeliveryFormat deliveryFormat,
    Delivery delivery,
    RoiStatus status,
    LocalDate dueOn,
    LocalDate originalDueOn,
    Extension extension,
    String assignee,
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
        r.patientMatchStatus,
        described(r),
        requester(r),
        r.requestType,
        r.legalAuthorityCited,
        r.receivedOn,
        r.recordsRequested,
        scope(r),
        r.purpose,
        r.deliveryFormat,
        r.deliveryMethod == null
            ? null
            : new Delivery(
                r.deliveryMethod,
                r.deliveryEmail,
                r.deliveryFax,
                r.deliveryPostalAddress,
                r.deliveryUnencryptedEmail,
                r.deliveryRiskAccepted),
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
        r.assignee,
        r.version,
        r.createdAt,
        r.createdBy,
        history);
  }

  static NewRoiRequest.Requester requester(RoiRequest r) {
    PostalAddress address =
        r.requesterPostalAddress != null
            ? r.requesterPostalAddress
            : r.requesterAddress == null ? null : PostalAddress.ofText(r.requesterAddress);
    return new NewRoiRequest.Requester(
        r.requesterType,
        r.requesterName,
        r.requesterRelationship,
        r.requesterAuthority,
        r.requesterOrganization,
        r.requesterEmail,
        r.requesterPhone,
        r.requesterFax,
        address);
  }

  static PatientDescription described(RoiRequest r) {
    if (r.patientFamily == null
        && r.patientGiven == null
        && r.patientBirthDate == null
        && r.patientIdentifier == null) {
      return null;
    }
    return new PatientDescription(
        r.patientFamily,
        r.patientGiven,
        r.patientBirthDate,
        r.patientIdentifier,
        r.patientPhone,
        r.patientPostalAddress);
  }

  static RequestScope scope(RoiRequest r) {
    if (r.requestedRecordTypes == null
        && r.requestedCategories == null
        && r.requestedFrom == null
        && r.requestedTo == null) {
      return null;
    }
    return new RequestScope(
        r.requestedRecordTypes,
        r.requestedCategories == null
            ? null
            : r.requestedCategories.stream().map(SensitiveCategory::valueOf).toList(),
        r.requestedFrom,
        r.requestedTo);
  }
}
