package dev.him.audit.chain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A signed tree head for one chain, in the text form of a transparency-log checkpoint: the signed
 * body is four lines — origin (the chain), tree size, base64 root hash, time of signing.
 */
public record Checkpoint(
    String topic, int partition, long treeSize, byte[] rootHash, Instant signedAt) {

  public static final String ORIGIN_PREFIX = "him-audit ";

  public String origin() {
    return ORIGIN_PREFIX + topic + "/" + partition;
  }

  public String body() {
    return origin()
        + "\n"
        + treeSize
        + "\n"
        + Base64.getEncoder().encodeToString(rootHash)
        + "\n"
        + signedAt
        + "\n";
  }

  public byte[] bodyBytes() {
    return body().getBytes(StandardCharsets.UTF_8);
  }

  /** Reads a body written by {@link #body()}; throws on anything else. */
  public static Checkpoint parse(String body) {
    String[] lines = body.split("\n", -1);
    if (lines.length != 5 || !lines[4].isEmpty() || !lines[0].startsWith(ORIGIN_PREFIX)) {
      throw new IllegalArgumentException("not a checkpoint body");
    }
    String chain = lines[0].substring(ORIGIN_PREFIX.length());
    int slash = chain.lastIndexOf('/');
    return new Checkpoint(
        chain.substring(0, slash),
        Integer.parseInt(chain.substring(slash + 1)),
        Long.parseLong(lines[1]),
        Base64.getDecoder().decode(lines[2]),
        Instant.parse(lines[3]));
  }
}
