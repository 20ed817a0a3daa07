package dev.him.requests.events;

import dev.him.requests.disclosure.ReleasedPacket;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the fulfilment package's packets in the tests: knows only the requests a test
 * registered, so every other release goes without a packet, as it does in this build.
 */
@ApplicationScoped
public class KnownPackets implements ReleasedPacket {
  static final Map<UUID, PacketFacts> FACTS = new ConcurrentHashMap<>();

  @Override
  public Optional<PacketFacts> of(UUID requestId) {
    return Optional.ofNullable(FACTS.get(requestId));
  }
}
