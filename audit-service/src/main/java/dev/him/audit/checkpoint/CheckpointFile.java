package dev.him.audit.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Checkpoints written outside the database, one JSON object per line, flushed to disk before the
 * database row is written: ops keep (and ship) this file, so someone who rewrites the database
 * cannot also rewrite what was sealed. Each instance appends the checkpoints it signed.
 */
public final class CheckpointFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One line of the file. */
  public record Line(
      String topic,
      int partition,
      long treeSize,
      String rootHash,
      String signedAt,
      String keyId,
      String body,
      String signature) {}

  private final Path file;

  public CheckpointFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  public synchronized void append(Line line) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(bytes));
        ch.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("checkpoint file " + file + " cannot be written", e);
    }
  }

  /** Every line; a line that is not a checkpoint is returned as null so verify can name it. */
  public List<Line> read() {
    List<Line> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String s : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (s.isBlank()) {
          continue;
        }
        try {
          out.add(JSON.readValue(s, Line.class));
        } catch (IOException e) {
          out.add(null);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
