package dev.him.audit.archive;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks an audit archive (GET /api/audit/archive) offline. Run it with the JDK's single-file
 * launcher, from the repository root:
 *
 * <pre>
 * java audit-service/src/main/java/dev/him/audit/archive/ArchiveVerifier.java audit-archive.zip \
 *     [--key trusted-public-key.pem ...]
 * </pre>
 *
 * <p>Per chain it re-hashes every entry line linked to the one before it (from the manifest's
 * startHash), rebuilds the RFC 6962 Merkle tree from startFrontier, and at every checkpoint size
 * compares the root with the checkpoint's and checks its Ed25519 signature against the trusted
 * key(s). The opening checkpoint must give the root of startFrontier (so the start state is itself
 * signed) and the closing one must seal exactly the last entry. Exit code 0: intact, 1: not intact
 * (the first failing line, entry or checkpoint is named), 2: usage, or the archive is unreadable.
 *
 * <p>Deliberately self-contained: only the JDK, no project code, so an auditor can read all of it.
 * The few lines of SHA-256 / RFC 6962 hashing therefore repeat dev.him.audit.chain on purpose — a
 * check must not rely on the code it checks.
 */
public final class ArchiveVerifier {
  private static final HexFormat HEX = HexFormat.of();

  private ArchiveVerifier() {}

  /** What makes an archive not intact; the message names where. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }

  /** A signed checkpoint from checkpoints.txt. */
  record Note(
      String origin, long size, byte[] root, String body, String keyId, byte[] sig, int line) {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /** Verifies as main does, printing to {@code out}; returns the exit code. */
  public static int run(String[] args, PrintStream out) {
    String archive = null;
    List<String> keyFiles = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--key") && i + 1 < args.length) {
        keyFiles.add(args[++i]);
      } else if (archive == null && !args[i].startsWith("--")) {
        archive = args[i];
      } else {
        archive = null;
        break;
      }
    }
    if (archive == null) {
      out.println("usage: java ArchiveVerifier.java audit-archive.zip [--key trusted-key.pem ...]");
      return 2;
    }
    List<PublicKey> keys = new ArrayList<>();
    try (ZipFile zip = new ZipFile(archive)) {
      Map<String, String> manifest = manifest(text(zip, "manifest.txt"));
      String keySource = String.join(", ", keyFiles);
      for (String f : keyFiles) {
        keys.add(publicKey(Files.readString(Path.of(f))));
      }
      if (keyFiles.isEmpty()) {
        keySource = "the archive itself";
        for (ZipEntry e : Collections.list(zip.entries())) {
          if (e.getName().matches("public-key[^/]*\\.pem")) {
            keys.add(publicKey(text(zip, e.getName())));
          }
        }
        out.println("WARNING: no --key given: checkpoint signatures are checked against the");
        out.println("WARNING: public key(s) INSIDE THE ARCHIVE, which only shows the archive is");
        out.println("WARNING: self-consistent. Pass --key with the key the service publishes.");
      }
      if (keys.isEmpty()) {
        throw new IOException("no public key to check signatures with");
      }
      return verify(zip, manifest, keys, keySource, out);
    } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
      out.println("UNREADABLE: " + e);
      return 2;
    }
  }

  private static int verify(
      ZipFile zip, Map<String, String> m, List<PublicKey> keys, String keySource, PrintStream out) {
    String first = null;
    long entries = 0;
    int sealed = 0;
    int chains = 0;
    try {
      Map<String, TreeMap<Long, List<Note>>> notes = notes(text(zip, "checkpoints.txt"));
      chains = Integer.parseInt(m.getOrDefault("chains", "-1"));
      if (chains < 0) {
        throw new Failure("manifest.txt: no chains=");
      }
      for (int i = 0; i < chains; i++) {
        String origin = m.getOrDefault("chain." + i + ".origin", "chain." + i);
        try {
          TreeMap<Long, List<Note>> mine = notes.remove(origin);
          long[] n = chain(zip, m, "chain." + i + ".", mine == null ? new TreeMap<>() : mine, keys);
          entries += n[0];
          sealed += (int) n[1];
          out.printf("OK    %s: entries %d..%d, %d checkpoints%n", origin, n[2], n[3], n[1]);
        } catch (Failure f) {
          out.println("FAIL  " + origin + ": " + f.getMessage());
          first = first == null ? origin + ": " + f.getMessage() : first;
        }
      }
      for (String origin : notes.keySet()) {
        out.println("FAIL  " + origin + ": checkpoints.txt seals a chain the manifest omits");
        first = first == null ? origin + ": checkpoints for a chain not in the manifest" : first;
      }
    } catch (Failure | IOException | RuntimeException e) {
      out.println("FAIL  " + e.getMessage());
      first = first == null ? e.getMessage() : first;
    }
    if (first != null) {
      out.println("NOT INTACT: " + first);
      return 1;
    }
    out.printf(
        "INTACT: %d chains, %d entries, %d checkpoints; signatures checked with the key(s) from"
            + " %s%n",
        chains, entries, sealed, keySource);
    return 0;
  }

  /** Verifies one chain; returns {entries, checkpoints checked, fromSeq, toSeq}. */
  private static long[] chain(
      ZipFile zip,
      Map<String, String> m,
      String p,
      TreeMap<Long, List<Note>> notes,
      List<PublicKey> keys)
      throws Failure, IOException {
    long fromSeq = number(m, p + "fromSeq");
    long toSeq = number(m, p + "toSeq");
    byte[] prev = hex(need(m, p + "startHash"));
    List<byte[]> frontier = new ArrayList<>();
    for (String h : need(m, p + "startFrontier").split(",")) {
      if (!h.isEmpty()) {
        frontier.add(hex(h));
      }
    }
    long size = fromSeq - 1;
    if (size < 0 || toSeq < fromSeq || frontier.size() != Long.bitCount(size)) {
      throw new Failure("manifest.txt: fromSeq, toSeq and startFrontier do not fit together");
    }
    // at the chain's start the previous hash is zeros; after an odd number of entries the last
    // frontier hash is the last entry's own hash
    boolean startFits =
        size == 0
            ? Arrays.equals(prev, new byte[32])
            : size % 2 == 0 || Arrays.equals(prev, frontier.get(frontier.size() - 1));
    if (!startFits) {
      throw new Failure("manifest.txt: startHash is not entry " + size + " of startFrontier");
    }
    if (notes.isEmpty() || notes.lastKey() != toSeq) {
      throw new Failure("no closing checkpoint of size toSeq=" + toSeq + " in checkpoints.txt");
    }
    if (notes.firstKey() < size) {
      throw new Failure("checkpoint of size " + notes.firstKey() + " is before the archive");
    }
    int checked = 0;
    if (size > 0 && !notes.containsKey(size)) {
      throw new Failure("no opening checkpoint of size " + size + ": the start is not signed");
    }
    if (notes.containsKey(size)) {
      checked += check(notes.remove(size), root(frontier), keys, "the start state (manifest)");
    }
    String entriesFile = need(m, p + "entries");
    ZipEntry hashesEntry = zip.getEntry(need(m, p + "hashes"));
    ZipEntry entriesEntry = zip.getEntry(entriesFile);
    if (entriesEntry == null || hashesEntry == null) {
      throw new Failure(entriesFile + " or its hashes file is missing");
    }
    try (InputStream in = new BufferedInputStream(zip.getInputStream(entriesEntry));
        BufferedReader stored =
            new BufferedReader(
                new InputStreamReader(zip.getInputStream(hashesEntry), StandardCharsets.UTF_8))) {
      int line = 0;
      for (byte[] bytes = readLine(in); bytes != null; bytes = readLine(in)) {
        line++;
        long seq = size + 1;
        String where = entriesFile + " line " + line;
        if (seq > toSeq) {
          throw new Failure(where + ": more lines than entries " + fromSeq + ".." + toSeq);
        }
        if (!new String(bytes, StandardCharsets.UTF_8).startsWith("[" + seq + ",")) {
          throw new Failure(where + " should be entry " + seq + ": lines removed, added or moved");
        }
        where += " (entry " + seq + ")";
        byte[] hash = leafHash(prev, bytes);
        if (!HEX.formatHex(hash).equals(stored.readLine())) {
          throw new Failure(where + " does not give the hash the log stored for it: altered");
        }
        frontier = append(frontier, size, hash);
        prev = hash;
        size++;
        List<Note> due = notes.remove(size);
        if (due != null) {
          checked += check(due, root(frontier), keys, "entries up to " + where);
        }
      }
    }
    if (size != toSeq) {
      throw new Failure(entriesFile + " ends at entry " + size + " but toSeq is " + toSeq);
    }
    return new long[] {toSeq - fromSeq + 1, checked, fromSeq, toSeq};
  }

  /** Each checkpoint must carry the recomputed root and a signature by a trusted key. */
  private static int check(List<Note> due, byte[] root, List<PublicKey> keys, String what)
      throws Failure {
    for (Note n : due) {
      String cp = "checkpoint of size " + n.size() + " (checkpoints.txt line " + n.line() + ")";
      if (!signedByAny(keys, n)) {
        throw new Failure(cp + ": signature (key " + n.keyId() + ") is not by a trusted key");
      }
      if (!Arrays.equals(root, n.root())) {
        throw new Failure(cp + ": " + what + " do not give its root");
      }
    }
    return due.size();
  }

  private static boolean signedByAny(List<PublicKey> keys, Note n) {
    for (PublicKey k : keys) {
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(k);
        s.update(n.body().getBytes(StandardCharsets.UTF_8));
        if (s.verify(n.sig())) {
          return true;
        }
      } catch (GeneralSecurityException e) {
        // not this key
      }
    }
    return false;
  }

  // --- RFC 6962 hashing (the same as dev.him.audit.chain, repeated on purpose) ---

  /** The entry's hash: leaf hash of (previous entry's hash | the line's bytes). */
  static byte[] leafHash(byte[] previous, byte[] line) {
    MessageDigest sha = sha256();
    sha.update((byte) 0x00);
    sha.update(previous);
    sha.update(line);
    return sha.digest();
  }

  static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest sha = sha256();
    sha.update((byte) 0x01);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  /** Appends a leaf to the frontier (perfect subtree roots, largest first) of a tree of size. */
  static List<byte[]> append(List<byte[]> frontier, long size, byte[] leaf) {
    List<byte[]> next = new ArrayList<>(frontier);
    byte[] carry = leaf;
    for (long s = size; (s & 1) == 1; s >>= 1) {
      carry = nodeHash(next.remove(next.size() - 1), carry);
    }
    next.add(carry);
    return next;
  }

  /** The tree's root: the frontier folded from the right (SHA-256 of nothing when empty). */
  static byte[] root(List<byte[]> frontier) {
    if (frontier.isEmpty()) {
      return sha256().digest();
    }
    byte[] acc = frontier.get(frontier.size() - 1);
    for (int i = frontier.size() - 2; i >= 0; i--) {
      acc = nodeHash(frontier.get(i), acc);
    }
    return acc;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- reading the archive ---

  /** checkpoints.txt by origin and size: 4-line body, "— keyId signature", blank line. */
  private static Map<String, TreeMap<Long, List<Note>>> notes(String text) throws Failure {
    Map<String, TreeMap<Long, List<Note>>> out = new HashMap<>();
    String[] lines = text.split("\n", -1);
    int i = 0;
    while (i + 1 < lines.length) {
      try {
        String body = String.join("\n", Arrays.copyOfRange(lines, i, i + 4)) + "\n";
        String[] sig = lines[i + 4].split(" ");
        if (!lines[i].startsWith("him-audit ")
            || sig.length != 3
            || !sig[0].equals("\u2014")
            || !lines[i + 5].isEmpty()) {
          throw new IllegalArgumentException();
        }
        long size = Long.parseLong(lines[i + 1]);
        Note n =
            new Note(
                lines[i],
                size,
                Base64.getDecoder().decode(lines[i + 2]),
                body,
                sig[1],
                Base64.getDecoder().decode(sig[2]),
                i + 1);
        out.computeIfAbsent(n.origin(), o -> new TreeMap<>())
            .computeIfAbsent(size, s -> new ArrayList<>())
            .add(n);
      } catch (RuntimeException e) {
        throw new Failure("checkpoints.txt line " + (i + 1) + ": not a signed checkpoint");
      }
      i += 6;
    }
    return out;
  }

  private static Map<String, String> manifest(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0) {
        out.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return out;
  }

  private static String need(Map<String, String> m, String key) throws Failure {
    String v = m.get(key);
    if (v == null) {
      throw new Failure("manifest.txt has no " + key);
    }
    return v;
  }

  private static long number(Map<String, String> m, String key) throws Failure {
    try {
      return Long.parseLong(need(m, key));
    } catch (NumberFormatException e) {
      throw new Failure("manifest.txt: " + key + " is not a number");
    }
  }

  private static byte[] hex(String h) throws Failure {
    try {
      byte[] b = HEX.parseHex(h);
      if (b.length == 32) {
        return b;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new Failure("manifest.txt: " + h + " is not a SHA-256 hash");
  }

  private static String text(ZipFile zip, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new IOException(name + " is not in the archive");
    }
    try (InputStream in = zip.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The bytes up to the next newline (without it), or null at the end. */
  private static byte[] readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    int b = in.read();
    if (b < 0) {
      return null;
    }
    while (b >= 0 && b != '\n') {
      line.write(b);
      b = in.read();
    }
    return line.toByteArray();
  }

  private static PublicKey publicKey(String pem) throws GeneralSecurityException {
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("Ed25519")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
  }
}
