package dev.him.requests.disclosure;

import java.util.Optional;
import java.util.UUID;

/**
 * What the release packet of a request contained, for the disclosure entry and RequestReleased.
 * Implemented where packets are built (fulfilment); until a bean exists, releases carry no packet
 * hash, zero pages and a description taken from the request's scope.
 */
public interface ReleasedPacket {
  Optional<PacketFacts> of(UUID requestId);

  /**
   * @param contentsDescription what the packet holds (record types, dates), never the content
   */
  record PacketFacts(String sha256, int pageCount, String contentsDescription) {}
}
