package dev.him.audit.archive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.audit.chain.Checkpoint;
import dev.him.audit.chain.LogEntry;
import dev.him.audit.log.EntryRows;
import dev.him.audit.testing.AuditDatabaseResource;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import dev.him.infra.testing.KafkaResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The archive of a sealed period, exported from the real log and checked the way an auditor would:
 * by ArchiveVerifier alone, which must pass the archive as exported and name what was changed in a
 * copy — an entry line, a removed line, a foreign signature, a key that is not the service's.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
@QuarkusTestResource(KafkaResource.class)
class AuditArchiveTest {
  private static final String TOPIC = "him.access-events";
  private static final HexFormat HEX = HexFormat.of();

  @Inject AgroalDataSource db;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  /** What a verifier run printed, and its exit code. */
  record Run(int exit, String output) {}

  AccessEvent read(String patient) {
    return new AccessEvent(
        UUID.randomUUID(),
        AccessEvent.TYPE,
        AccessEvent.VERSION,
        Instant.now(),
        new Actor("sub-nurse", "nurse", List.of("clinician"), "him-console"),
        AccessAction.READ,
        "Patient",
        patient,
        List.of(patient),
        AccessOutcome.SUCCESS,
        "TREAT",
        "req-" + UUID.randomUUID(),
        "records-service",
        null);
  }

  /** Publishes {@code n} reads to one partition and waits until they are in its chain. */
  List<AccessEvent> publish(int partition, int n) throws Exception {
    List<AccessEvent> events = new ArrayList<>();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < n; i++) {
        AccessEvent e = read(UUID.randomUUID().toString());
        producer
            .send(
                new ProducerRecord<>(
                    TOPIC, partition, e.partitionKey(), json.writeValueAsString(e)))
            .get();
        events.add(e);
      }
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (AccessEvent e : events) {
                if (!stored(e.eventId())) {
                  return false;
                }
              }
              return true;
            });
    return events;
  }

  boolean stored(UUID eventId) throws SQLException {
    return single("select count(*) from audit_entry where event_id = ?", eventId) == 1;
  }

  long chainSize(int partition) throws SQLException {
    return single(
        "select size from audit_chain where topic = '" + TOPIC + "' and partition_no = ?",
        partition);
  }

  long single(String sql, Object arg) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      q.setObject(1, arg);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The size of the chain's first checkpoint signed at or after {@code at}. */
  long closingSize(int partition, Instant at) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select min(cp.tree_size) from audit_checkpoint cp join audit_chain ch using"
                    + " (chain_id) where ch.topic = ? and ch.partition_no = ? and cp.signed_at >="
                    + " ?")) {
      q.setString(1, TOPIC);
      q.setInt(2, partition);
      q.setObject(3, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** [canonical bytes, stored hash] of one entry; [body] of one checkpoint. */
  byte[][] entry(int partition, long seq) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select "
                    + EntryRows.COLUMNS
                    + " from audit_entry join audit_chain using (chain_id) where topic = ? and"
                    + " partition_no = ? and seq = ?")) {
      q.setString(1, TOPIC);
      q.setInt(2, partition);
      q.setLong(3, seq);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return new byte[][] {EntryRows.entry(rs).canonical(), rs.getBytes(21)};
      }
    }
  }

  String checkpointBody(int partition, long size) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select body from audit_checkpoint join audit_chain using (chain_id) where topic"
                    + " = ? and partition_no = ? and tree_size = ?")) {
      q.setString(1, TOPIC);
      q.setInt(2, partition);
      q.setLong(3, size);
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).as("checkpoint of size " + size).isTrue();
        return rs.getString(1);
      }
    }
  }

  void seal() {
    given().post("/api/audit/checkpoints").then().statusCode(200);
  }

  Response export(Instant from, Instant to) {
    return given()
        .queryParam("from", from.toString())
        .queryParam("to", to.toString())
        .get("/api/audit/archive");
  }

  static Map<String, byte[]> unzip(byte[] zip) throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        files.put(e.getName(), in.readAllBytes());
      }
    }
    return files;
  }

  static Path zip(Map<String, byte[]> files) throws Exception {
    Path file = Files.createTempFile("audit-archive", ".zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        out.putNextEntry(new ZipEntry(f.getKey()));
        out.write(f.getValue());
        out.closeEntry();
      }
    }
    return file;
  }

  static Map<String, String> manifest(Map<String, byte[]> files) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text(files, "manifest.txt").split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }

  static String text(Map<String, byte[]> files, String name) {
    assertThat(files).containsKey(name);
    return new String(files.get(name), StandardCharsets.UTF_8);
  }

  /** The manifest prefix ("chain.N.") of a partition's chain. */
  static String chainKey(Map<String, String> m, int partition) {
    String origin = Checkpoint.ORIGIN_PREFIX + TOPIC + "/" + partition;
    return m.entrySet().stream()
        .filter(e -> e.getKey().endsWith(".origin") && e.getValue().equals(origin))
        .map(e -> e.getKey().substring(0, e.getKey().length() - "origin".length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(origin + " is not in the manifest: " + m));
  }

  static Run verify(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = ArchiveVerifier.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8));
  }

  static Map<String, byte[]> replaceLines(
      Map<String, byte[]> files, String name, java.util.function.UnaryOperator<List<String>> f) {
    Map<String, byte[]> copy = new LinkedHashMap<>(files);
    List<String> lines = new ArrayList<>(Arrays.asList(text(files, name).split("\n", -1)));
    copy.put(name, String.join("\n", f.apply(lines)).getBytes(StandardCharsets.UTF_8));
    return copy;
  }

  static Path pemFile(java.security.PublicKey key) throws Exception {
    Path file = Files.createTempFile("key", ".pem");
    Files.writeString(file, ArchiveExport.pem(key));
    return file;
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aSealedPeriodIsExportedAndVerifiesOfflineAndTamperingIsNamed() throws Exception {
    publish(0, 2);
    publish(1, 2);
    seal();
    Instant from = Instant.now();
    long[] opening = {chainSize(0), chainSize(1)};
    List<AccessEvent> inPeriod0 = publish(0, 2);
    List<AccessEvent> inPeriod1 = publish(1, 2);
    Instant to = Instant.now();
    publish(0, 1);
    publish(1, 1);
    seal();
    long[] closing = {closingSize(0, to), closingSize(1, to)};

    Response r = export(from, to);
    r.then().statusCode(200);
    assertThat(r.contentType()).startsWith("application/zip");
    assertThat(r.header("Content-Disposition")).startsWith("attachment; filename=");
    byte[] archive = r.asByteArray();
    Map<String, byte[]> files = unzip(archive);
    assertThat(files.keySet())
        .contains(
            "manifest.txt",
            "checkpoints.txt",
            "public-key.pem",
            "README.txt",
            "entries/him.access-events-0.jsonl",
            "entries/him.access-events-1.jsonl",
            "hashes/him.access-events-0.txt");
    Map<String, String> m = manifest(files);
    assertThat(m.get("period.from")).isEqualTo(from.toString());
    assertThat(m.get("period.to")).isEqualTo(to.toString());
    assertThat(m.get("retentionYears")).isEqualTo("6");
    String checkpoints = text(files, "checkpoints.txt");
    for (int p = 0; p < 2; p++) {
      String k = chainKey(m, p);
      long fromSeq = Long.parseLong(m.get(k + "fromSeq"));
      long toSeq = Long.parseLong(m.get(k + "toSeq"));
      assertThat(fromSeq).isEqualTo(opening[p] + 1);
      assertThat(toSeq).isEqualTo(closing[p]).isGreaterThanOrEqualTo(opening[p] + 2);
      assertThat(m.get(k + "entries")).isEqualTo("entries/him.access-events-" + p + ".jsonl");
      assertThat(m.get(k + "startHash")).isEqualTo(HEX.formatHex(entry(p, fromSeq - 1)[1]));
      byte[] lines = files.get(m.get(k + "entries"));
      List<String> entryLines = new String(lines, StandardCharsets.UTF_8).lines().toList();
      assertThat(entryLines).hasSize((int) (toSeq - fromSeq + 1));
      assertThat(text(files, m.get(k + "hashes")).lines()).hasSize(entryLines.size());
      // each line is exactly the bytes that were hashed
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      for (long seq = fromSeq; seq <= toSeq; seq++) {
        expected.write(entry(p, seq)[0]);
        expected.write('\n');
      }
      assertThat(lines).isEqualTo(expected.toByteArray());
      for (AccessEvent e : p == 0 ? inPeriod0 : inPeriod1) {
        assertThat(entryLines).anyMatch(l -> l.contains(e.eventId().toString()));
      }
      assertThat(checkpoints)
          .contains(checkpointBody(p, fromSeq - 1) + "\u2014 ")
          .contains(checkpointBody(p, toSeq) + "\u2014 ");
    }
    String servicePem =
        given()
            .get("/api/audit/checkpoints/public-key")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(text(files, "public-key.pem")).isEqualTo(servicePem);
    assertThat(text(files, "README.txt")).contains("java ArchiveVerifier.java");

    Path file = zip(files);
    Run ok = verify(file.toString());
    assertThat(ok.exit()).as(ok.output()).isZero();
    assertThat(ok.output())
        .contains("OK    him-audit him.access-events/0: entries " + (opening[0] + 1) + "..")
        .contains("OK    him-audit him.access-events/1")
        .contains("WARNING")
        .contains("INTACT");
    Path serviceKey = Files.createTempFile("service-key", ".pem");
    Files.writeString(serviceKey, servicePem);
    Run trusted = verify(file.toString(), "--key", serviceKey.toString());
    assertThat(trusted.exit()).as(trusted.output()).isZero();
    assertThat(trusted.output()).doesNotContain("WARNING").contains("INTACT");

    String k0 = chainKey(m, 0);
    long fromSeq0 = Long.parseLong(m.get(k0 + "fromSeq"));
    long toSeq0 = Long.parseLong(m.get(k0 + "toSeq"));
    String entries0 = m.get(k0 + "entries");

    // (a) one character of one entry line changed
    Run altered =
        verify(
            zip(replaceLines(
                    files,
                    entries0,
                    l -> {
                      l.set(1, l.get(1).replace("\"nurse\"", "\"nursf\""));
                      return l;
                    }))
                .toString());
    assertThat(altered.exit()).as(altered.output()).isEqualTo(1);
    assertThat(altered.output())
        .contains(
            "FAIL  him-audit him.access-events/0: "
                + entries0
                + " line 2 (entry "
                + (fromSeq0 + 1)
                + ")")
        .contains("altered")
        .contains("OK    him-audit him.access-events/1")
        .contains("NOT INTACT");

    // (b) one line removed
    Run removed =
        verify(
            zip(replaceLines(
                    files,
                    entries0,
                    l -> {
                      l.remove(1);
                      return l;
                    }))
                .toString());
    assertThat(removed.exit()).as(removed.output()).isEqualTo(1);
    assertThat(removed.output())
        .contains("him-audit him.access-events/0: " + entries0 + " line 2 should be entry ")
        .contains("NOT INTACT");

    // (a') the line changed and the stored hashes recomputed to match: only the signed root tells
    String hashes0 = m.get(k0 + "hashes");
    List<String> forgedLines = new ArrayList<>(text(files, entries0).lines().toList());
    forgedLines.set(1, forgedLines.get(1).replace("\"nurse\"", "\"nursf\""));
    List<String> forgedHashes = new ArrayList<>();
    byte[] previous = HEX.parseHex(m.get(k0 + "startHash"));
    for (String line : forgedLines) {
      previous = LogEntry.hash(previous, line.getBytes(StandardCharsets.UTF_8));
      forgedHashes.add(HEX.formatHex(previous));
    }
    Map<String, byte[]> rehashed = new LinkedHashMap<>(files);
    rehashed.put(
        entries0, (String.join("\n", forgedLines) + "\n").getBytes(StandardCharsets.UTF_8));
    rehashed.put(
        hashes0, (String.join("\n", forgedHashes) + "\n").getBytes(StandardCharsets.UTF_8));
    Run rewritten = verify(zip(rehashed).toString());
    assertThat(rewritten.exit()).as(rewritten.output()).isEqualTo(1);
    assertThat(rewritten.output())
        .contains("FAIL  him-audit him.access-events/0: checkpoint of size ")
        .contains("do not give its root");

    // (c) the closing checkpoint's signature replaced by one from another Ed25519 key
    KeyPair mallory = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String closingBody = checkpointBody(0, toSeq0);
    Signature sig = Signature.getInstance("Ed25519");
    sig.initSign(mallory.getPrivate());
    sig.update(closingBody.getBytes(StandardCharsets.UTF_8));
    String forged = Base64.getEncoder().encodeToString(sig.sign());
    Run foreign =
        verify(
            zip(replaceLines(
                    files,
                    "checkpoints.txt",
                    l -> {
                      // the note's body lines are origin, size, root, time; its signature follows
                      int body = 0;
                      while (!(l.get(body).equals(Checkpoint.ORIGIN_PREFIX + TOPIC + "/0")
                          && l.get(body + 1).equals(Long.toString(toSeq0)))) {
                        body++;
                      }
                      String[] note = l.get(body + 4).split(" ");
                      l.set(body + 4, note[0] + " " + note[1] + " " + forged);
                      return l;
                    }))
                .toString());
    assertThat(foreign.exit()).as(foreign.output()).isEqualTo(1);
    assertThat(foreign.output())
        .contains("FAIL  him-audit him.access-events/0: checkpoint of size " + toSeq0)
        .contains("not by a trusted key");

    // (d) a key that is not the service's
    Run wrongKey = verify(file.toString(), "--key", pemFile(mallory.getPublic()).toString());
    assertThat(wrongKey.exit()).as(wrongKey.output()).isEqualTo(1);
    assertThat(wrongKey.output()).contains("not by a trusted key").contains("NOT INTACT");

    // the command exactly as documented: the JDK's single-file launcher, nothing else
    Path source = Path.of("src/main/java/dev/him/audit/archive/ArchiveVerifier.java");
    assertThat(source).exists();
    Process java =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                source.toString(),
                file.toString(),
                "--key",
                serviceKey.toString())
            .redirectErrorStream(true)
            .start();
    String printed = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(java.exitValue()).as(printed).isZero();
    assertThat(printed)
        .contains("OK    him-audit him.access-events/0")
        .contains("OK    him-audit him.access-events/1")
        .contains("INTACT: ");
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aPeriodWithUnsealedEntriesIsRefusedUntilSealed() throws Exception {
    seal();
    Instant from = Instant.now();
    publish(2, 1);
    Instant to = Instant.now();
    export(from, to)
        .then()
        .statusCode(409)
        .body("title", equalTo("Period not sealed yet"))
        .body("detail", containsString("him.access-events/2"))
        .body("detail", containsString("POST /api/audit/checkpoints"));
    export(from, Instant.now().plus(1, ChronoUnit.DAYS))
        .then()
        .statusCode(409)
        .body("detail", containsString("future"));
    // one more entry, so the seal certainly writes a checkpoint after `to`
    publish(2, 1);
    seal();
    Response r = export(from, to);
    r.then().statusCode(200);
    Map<String, String> m = manifest(unzip(r.asByteArray()));
    assertThat(m.get(chainKey(m, 2) + "toSeq")).isEqualTo(Long.toString(closingSize(2, to)));
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void aWrongPeriodIsNamed() {
    given()
        .get("/api/audit/archive")
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItems("from", "to"));
    given()
        .queryParam("from", "yesterday")
        .queryParam("to", "2026-11-01")
        .get("/api/audit/archive")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("from"));
    given()
        .queryParam("from", "2026-11-02")
        .queryParam("to", "2026-11-01T00:00:00Z")
        .get("/api/audit/archive")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("to"))
        .body("invalid-params[0].reason", equalTo("must be after from"));
    // a period before anything was logged is sealed and empty; privacy-officer may export it
    Response r =
        given()
            .queryParam("from", "2001-01-01")
            .queryParam("to", "2001-01-31")
            .get("/api/audit/archive");
    r.then().statusCode(200);
    assertThat(verify(write(r.asByteArray())).exit()).isZero();
  }

  static String write(byte[] zip) {
    try {
      Path file = Files.createTempFile("audit-archive", ".zip");
      Files.write(file, zip);
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void theArchiveNeedsItsRoles() {
    given()
        .queryParam("from", "2026-11-01")
        .queryParam("to", "2026-11-02")
        .get("/api/audit/archive")
        .then()
        .statusCode(403);
  }
}
