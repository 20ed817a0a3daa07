package dev.him.requests.disclosure;

import dev.him.requests.legalbasis.LegalBasisCheck;
import dev.him.requests.legalbasis.LegalBasisChecks;
import dev.him.requests.roi.RoiRequest;
import dev.him.requests.roi.RoiStatus;
import dev.him.requests.workflow.RequestMoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Writes the disclosure entry of every release, in the release's own transaction: a release without
 * its entry cannot commit, so the accounting never misses one (45 CFR 164.528).
 */
@ApplicationScoped
public class DisclosureLedger {
  @Inject LegalBasisChecks checks;
  @Inject Instance<ReleasedPacket> packets;
  @Inject Event<DisclosuresRecorded> recorded;

  void onReleased(@Observes RequestMoved moved) {
    if (moved.to() != RoiStatus.RELEASED) {
      return;
    }
    RoiRequest request = moved.request();
    ReleasedPacket.PacketFacts packet = packetOf(request.id);
    RoiDisclosure entry = new RoiDisclosure();
    entry.id = UUID.randomUUID();
    entry.requestId = request.id;
    entry.patientId = request.patientId;
    entry.disclosedOn = LocalDate.now();
    entry.recipientName = request.requesterName;
    entry.recipientAddress = request.requesterAddress;
    entry.description =
        packet != null && !blank(packet.contentsDescription())
            ? clip(packet.contentsDescription(), 2000)
            : describe(request, checks.check(request.id).orElse(null));
    entry.requestReference = "RoiRequest/" + request.id + ", received " + request.receivedOn;
    // 164.528(b)(2)(iv): a brief statement of purpose, or a copy of the written request
    entry.purpose =
        blank(request.purpose)
            ? "See the written request on file (" + entry.requestReference + ")"
            : clip(request.purpose.strip(), 2000);
    entry.basis = request.requestType.name();
    entry.exclude(
        Accountability.exclusionOf(request.requestType, request.requesterType, entry.disclosedOn)
            .orElse(null));
    entry.source = DisclosureSource.RELEASE;
    entry.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    entry.createdBy = moved.actor();
    entry.persist();
    recorded.fire(new DisclosuresRecorded(request, List.of(entry), packet, moved.actor()));
  }

  /** The first packet bean that knows the request, or null while none does. */
  private ReleasedPacket.PacketFacts packetOf(UUID requestId) {
    return packets.stream()
        .map(p -> p.of(requestId))
        .flatMap(Optional::stream)
        .findFirst()
        .orElse(null);
  }

  /**
   * What was disclosed, from what may be released (a court order's releasable scope) or else what
   * was asked for, less what the basis excludes; the requester's own words when nothing structured
   * was given. Names record types and dates, never content.
   */
  static String describe(RoiRequest r, LegalBasisCheck check) {
    List<String> types = r.requestedRecordTypes;
    Set<String> categories = new LinkedHashSet<>();
    if (r.requestedCategories != null) {
      categories.addAll(r.requestedCategories);
    }
    LocalDate from = r.requestedFrom;
    LocalDate to = r.requestedTo;
    if (check != null && check.releasableScope() != null) {
      LegalBasisCheck.ReleasableScope scope = check.releasableScope();
      types = scope.recordTypes();
      categories.clear();
      scope.sensitiveCategories().forEach(c -> categories.add(c.name()));
      from = scope.from();
      to = scope.to();
    }
    if (check != null) {
      check.exclusions().forEach(e -> categories.remove(e.category().name()));
    }
    List<String> parts = new ArrayList<>();
    if (types != null && !types.isEmpty()) {
      parts.add("Record types: " + String.join(", ", types));
    } else {
      parts.add("As requested: " + r.recordsRequested);
    }
    if (!categories.isEmpty()) {
      parts.add("sensitive categories: " + String.join(", ", categories));
    }
    if (from != null || to != null) {
      parts.add(
          "care "
              + (from == null ? "" : "from " + from)
              + (from != null && to != null ? " " : "")
              + (to == null ? "" : "to " + to));
    }
    return clip(String.join("; ", parts), 2000);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
