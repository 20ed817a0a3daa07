package dev.him.requests.fulfilment;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A packet's metadata: what it holds, its checksum, who built it, until when it can be fetched. */
public record PacketView(
    UUID id,
    UUID requestId,
    boolean current,
    String sha256,
    int pageCount,
    int sizeBytes,
    int resourceCount,
    Map<String, RoiPacket.IncludedType> included,
    Map<String, Integer> withheld,
    int outsideScope,
    boolean part2Notice,
    boolean minimumNecessary,
    String recipient,
    String batesFirst,
    String batesLast,
    Instant builtAt,
    String builtBy,
    Instant expiresAt,
    boolean downloadable) {

  static PacketView of(RoiPacket p, Instant expiresAt, Instant now) {
    return new PacketView(
        p.id,
        p.requestId,
        p.current,
        p.sha256,
        p.pageCount,
        p.sizeBytes,
        p.resourceCount,
        p.included,
        p.withheld,
        p.outsideScope,
        p.part2Notice,
        p.minimumNecessary,
        p.recipient,
        p.batesFirst,
        p.batesLast,
        p.builtAt,
        p.builtBy,
        expiresAt,
        p.current && now.isBefore(expiresAt));
  }
}
