package dev.him.audit.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.him.audit.chain.LogEntry;
import dev.him.audit.chain.MerkleTree;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** The verifier's own copy of the hashing agrees with the service's, and it refuses bad input. */
class ArchiveVerifierTest {

  @Test
  void itsHashingIsTheServicesRfc6962Hashing() {
    byte[] prev = LogEntry.GENESIS;
    List<byte[]> leaves = new ArrayList<>();
    List<byte[]> frontier = new ArrayList<>();
    assertThat(ArchiveVerifier.root(frontier)).isEqualTo(MerkleTree.emptyRoot());
    for (int n = 0; n < 70; n++) {
      byte[] line = ("[" + (n + 1) + ",\"entry\"]").getBytes(StandardCharsets.UTF_8);
      byte[] hash = ArchiveVerifier.leafHash(prev, line);
      assertThat(hash).isEqualTo(LogEntry.hash(prev, line));
      leaves.add(hash);
      frontier = ArchiveVerifier.append(frontier, n, hash);
      assertThat(ArchiveVerifier.root(frontier))
          .as("root of %d leaves", n + 1)
          .isEqualTo(MerkleTree.root(leaves, 0, n + 1));
      prev = hash;
    }
  }

  @Test
  void usageAndUnreadableArchivesExitWithTwo() throws Exception {
    assertThat(run()).startsWith("2 usage:");
    assertThat(run("a.zip", "b.zip")).startsWith("2 usage:");
    assertThat(run("--key")).startsWith("2 usage:");
    assertThat(run("/nonexistent/archive.zip")).startsWith("2 UNREADABLE");
    Path noManifest = Files.createTempFile("archive", ".zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(noManifest))) {
      out.putNextEntry(new ZipEntry("README.txt"));
      out.closeEntry();
    }
    assertThat(run(noManifest.toString())).startsWith("2 UNREADABLE").contains("manifest.txt");
  }

  private static String run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = ArchiveVerifier.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    return exit + " " + out.toString(StandardCharsets.UTF_8);
  }
}
