package dev.him.requests.fulfilment;

import dev.him.requests.disclosure.ReleasedPacket;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What the current packet of a request held, for its disclosure entry and RequestReleased: the
 * record types with their counts and dates of care — what was disclosed, never the content.
 */
@ApplicationScoped
public class ReleasedPackets implements ReleasedPacket {

  @Override
  public Optional<PacketFacts> of(UUID requestId) {
    return RoiPacket.currentOf(requestId)
        .map(p -> new PacketFacts(p.sha256, p.pageCount, describe(p.included)));
  }

  /** "DIAGNOSES: 12 (2019-02-01 to 2024-03-02); LAB_RESULTS: 40 (...)", types in name order. */
  static String describe(Map<String, RoiPacket.IncludedType> included) {
    if (included == null || included.isEmpty()) {
      return "No records (cover letter and index only)";
    }
    String text =
        new TreeMap<>(included)
            .entrySet().stream()
                .map(
                    e ->
                        e.getKey()
                            + ": "
                            + e.getValue().count()
                            + (e.getValue().from() == null
                                ? ""
                                : " (" + e.getValue().from() + " to " + e.getValue().to() + ")"))
                .collect(Collectors.joining("; "));
    // roi_disclosure.description holds 2,000 characters
    return text.length() <= 2000 ? text : text.substring(0, 1996) + " ...";
  }
}
