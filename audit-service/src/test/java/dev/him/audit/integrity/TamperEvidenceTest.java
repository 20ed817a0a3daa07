package dev.him.audit.integrity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.audit.chain.Checkpoint;
import dev.him.audit.chain.LogEntry;
import dev.him.audit.chain.MerkleTree;
import dev.him.audit.chain.SigningKey;
import dev.him.audit.log.EntryRows;
import dev.him.audit.testing.AuditDatabaseResource;
import dev.him.audit.testing.MetricsScrape;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import dev.him.infra.testing.KafkaResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The log on the real broker and database: every event once, in per-partition chains; a writer that
 * cannot change what it wrote; and verify naming whatever an administrator altered, removed,
 * reordered or forged behind the service's back.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
@QuarkusTestResource(KafkaResource.class)
class TamperEvidenceTest {
  private static final HexFormat HEX = HexFormat.of();

  @Inject AgroalDataSource db;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String url;

  @ConfigProperty(name = "quarkus.flyway.username")
  String owner;

  @ConfigProperty(name = "quarkus.flyway.password")
  String ownerPassword;

  @ConfigProperty(name = "him.audit.checkpoint.file")
  Path checkpointFile;

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

  void send(String topic, String key, byte[] value, String... headers) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, value);
      for (int i = 0; i + 1 < headers.length; i += 2) {
        r.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
      }
      producer.send(r).get();
    }
  }

  void publish(AccessEvent... events) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (AccessEvent e : events) {
        producer.send(
            new ProducerRecord<>("him.access-events", e.partitionKey(), json.writeValueAsBytes(e)));
      }
      producer.flush();
    }
  }

  long count(String where, Object arg) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement("select count(*) from audit_entry where " + where)) {
      q.setObject(1, arg);
      ResultSet rs = q.executeQuery();
      rs.next();
      return rs.getLong(1);
    }
  }

  /** [chain_id, seq] of an event. */
  long[] position(UUID eventId) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement("select chain_id, seq from audit_entry where event_id = ?")) {
      q.setObject(1, eventId);
      ResultSet rs = q.executeQuery();
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  Connection asOwner() throws SQLException {
    return DriverManager.getConnection(url, owner, ownerPassword);
  }

  /** Five reads of one patient: one partition, one chain; sealed. Returns them in order. */
  List<AccessEvent> sealedChain() throws Exception {
    String patient = UUID.randomUUID().toString();
    List<AccessEvent> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(read(patient));
    }
    publish(events.toArray(AccessEvent[]::new));
    AccessEvent last = events.get(4);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> count("event_id = ?", last.eventId()) == 1);
    given().auth().none();
    return events;
  }

  void seal() {
    given().post("/api/audit/checkpoints").then().statusCode(200);
  }

  JsonPath verify() {
    return given().get("/api/audit/verify").then().statusCode(200).extract().jsonPath();
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-admin", "privacy-officer"})
  void everyEventIsLoggedOnceInItsPartitionsChain() throws Exception {
    String patient = UUID.randomUUID().toString();
    AccessEvent a = read(patient);
    publish(a, a); // a producer's retry: the same event id twice
    byte[] registered =
        ("{\"eventId\":\""
                + UUID.randomUUID()
                + "\",\"occurredAt\":\"2026-11-02T08:00:00Z\","
                + "\"patientId\":\""
                + patient
                + "\",\"mrn\":\"MRN-1\",\"registeredBy\":\"clerk\","
                + "\"correlationId\":\"c-1\"}")
            .getBytes(StandardCharsets.UTF_8);
    send(
        "him.patient-events",
        patient,
        registered,
        "event-type",
        "PatientRegistered",
        "event-version",
        "1");
    send("him.access-events", patient, "not json {".getBytes(StandardCharsets.UTF_8));

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count("event_type = 'PatientRegistered' and ? = any(patient_ids)", patient) == 1
                    && count(
                            "event_type = 'Unreadable' and payload_sha256 = ?",
                            sha256("not json {".getBytes(StandardCharsets.UTF_8)))
                        == 1);
    assertThat(count("event_id = ?", a.eventId())).isEqualTo(1);
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select e.action, e.actor_username, e.resource_type, e.resource_id, e.detail,"
                    + " e.source_service, e.payload_sha256, ch.topic from audit_entry e join"
                    + " audit_chain ch using (chain_id) where e.event_type = 'PatientRegistered'"
                    + " and ? = any(e.patient_ids)")) {
      q.setString(1, patient);
      ResultSet rs = q.executeQuery();
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("CREATE");
      assertThat(rs.getString(2)).isEqualTo("clerk");
      assertThat(rs.getString(3)).isEqualTo("Patient");
      assertThat(rs.getString(4)).isEqualTo(patient);
      assertThat(rs.getString(5)).isEqualTo("PatientRegistered v1");
      assertThat(rs.getString(6)).isEqualTo("records-service");
      // the payload is proven by its digest, not copied (the MRN is not stored)
      assertThat(rs.getBytes(7)).isEqualTo(sha256(registered));
      assertThat(rs.getString(8)).isEqualTo("him.patient-events");
    }
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      ResultSet rs =
          s.executeQuery(
              "select count(*) from (select chain_id, max(seq) m, count(*) n from audit_entry"
                  + " group by chain_id) x where m <> n");
      rs.next();
      assertThat(rs.getLong(1)).as("chains without gaps").isZero();
      rs = s.executeQuery("select count(*) from audit_entry where detail like '%MRN-1%'");
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
    seal();
    JsonPath v = verify();
    assertThat(v.getBoolean("intact")).isTrue();
    assertThat(v.getLong("checkedCheckpoints")).isPositive();
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-admin", "privacy-officer"})
  void verifyWhileEventsArriveFindsTheLogIntact() throws Exception {
    List<AccessEvent> events = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      events.add(read("p-busy-" + (i % 40)));
    }
    Thread producer =
        new Thread(
            () -> {
              try {
                publish(events.toArray(AccessEvent[]::new));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    producer.start();
    AccessEvent last = events.get(events.size() - 1);
    int runs = 0;
    while (producer.isAlive() || count("event_id = ?", last.eventId()) == 0) {
      JsonPath v = verify();
      assertThat(v.getBoolean("intact")).as("verify during ingestion: %s", v.prettify()).isTrue();
      runs++;
    }
    assertThat(runs).isPositive();
    assertThat(verify().getBoolean("intact")).isTrue();
  }

  @Test
  void theWriterRoleCannotChangeOrRemoveLogRows() throws Exception {
    AccessEvent a = read(UUID.randomUUID().toString());
    publish(a);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> count("event_id = ?", a.eventId()) == 1);
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      assertThat(c.getMetaData().getUserName()).isEqualTo(AuditDatabaseResource.WRITER);
      for (String sql :
          List.of(
              "update audit_entry set actor_username = 'mallory' where event_id = '"
                  + a.eventId()
                  + "'",
              "delete from audit_entry where event_id = '" + a.eventId() + "'",
              "truncate audit_entry",
              "update audit_checkpoint set tree_size = 0",
              "delete from audit_checkpoint",
              "delete from audit_chain",
              "alter table audit_entry disable trigger audit_entry_no_change")) {
        assertThatThrownBy(() -> s.execute(sql))
            .as(sql)
            .isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("42501", "P0001"));
      }
    }
    // even the owner meets the append-only trigger
    try (Connection c = asOwner();
        Statement s = c.createStatement()) {
      assertThatThrownBy(
              () ->
                  s.executeUpdate("delete from audit_entry where event_id = '" + a.eventId() + "'"))
          .hasMessageContaining("append-only");
    }
    assertThat(count("event_id = ?", a.eventId())).isEqualTo(1);
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-admin", "privacy-officer"})
  void verifyNamesTheFirstAlteredReorderedOrDeletedEntry() throws Exception {
    List<AccessEvent> events = sealedChain();
    long[] second = position(events.get(1).eventId());
    long[] third = position(events.get(2).eventId());
    int chain = (int) second[0];
    assertThat(verify().getBoolean("intact")).isTrue();

    try (Connection c = asOwner();
        Statement s = c.createStatement()) {
      s.execute("alter table audit_entry disable trigger user");
      try {
        // altered
        s.executeUpdate(
            "update audit_entry set actor_username = 'mallory' where chain_id = "
                + chain
                + " and seq = "
                + second[1]);
        JsonPath v = verify();
        assertThat(v.getBoolean("intact")).isFalse();
        assertThat(v.getString("firstProblem.kind")).isEqualTo("ENTRY_ALTERED");
        assertThat(v.getLong("firstProblem.seq")).isEqualTo(second[1]);
        assertThat(v.getString("firstProblem.eventId"))
            .isEqualTo(events.get(1).eventId().toString());
        // the operations alert HimAuditVerifyFailed reads this
        assertThat(MetricsScrape.sample("him_audit_verify_intact")).isEqualTo(0.0);
        s.executeUpdate(
            "update audit_entry set actor_username = 'nurse' where chain_id = "
                + chain
                + " and seq = "
                + second[1]);
        assertThat(verify().getBoolean("intact")).isTrue();
        assertThat(MetricsScrape.sample("him_audit_verify_intact")).isEqualTo(1.0);
        assertThat(MetricsScrape.sample("him_audit_verify_last_run_seconds"))
            .isCloseTo(
                System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(60.0));

        // reordered: the second and third entries swap places
        swap(s, chain, second[1], third[1]);
        v = verify();
        assertThat(v.getString("firstProblem.kind")).isEqualTo("ENTRY_ALTERED");
        assertThat(v.getLong("firstProblem.seq")).isEqualTo(second[1]);
        swap(s, chain, second[1], third[1]);
        assertThat(verify().getBoolean("intact")).isTrue();

        // deleted
        s.execute(
            "create temp table saved as select * from audit_entry where chain_id = "
                + chain
                + " and seq = "
                + third[1]);
        s.executeUpdate(
            "delete from audit_entry where chain_id = " + chain + " and seq = " + third[1]);
        v = verify();
        assertThat(v.getString("firstProblem.kind")).isEqualTo("ENTRY_MISSING");
        assertThat(v.getLong("firstProblem.seq")).isEqualTo(third[1]);
        s.executeUpdate("insert into audit_entry select * from saved");
        assertThat(verify().getBoolean("intact")).isTrue();
      } finally {
        s.execute("alter table audit_entry enable trigger user");
      }
    }
  }

  private static void swap(Statement s, int chain, long a, long b) throws SQLException {
    s.executeUpdate(
        "update audit_entry set seq = -1 where chain_id = " + chain + " and seq = " + a);
    s.executeUpdate(
        "update audit_entry set seq = " + a + " where chain_id = " + chain + " and seq = " + b);
    s.executeUpdate(
        "update audit_entry set seq = " + b + " where chain_id = " + chain + " and seq = -1");
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-admin", "privacy-officer"})
  void aRewrittenChainNoLongerMeetsItsSignedCheckpoint() throws Exception {
    List<AccessEvent> events = sealedChain();
    seal();
    long[] last = position(events.get(4).eventId());
    int chain = (int) last[0];
    try (Connection c = asOwner();
        Statement s = c.createStatement()) {
      // Someone with the owner's rights rewrites an entry and recomputes every hash after it and
      // the chain head: the chain is consistent again, only the signed root can tell.
      List<LogEntry> entries = new ArrayList<>();
      ResultSet rs =
          s.executeQuery(
              "select "
                  + EntryRows.COLUMNS
                  + " from audit_entry where chain_id = "
                  + chain
                  + " order by seq");
      while (rs.next()) {
        entries.add(EntryRows.entry(rs));
      }
      byte[] prev = LogEntry.GENESIS;
      List<byte[]> frontier = new ArrayList<>();
      s.execute("alter table audit_entry disable trigger user");
      List<Object[]> original = new ArrayList<>();
      try {
        for (LogEntry e : entries) {
          LogEntry forged = e;
          if (e.eventId().equals(events.get(1).eventId())) {
            forged = withUser(e, "mallory");
          }
          byte[] hash = forged.hash(prev);
          try (PreparedStatement up =
              c.prepareStatement(
                  "update audit_entry set actor_username = ?, hash = ? where chain_id = ? and seq = ?"
                      + " returning (select hash from audit_entry where chain_id = ? and seq = ?)")) {
            up.setString(1, forged.actorUsername());
            up.setBytes(2, hash);
            up.setInt(3, chain);
            up.setLong(4, e.seq());
            up.setInt(5, chain);
            up.setLong(6, e.seq());
            ResultSet old = up.executeQuery();
            old.next();
            original.add(new Object[] {e.seq(), e.actorUsername(), old.getBytes(1)});
          }
          frontier = MerkleTree.append(frontier, e.seq() - 1, hash);
          prev = hash;
        }
        try (PreparedStatement up =
            c.prepareStatement(
                "update audit_chain set head_hash = ?, frontier = ? where chain_id = ?")) {
          up.setBytes(1, prev);
          up.setBytes(2, LogEntry.packFrontier(frontier));
          up.setInt(3, chain);
          up.executeUpdate();
        }
        JsonPath v = verify();
        assertThat(v.getBoolean("intact")).isFalse();
        assertThat(v.getString("firstProblem.kind")).isEqualTo("CHECKPOINT_ROOT_MISMATCH");
        assertThat(v.getLong("firstProblem.treeSize")).isGreaterThanOrEqualTo(last[1]);
      } finally {
        byte[] head = null;
        for (Object[] o : original) {
          try (PreparedStatement up =
              c.prepareStatement(
                  "update audit_entry set actor_username = ?, hash = ? where chain_id = ? and seq = ?")) {
            up.setString(1, (String) o[1]);
            up.setBytes(2, (byte[]) o[2]);
            up.setInt(3, chain);
            up.setLong(4, (long) o[0]);
            up.executeUpdate();
          }
          head = (byte[]) o[2];
        }
        List<byte[]> f = new ArrayList<>();
        for (int i = 0; i < original.size(); i++) {
          f = MerkleTree.append(f, i, (byte[]) original.get(i)[2]);
        }
        try (PreparedStatement up =
            c.prepareStatement(
                "update audit_chain set head_hash = ?, frontier = ? where chain_id = ?")) {
          up.setBytes(1, head);
          up.setBytes(2, LogEntry.packFrontier(f));
          up.setInt(3, chain);
          up.executeUpdate();
        }
        s.execute("alter table audit_entry enable trigger user");
      }
    }
    assertThat(verify().getBoolean("intact")).isTrue();
  }

  private static LogEntry withUser(LogEntry e, String user) {
    return new LogEntry(
        e.seq(),
        e.kafkaOffset(),
        e.eventId(),
        e.eventType(),
        e.occurredAt(),
        e.recordedAt(),
        e.action(),
        e.outcome(),
        e.actorSubject(),
        user,
        e.actorRoles(),
        e.actorClient(),
        e.resourceType(),
        e.resourceId(),
        e.patientIds(),
        e.purposeOfUse(),
        e.correlationId(),
        e.sourceService(),
        e.detail(),
        e.payloadSha256());
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-admin", "privacy-officer"})
  void aForgedCheckpointSignatureIsRejected() throws Exception {
    List<AccessEvent> events = sealedChain();
    publish(read(events.get(0).patientIds().get(0)));
    long[] pos = position(events.get(0).eventId());
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> chainSize((int) pos[0]) > sealedSize((int) pos[0]));
    long size = chainSize((int) pos[0]);
    String topic;
    int partition;
    byte[] root;
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      ResultSet rs =
          s.executeQuery(
              "select topic, partition_no, frontier from audit_chain where chain_id = " + pos[0]);
      rs.next();
      topic = rs.getString(1);
      partition = rs.getInt(2);
      root = MerkleTree.root(LogEntry.unpackFrontier(rs.getBytes(3)));
    }
    // the right root, signed with a key that is not the service's
    var mallory = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Checkpoint cp = new Checkpoint(topic, partition, size, root, Instant.now());
    Signature sig = Signature.getInstance("Ed25519");
    sig.initSign(mallory.getPrivate());
    sig.update(cp.bodyBytes());
    byte[] forged = sig.sign();
    String serviceKeyId =
        SigningKey.keyId(
            SigningKey.readPublicKey(
                given()
                    .get("/api/audit/checkpoints/public-key")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString()));

    // in the checkpoint file
    String line =
        json.writeValueAsString(
                new dev.him.audit.checkpoint.CheckpointFile.Line(
                    topic,
                    partition,
                    size,
                    Base64.getEncoder().encodeToString(root),
                    cp.signedAt().toString(),
                    serviceKeyId,
                    cp.body(),
                    Base64.getEncoder().encodeToString(forged)))
            + "\n";
    byte[] before = Files.readAllBytes(checkpointFile);
    Files.writeString(checkpointFile, line, StandardOpenOption.APPEND);
    try {
      JsonPath v = verify();
      assertThat(v.getBoolean("intact")).isFalse();
      assertThat(v.getString("firstProblem.kind")).isEqualTo("CHECKPOINT_SIGNATURE_INVALID");
      assertThat(v.getLong("firstProblem.treeSize")).isEqualTo(size);
      assertThat(v.getString("firstProblem.message")).contains("checkpoint file");
    } finally {
      Files.write(checkpointFile, before);
    }

    // in the database
    try (Connection c = asOwner();
        PreparedStatement ins =
            c.prepareStatement(
                "insert into audit_checkpoint (chain_id, tree_size, root_hash, signed_at, key_id, body,"
                    + " signature) values (?, ?, ?, now(), ?, ?, ?)")) {
      ins.setInt(1, (int) pos[0]);
      ins.setLong(2, size);
      ins.setBytes(3, root);
      ins.setString(4, serviceKeyId);
      ins.setString(5, cp.body());
      ins.setBytes(6, forged);
      ins.executeUpdate();
      try {
        JsonPath v = verify();
        assertThat(v.getString("firstProblem.kind")).isEqualTo("CHECKPOINT_SIGNATURE_INVALID");
        assertThat(v.getString("firstProblem.message")).contains("database");
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("alter table audit_checkpoint disable trigger user");
          s.executeUpdate(
              "delete from audit_checkpoint where chain_id = "
                  + pos[0]
                  + " and tree_size = "
                  + size);
          s.execute("alter table audit_checkpoint enable trigger user");
        }
      }
    }
    assertThat(verify().getBoolean("intact")).isTrue();
  }

  long chainSize(int chain) throws SQLException {
    return single("select size from audit_chain where chain_id = " + chain);
  }

  long sealedSize(int chain) throws SQLException {
    return single(
        "select coalesce(max(tree_size), 0) from audit_checkpoint where chain_id = " + chain);
  }

  long single(String sql) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery(sql);
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  @TestSecurity(
      user = "admin",
      roles = {"him-admin", "privacy-officer"})
  void anInclusionProofLeadsToTheSignedRoot() throws Exception {
    List<AccessEvent> events = sealedChain();
    seal();
    JsonPath proof =
        given()
            .get("/api/audit/proofs/" + events.get(2).eventId())
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    byte[] previous = HEX.parseHex(proof.getString("previousHash"));
    byte[] leafData = proof.getString("leafData").getBytes(StandardCharsets.UTF_8);
    byte[] leafHash = LogEntry.hash(previous, leafData);
    assertThat(HEX.formatHex(leafHash)).isEqualTo(proof.getString("leafHash"));
    assertThat(proof.getString("leafData")).contains(events.get(2).eventId().toString());
    List<byte[]> path =
        proof.getList("auditPath", String.class).stream().map(HEX::parseHex).toList();
    byte[] root =
        MerkleTree.rootFromInclusionPath(
            leafHash, proof.getLong("leafIndex"), proof.getLong("treeSize"), path);
    assertThat(HEX.formatHex(root)).isEqualTo(proof.getString("rootHash"));
    Checkpoint body = Checkpoint.parse(proof.getString("checkpoint.body"));
    assertThat(body.rootHash()).isEqualTo(root);
    assertThat(body.treeSize()).isEqualTo(proof.getLong("treeSize"));
    var key =
        SigningKey.readPublicKey(
            given()
                .get("/api/audit/checkpoints/public-key")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    assertThat(
            SigningKey.verify(
                key,
                proof.getString("checkpoint.body").getBytes(StandardCharsets.UTF_8),
                Base64.getDecoder().decode(proof.getString("checkpoint.signature"))))
        .isTrue();

    // a wrong leaf does not lead to the root
    byte[] other = LogEntry.hash(previous, "[]".getBytes(StandardCharsets.UTF_8));
    assertThat(
            MerkleTree.rootFromInclusionPath(
                other, proof.getLong("leafIndex"), proof.getLong("treeSize"), path))
        .isNotEqualTo(root);
    given()
        .get("/api/audit/proofs/not-a-uuid")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("eventId"));
    given().get("/api/audit/proofs/" + UUID.randomUUID()).then().statusCode(404);
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void integrityEndpointsNeedTheirRoles() {
    given().get("/api/audit/verify").then().statusCode(403);
    given().post("/api/audit/checkpoints").then().statusCode(403);
    given()
        .get("/api/audit/proofs/" + UUID.randomUUID())
        .then()
        .statusCode(403)
        .body("status", equalTo(403));
  }

  static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }
}
