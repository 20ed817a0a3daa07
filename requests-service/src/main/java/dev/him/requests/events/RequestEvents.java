package dev.him.requests.events;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.outbox.Outbox;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.RequestDenied;
import dev.him.events.v1.RequestReceived;
import dev.him.events.v1.RequestReleased;
import dev.him.events.v1.Topics;
import dev.him.requests.disclosure.DisclosuresRecorded;
import dev.him.requests.disclosure.ReleasedPacket;
import dev.him.requests.disclosure.RoiDisclosure;
import dev.him.requests.roi.RoiRequest;
import dev.him.requests.roi.RoiStatus;
import dev.him.requests.workflow.RequestMoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Publishes the request events through the outbox, in the transaction of the change they report:
 * RequestReceived on receipt, RequestDenied on a denial, RequestReleased once the release's
 * disclosure entries are written. Keyed by patient, so one patient's events stay in order. They
 * carry codes and ids, no requester names or record content.
 */
@ApplicationScoped
public class RequestEvents {
  /** The release of a request, as the audit trail sees it. */
  static final String RESOURCE_TYPE = "RoiRequest";

  @Inject Outbox outbox;
  @Inject AccessRecorder access;
  @Inject RequestContext context;

  void onMoved(@Observes RequestMoved moved) {
    RoiRequest r = moved.request();
    if (moved.from() == null) {
      UUID eventId = UUID.randomUUID();
      outbox.add(
          Topics.REQUEST_EVENTS,
          key(r),
          eventId,
          RequestReceived.TYPE,
          RequestReceived.VERSION,
          new RequestReceived(
              eventId,
              Instant.now(),
              r.id.toString(),
              r.patientId,
              r.requesterType.name(),
              r.requestType.name(),
              r.receivedOn,
              r.dueOn,
              moved.actor(),
              context.requestId()));
    } else if (moved.to() == RoiStatus.DENIED) {
      UUID eventId = UUID.randomUUID();
      outbox.add(
          Topics.REQUEST_EVENTS,
          key(r),
          eventId,
          RequestDenied.TYPE,
          RequestDenied.VERSION,
          new RequestDenied(
              eventId,
              Instant.now(),
              r.id.toString(),
              r.patientId,
              r.requestType.name(),
              moved.reason(),
              moved.actor(),
              context.requestId()));
    }
  }

  /**
   * The patient, so one patient's events stay in order; a request whose patient is not matched yet
   * (received, or denied without a match) is keyed by its own id.
   */
  private static String key(RoiRequest r) {
    return r.patientId != null ? r.patientId : r.id.toString();
  }

  void onReleased(@Observes DisclosuresRecorded released) {
    RoiRequest r = released.request();
    ReleasedPacket.PacketFacts packet = released.packet();
    List<RequestReleased.Disclosure> entries =
        released.entries().stream().map(RequestEvents::entry).toList();
    UUID eventId = UUID.randomUUID();
    outbox.add(
        Topics.REQUEST_EVENTS,
        r.patientId,
        eventId,
        RequestReleased.TYPE,
        RequestReleased.VERSION,
        new RequestReleased(
            eventId,
            Instant.now(),
            r.id.toString(),
            r.patientId,
            r.requestType.name(),
            packet == null ? null : packet.sha256(),
            packet == null ? 0 : packet.pageCount(),
            entries,
            released.actor(),
            context.requestId()));
    // The release is a disclosure of PHI: the audit trail records it as a read-out of the record
    // (AccessAction has no DISCLOSE; READ is what FHIR/BALP use for an export). No names.
    access.success(
        AccessAction.READ,
        RESOURCE_TYPE,
        r.id.toString(),
        List.of(r.patientId),
        "disclosure: released to "
            + r.requesterType
            + " under "
            + r.requestType
            + (released.entries().stream().allMatch(e -> e.accountable)
                ? ", accountable"
                : ", excluded from the accounting"));
  }

  private static RequestReleased.Disclosure entry(RoiDisclosure d) {
    return new RequestReleased.Disclosure(
        d.id.toString(),
        d.disclosedOn,
        d.recipientName,
        d.description,
        d.purpose,
        d.basis,
        d.accountable);
  }
}
