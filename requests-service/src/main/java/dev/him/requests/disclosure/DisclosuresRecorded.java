package dev.him.requests.disclosure;

import dev.him.requests.roi.RoiRequest;
import java.util.List;

/**
 * Fired synchronously, inside the release's transaction, once its disclosure entries are written;
 * the events package turns it into RequestReleased.
 *
 * @param packet what the packet seam said, or null when no packet is known
 */
public record DisclosuresRecorded(
    RoiRequest request,
    List<RoiDisclosure> entries,
    ReleasedPacket.PacketFacts packet,
    String actor) {}
