package dev.him.requests.fees;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.fulfilment.RoiPacket;
import dev.him.requests.roi.RoiRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Quotes the fee of a request's current packet and records that the quote was shown. */
@ApplicationScoped
public class FeeService {
  static final String RESOURCE_TYPE = "RoiFee";

  @Inject FeeSchedule schedule;
  @Inject AccessRecorder access;
  @Inject RequestContext request;

  @Transactional
  public FeeQuote quote(UUID requestId, FeeOptions options) {
    RoiRequest r = find(requestId);
    RoiPacket packet = packet(r);
    FeeQuote quote = compute(r, packet, options);
    access.success(
        AccessAction.READ,
        RESOURCE_TYPE,
        requestId.toString(),
        List.of(r.patientId),
        "fee quote " + quote.total());
    return quote;
  }

  @Transactional
  public FeeQuote acknowledge(UUID requestId, NewFeeAcknowledgement in) {
    RoiRequest r = find(requestId);
    if (r.status.isFinal()) {
      throw new ProblemException(
          409,
          "Request is final",
          "The request is " + r.status + "; no fee can be acknowledged",
          List.of(new InvalidParam("status", "is " + r.status)));
    }
    RoiPacket packet = packet(r);
    FeeQuote quote = compute(r, packet, in.options());
    if (quote.total().compareTo(in.total()) != 0) {
      throw new ProblemException(
          409,
          "Quote changed",
          "The quote for the current packet with these options is "
              + quote.total()
              + ", not "
              + in.total()
              + "; show the requester the current quote",
          List.of(new InvalidParam("total", "current quote is " + quote.total())));
    }
    FeeAcknowledgement a = new FeeAcknowledgement();
    a.id = UUID.randomUUID();
    a.requestId = requestId;
    a.packetId = packet.id;
    a.total = quote.total();
    a.lines = quote.lines();
    a.options = quote.options();
    a.shownTo = in.shownTo().strip();
    a.shownVia = in.shownVia().name();
    a.recordedBy = request.actor().username();
    a.recordedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    a.persist();
    access.success(
        AccessAction.UPDATE,
        RESOURCE_TYPE,
        requestId.toString(),
        List.of(r.patientId),
        "fee quote " + a.total + " shown via " + a.shownVia);
    return withAck(quote, a);
  }

  private FeeQuote compute(RoiRequest r, RoiPacket packet, FeeOptions options) {
    String kind = FeeCalculator.kind(r.requestType, r.requesterType);
    List<FeeLine> lines =
        FeeCalculator.lines(schedule, kind, r.deliveryFormat, packet.pageCount, options);
    BigDecimal total = FeeCalculator.total(lines);
    return new FeeQuote(
        r.id,
        packet.id,
        kind,
        r.deliveryFormat.name(),
        packet.pageCount,
        options,
        lines,
        total,
        "USD",
        FeeQuote.Acknowledgement.of(FeeAcknowledgement.latestFor(packet.id)));
  }

  private static FeeQuote withAck(FeeQuote q, FeeAcknowledgement a) {
    return new FeeQuote(
        q.requestId(),
        q.packetId(),
        q.requesterKind(),
        q.deliveryFormat(),
        q.pages(),
        q.options(),
        q.lines(),
        q.total(),
        q.currency(),
        FeeQuote.Acknowledgement.of(a));
  }

  private static RoiPacket packet(RoiRequest r) {
    return RoiPacket.currentOf(r.id)
        .orElseThrow(
            () ->
                new ProblemException(
                    409,
                    "No packet",
                    "The fee is computed from the packet's pages; build the packet first",
                    List.of(new InvalidParam("packet", "no packet built"))));
  }

  private static RoiRequest find(UUID id) {
    RoiRequest r = RoiRequest.findById(id);
    if (r == null) {
      throw ProblemException.notFound("RoiRequest/" + id + " is not known");
    }
    return r;
  }
}
