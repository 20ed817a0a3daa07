package dev.him.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.deploy.Platform.Instance;
import dev.him.infra.Folders;
import dev.him.infra.Ports;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scale-out on one machine: two instances each of records-service and audit-service side by side
 * (own HTTP ports; same databases, same broker, same consumer group), started at the same moment
 * against empty databases, with Keycloak for real tokens. Under load through both records-service
 * instances plus a stream of access events sent straight to Kafka, every event the outboxes hold is
 * published exactly once and in order per key, every event is stored exactly once in the audit log,
 * both audit-service instances ingest (partitions spread over both), and verify finds every chain
 * and checkpoint intact. Both replicas of each service migrated one empty database at once: one
 * applied the migrations, the other found them applied, and the schema history holds each once.
 */
class ScaleOutIT {
  /** Patients (each a transaction bundle: Patient + discharged Encounter, then a read). */
  static final int PATIENTS = 120;

  /** Access events sent straight to him.access-events, as other services and the gateway do. */
  static final int DIRECT_EVENTS = 20_000;

  static final int CLIENTS = 6;

  static final List<String> TOPICS =
      List.of(
          "him.access-events",
          "him.patient-events",
          "him.encounter-events",
          "him.coding-events",
          "him.document-events",
          "him.deficiency-events",
          "him.request-events");

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static Platform platform;
  static Path data;
  static final List<String> records = new ArrayList<>();
  static final List<String> audits = new ArrayList<>();
  static final List<Instance> started = new ArrayList<>();
  static long t0;

  @BeforeAll
  static void start() throws Exception {
    t0 = System.nanoTime();
    Path root = Path.of(System.getProperty("him.repo.root", "..")).toAbsolutePath().normalize();
    data = Folders.temporary("him-scale-out");
    PlatformConfig config = PlatformConfig.ephemeral(root, data);
    // whatever happens (a failed assertion, a killed run), no process started here stays behind
    Runtime.getRuntime().addShutdownHook(new Thread(ScaleOutIT::stopAll));
    platform = Platform.startInfrastructure(config, ScaleOutIT::log);
    createTopics(platform.kafkaBootstrap());
    // the checkpoint key exists before the replicas start, as a Kubernetes Secret would: two
    // replicas creating a missing key at once would each make their own
    writeSigningKey(data.resolve("audit"));

    int records1 = config.servicePorts().get(PlatformConfig.RECORDS);
    int records2 = Ports.freeForLaterServer();
    int audit1 = config.servicePorts().get(PlatformConfig.AUDIT);
    int audit2 = Ports.freeForLaterServer();
    started.add(records(1, records1));
    started.add(records(2, records2));
    started.add(audit(1, audit1, records1));
    started.add(audit(2, audit2, records2));
    for (Instance i : started) {
      (i.service().equals(PlatformConfig.RECORDS) ? records : audits)
          .add("http://localhost:" + i.port());
    }
    long t = System.nanoTime();
    startTogetherAgainstEmptyDatabases();
    log(
        "4 instances ready %.1f s after a common start (platform up after %.0f s)",
        (System.nanoTime() - t) / 1e9, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Launches the four instances at once while this test holds Flyway's lock on both (empty)
   * databases; once every instance has begun its migration and none could apply anything, the locks
   * are released and the replicas of each service contend for them.
   */
  static void startTogetherAgainstEmptyDatabases() throws Exception {
    List<FlywayLockHold> held = new ArrayList<>();
    try {
      for (String database : List.of("records", "audit")) {
        held.add(FlywayLockHold.hold(platform.jdbcUrl(database), "postgres", "postgres"));
      }
      CompletableFuture<?> up =
          CompletableFuture.runAsync(() -> platform.startInstances(started, ScaleOutIT::log));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!started.stream().allMatch(i -> logContains(i, "Database: jdbc:postgresql"))
          && !up.isDone()) {
        assertThat(System.nanoTime()).as("every instance reaches Flyway").isLessThan(deadline);
        Thread.sleep(100);
      }
      if (up.isDone()) {
        up.get(); // an instance did not start: its log's tail says why
      }
      Thread.sleep(1500); // each has asked for the lock at least once (Flyway retries every second)
      for (FlywayLockHold h : held) {
        assertThat(h.anyMigrationApplied())
            .as("a replica migrated while the test held Flyway's lock (has its key changed?)")
            .isFalse();
      }
      log("every instance is waiting for Flyway's lock; releasing it");
      for (FlywayLockHold h : held) {
        h.close();
      }
      held.clear();
      up.get(200, TimeUnit.SECONDS);
    } finally {
      for (FlywayLockHold h : held) {
        h.close();
      }
    }
  }

  static boolean logContains(Instance i, String text) {
    Path file = data.resolve("logs/" + i.label() + ".log");
    try {
      return Files.exists(file) && Files.readString(file).contains(text);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static Instance records(int n, int port) {
    return new Instance(PlatformConfig.RECORDS, port, "records-service-" + n, Map.of());
  }

  static Instance audit(int n, int port, int recordsPort) {
    Path keys = data.resolve("audit");
    return new Instance(
        PlatformConfig.AUDIT,
        port,
        "audit-service-" + n,
        Map.of(
            "HIM_AUDIT_SIGNING_CREATE_IF_MISSING",
            "false",
            // each instance appends the checkpoints it signs to its own file (a pod's volume)
            "HIM_AUDIT_CHECKPOINT_FILE",
            keys.resolve("checkpoints-" + n + ".jsonl").toString(),
            "HIM_AUDIT_CHECKPOINT_INTERVAL",
            "5s",
            "QUARKUS_REST_CLIENT_RECORDS_SERVICE_URL",
            "http://localhost:" + recordsPort));
  }

  @AfterAll
  static void stop() throws Exception {
    stopAll();
    // the services' logs outlive the run (target/scale-out-logs), for whoever reads a failure
    Path logs = data == null ? null : data.resolve("logs");
    if (logs != null && Files.isDirectory(logs)) {
      Path keep = Path.of("target/scale-out-logs");
      Files.createDirectories(keep);
      try (var files = Files.list(logs)) {
        for (Path f : files.toList()) {
          Files.copy(f, keep.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Folders.deleteTree(data);
  }

  static synchronized void stopAll() {
    if (platform != null) {
      platform.close(); // every service instance, then Keycloak, Kafka and PostgreSQL
      platform = null;
    }
  }

  @Test
  void twoReplicasEachMigrateOnceRelayEachEventOnceAndIngestEachEventOnce() throws Exception {
    migratedOnce("records");
    migratedOnce("audit");

    // --- load: both records-service instances at once, and a stream of access events ---
    ConsumerGroupWatch group = new ConsumerGroupWatch(platform.kafkaBootstrap());
    group.start();
    String system = hospitalSystemToken();
    long loadStart = System.nanoTime();
    Set<UUID> direct = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
    Future<?> producer = pool.submit(() -> publishDirect(direct));
    Map<String, AtomicInteger> perInstance = new ConcurrentHashMap<>();
    List<Long> bundleMillis = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Long> readMillis = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      clients.add(
          pool.submit(
              () -> {
                for (int i = client; i < PATIENTS; i += CLIENTS) {
                  String first = records.get(i % 2);
                  String second = records.get((i + 1) % 2);
                  long t = System.nanoTime();
                  String patient = registerStay(first, system, i);
                  bundleMillis.add((System.nanoTime() - t) / 1_000_000);
                  t = System.nanoTime();
                  read(second, system, "/fhir/r4/Patient/" + patient);
                  readMillis.add((System.nanoTime() - t) / 1_000_000);
                  perInstance.computeIfAbsent(first, k -> new AtomicInteger()).incrementAndGet();
                  perInstance.computeIfAbsent(second, k -> new AtomicInteger()).incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<?> f : clients) {
      f.get(5, TimeUnit.MINUTES);
    }
    double requestsSeconds = (System.nanoTime() - loadStart) / 1e9;
    producer.get(5, TimeUnit.MINUTES);
    pool.shutdown();
    log(
        "load sent in %.1f s: %d patient stays and %d reads (%.0f requests/s) over %s; %d access"
            + " events straight to Kafka",
        (System.nanoTime() - loadStart) / 1e9,
        PATIENTS,
        PATIENTS,
        2 * PATIENTS / requestsSeconds,
        perInstance,
        direct.size());
    log(
        "latency (ms) of bundles p50 %d, p95 %d, max %d; of reads p50 %d, p95 %d, max %d",
        percentile(bundleMillis, 50),
        percentile(bundleMillis, 95),
        percentile(bundleMillis, 100),
        percentile(readMillis, 50),
        percentile(readMillis, 95),
        percentile(readMillis, 100));
    for (String r : records) {
      assertThat(perInstance.get(r).get()).as("requests served by " + r).isEqualTo(PATIENTS);
    }

    // --- wait until both outboxes are drained and the audit log holds as many events ---
    Expected expected = settle(direct, Duration.ofSeconds(90));
    log(
        "settled %.1f s after the load began: %d events in the records outbox, %d in the audit"
            + " outbox, %d sent straight to Kafka",
        (System.nanoTime() - loadStart) / 1e9,
        expected.recordsOutbox.size(),
        expected.auditOutbox.size(),
        direct.size());
    group.stop();

    // --- Kafka: every outbox event published exactly once, in order per key ---
    Published kafka = readAllTopics(platform.kafkaBootstrap());
    Set<UUID> all = expected.all();
    Map<UUID, Integer> doubled = new HashMap<>();
    kafka.count.forEach(
        (id, n) -> {
          if (n > 1) {
            doubled.put(id, n);
          }
        });
    assertThat(doubled).as("events published more than once").isEmpty();
    assertThat(difference(all, kafka.count.keySet()))
        .as("events in an outbox (or sent) that never reached Kafka")
        .isEmpty();
    assertThat(difference(kafka.count.keySet(), all))
        .as("events in Kafka that no outbox holds and the test did not send")
        .isEmpty();
    assertThat(kafka.records).isEqualTo(all.size());
    int outOfOrder = 0;
    int keysChecked = 0;
    for (List<UUID> sameKey : expected.recordsByKey.values()) {
      keysChecked++;
      long previous = -1;
      TopicPartition partition = null;
      for (UUID id : sameKey) {
        Position p = kafka.positions.get(id);
        if (partition != null && (!partition.equals(p.partition) || p.offset < previous)) {
          outOfOrder++;
          break;
        }
        partition = p.partition;
        previous = p.offset;
      }
    }
    assertThat(outOfOrder)
        .as("keys (topic + aggregate) whose events reached Kafka out of outbox order")
        .isZero();
    log(
        "Kafka: %d records, each event once; %d keys of the records outbox all in outbox order",
        kafka.records, keysChecked);

    // --- the audit log: each event stored once ---
    try (Connection c = db("audit");
        Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("select count(*), count(distinct event_id) from audit_entry");
      rs.next();
      assertThat(rs.getLong(1)).as("audit entries").isEqualTo(all.size());
      assertThat(rs.getLong(2)).as("distinct events in the audit log").isEqualTo(all.size());
      Set<UUID> stored = new HashSet<>();
      rs = s.executeQuery("select event_id from audit_entry");
      while (rs.next()) {
        stored.add(rs.getObject(1, UUID.class));
      }
      assertThat(difference(all, stored)).as("events not in the audit log").isEmpty();
    }

    // --- both audit-service instances ingested: the group's partitions spread over both ---
    Map<String, Long> chainSizes = chainSizes();
    Map<Long, Set<String>> owners = group.lastAssignmentByPid();
    Set<Long> auditPids = auditPids();
    assertThat(auditPids).as("audit-service processes started by this test").hasSize(2);
    assertThat(owners.keySet()).as("processes in group audit-service").isEqualTo(auditPids);
    for (var e : owners.entrySet()) {
      long entries = e.getValue().stream().mapToLong(tp -> chainSizes.getOrDefault(tp, 0L)).sum();
      long everHeld = group.everHeldByPid().getOrDefault(e.getKey(), Set.of()).size();
      log(
          "audit-service pid %d: %d partitions at the end (%d held during the run), their chains"
              + " hold %d entries (%.0f%% of %d)",
          e.getKey(),
          e.getValue().size(),
          everHeld,
          entries,
          100.0 * entries / all.size(),
          all.size());
      assertThat(e.getValue()).as("partitions of pid " + e.getKey()).isNotEmpty();
      assertThat(entries).as("entries in the chains of pid " + e.getKey()).isPositive();
    }
    for (int n = 1; n <= 2; n++) {
      Path file = data.resolve("audit/checkpoints-" + n + ".jsonl");
      log(
          "audit-service-%d signed %d checkpoints",
          n, Files.exists(file) ? Files.readAllLines(file).size() : 0);
    }

    // --- verify, on each instance: every chain and checkpoint recomputes ---
    String privacy = userToken("privacy");
    for (String a : audits) {
      JsonNode v = JSON.readTree(get(a, privacy, "/api/audit/verify"));
      log(
          "verify on %s: intact=%s, %d entries, %d checkpoints, %d chains",
          a,
          v.path("intact").asBoolean(),
          v.path("checkedEntries").asLong(),
          v.path("checkedCheckpoints").asLong(),
          v.path("chains").size());
      assertThat(v.path("firstProblem").isNull()).as("first problem: " + v.path("firstProblem"));
      assertThat(v.path("intact").asBoolean()).as("verify on " + a).isTrue();
      assertThat(v.path("checkedEntries").asLong()).isGreaterThanOrEqualTo(all.size());
      assertThat(v.path("checkedCheckpoints").asLong()).isPositive();
    }
    for (Instance i : started) {
      List<String> lines = Files.readAllLines(data.resolve("logs/" + i.label() + ".log"));
      log(
          "%s logged %d ERROR and %d WARN lines",
          i.label(),
          lines.stream().filter(l -> l.contains(" ERROR ")).count(),
          lines.stream().filter(l -> l.contains(" WARN ")).count());
    }
    log("done %.0f s after the test began", (System.nanoTime() - t0) / 1e9);
  }

  // --- migrations ---

  /** One schema history, each version once; one replica applied it, the other found it done. */
  static void migratedOnce(String database) throws Exception {
    try (Connection c = db(database);
        Statement s = c.createStatement()) {
      ResultSet rs =
          s.executeQuery(
              "select count(*), count(distinct version), count(*) filter (where not success)"
                  + " from flyway_schema_history where version is not null");
      rs.next();
      assertThat(rs.getLong(1)).as(database + " migrations applied").isPositive();
      assertThat(rs.getLong(2)).as(database + ": each version once").isEqualTo(rs.getLong(1));
      assertThat(rs.getLong(3)).as(database + ": failed migrations").isZero();
      long versions = rs.getLong(1);
      List<String> applied = new ArrayList<>();
      List<String> upToDate = new ArrayList<>();
      for (Instance i : started) {
        if (!i.service().startsWith(database)) {
          continue;
        }
        String logText = Files.readString(data.resolve("logs/" + i.label() + ".log"));
        if (logText.contains("Successfully applied")) {
          applied.add(i.label());
        }
        if (logText.contains("No migration necessary")) {
          upToDate.add(i.label());
        }
      }
      log(
          "%s: %d versions in one history; applied by %s, found up to date by %s",
          database, versions, applied, upToDate);
      assertThat(applied).as(database + ": replicas that applied the migrations").hasSize(1);
      assertThat(upToDate).as(database + ": replicas that found them applied").hasSize(1);
    }
  }

  // --- load ---

  static final String STAY =
      """
      {"resourceType":"Bundle","type":"transaction","entry":[
       {"fullUrl":"urn:uuid:%1$s","request":{"method":"POST","url":"Patient"},
        "resource":{"resourceType":"Patient","name":[{"family":"Scale%2$d","given":["Ola"]}],
                    "gender":"female","birthDate":"1961-05-%3$02d"}},
       {"fullUrl":"urn:uuid:%4$s","request":{"method":"POST","url":"Encounter"},
        "resource":{"resourceType":"Encounter","status":"finished",
         "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},
         "subject":{"reference":"urn:uuid:%1$s"},
         "period":{"start":"2025-03-02T08:00:00Z","end":"2025-03-05T10:00:00Z"}}}
      ]}
      """;

  /** A patient and a discharged stay in one transaction bundle; returns the patient's id. */
  static String registerStay(String base, String token, int i) throws Exception {
    String bundle = STAY.formatted(UUID.randomUUID(), i, 1 + i % 28, UUID.randomUUID());
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/fhir/r4"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/fhir+json")
                .header("X-Request-Id", "scale-out-" + i)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(bundle))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("bundle on " + base + ": " + r.body()).isEqualTo(200);
    String location =
        JSON.readTree(r.body()).path("entry").path(0).path("response").path("location").asText();
    return location.split("/")[1];
  }

  static void read(String base, String token, String path) throws Exception {
    get(base, token, path);
  }

  static String get(String base, String token, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET " + base + path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  /**
   * Access events as another service would publish them. The actor is a service account, which
   * privacy monitoring leaves alone (no Keycloak or records-service look-ups for made-up users).
   */
  static Void publishDirect(Set<UUID> sent) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (KafkaProducer<String, String> out =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < DIRECT_EVENTS; i++) {
        UUID id = UUID.randomUUID();
        String patient = "load-" + (i % 997);
        String event =
            """
            {"eventId":"%s","eventType":"AccessEvent","eventVersion":1,"occurredAt":"%s",
             "actor":{"subject":"s","username":"service-account-scale-out","roles":[],
                      "clientId":"scale-out"},
             "action":"READ","resourceType":"Observation","resourceId":"obs-%d",
             "patientIds":["%s"],"outcome":"SUCCESS","correlationId":"scale-out-direct-%d",
             "sourceService":"scale-out-test"}
            """
                .formatted(id, Instant.now(), i, patient, i);
        out.send(new ProducerRecord<>("him.access-events", patient, event));
        sent.add(id);
        if (i % 500 == 499) {
          Thread.sleep(100); // about 5,000 events/s: the stream lasts as long as the requests
        }
      }
      out.flush();
    }
    return null;
  }

  // --- settling and what is expected ---

  record Expected(
      Set<UUID> recordsOutbox,
      Set<UUID> auditOutbox,
      Set<UUID> direct,
      Map<String, List<UUID>> recordsByKey) {
    Set<UUID> all() {
      Set<UUID> all = new HashSet<>(recordsOutbox);
      all.addAll(auditOutbox);
      all.addAll(direct);
      return all;
    }
  }

  /**
   * Waits until both outboxes are drained, nothing new arrives and the audit log holds one entry
   * per event; then returns the events expected everywhere (on timeout: what there is, for the
   * assertions to name what is missing).
   */
  static Expected settle(Set<UUID> direct, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastTotal = -1;
    int quiet = 0;
    while (System.nanoTime() < deadline) {
      long recordsTotal = count("records", "select count(*) from outbox_event");
      long auditTotal = count("audit", "select count(*) from outbox_event");
      long unsent =
          count("records", "select count(*) from outbox_event where published_at is null")
              + count("audit", "select count(*) from outbox_event where published_at is null");
      long stored = count("audit", "select count(*) from audit_entry");
      long total = recordsTotal + auditTotal + direct.size();
      quiet = unsent == 0 && stored == total && total == lastTotal ? quiet + 1 : 0;
      if (quiet >= 3) {
        break;
      }
      lastTotal = total;
      Thread.sleep(1000);
    }
    Map<String, List<UUID>> byKey = new LinkedHashMap<>();
    Set<UUID> recordsIds = new HashSet<>();
    try (Connection c = db("records");
        Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("select id, topic, event_key from outbox_event order by seq");
      while (rs.next()) {
        UUID id = rs.getObject(1, UUID.class);
        recordsIds.add(id);
        if (rs.getString(3) != null) { // a key's events share a partition, in order
          byKey
              .computeIfAbsent(rs.getString(2) + "|" + rs.getString(3), k -> new ArrayList<>())
              .add(id);
        }
      }
    }
    Set<UUID> auditIds = new HashSet<>();
    try (Connection c = db("audit");
        Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("select id from outbox_event");
      while (rs.next()) {
        auditIds.add(rs.getObject(1, UUID.class));
      }
    }
    return new Expected(recordsIds, auditIds, Set.copyOf(direct), byKey);
  }

  // --- Kafka ---

  static void createTopics(String bootstrap) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(TOPICS.stream().map(t -> new NewTopic(t, 3, (short) 1)).toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  record Position(TopicPartition partition, long offset) {}

  record Published(long records, Map<UUID, Integer> count, Map<UUID, Position> positions) {}

  /** Every record of every topic, from the beginning, by a plain consumer outside any group. */
  static Published readAllTopics(String bootstrap) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    Map<UUID, Integer> count = new HashMap<>();
    Map<UUID, Position> positions = new HashMap<>();
    long n = 0;
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : TOPICS) {
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
          partitions.add(new TopicPartition(topic, info.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("topics read in time").isLessThan(deadline);
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          UUID id = eventId(r);
          count.merge(id, 1, Integer::sum);
          positions.putIfAbsent(
              id, new Position(new TopicPartition(r.topic(), r.partition()), r.offset()));
          n++;
        }
      }
    }
    return new Published(n, count, positions);
  }

  static UUID eventId(ConsumerRecord<String, String> r) throws Exception {
    Header h = r.headers().lastHeader("event-id");
    if (h != null) {
      return UUID.fromString(new String(h.value(), StandardCharsets.UTF_8));
    }
    return UUID.fromString(JSON.readTree(r.value()).path("eventId").asText());
  }

  /** Samples group audit-service: which process (pid in the client id) holds which partitions. */
  static final class ConsumerGroupWatch {
    private final Admin admin;
    private final Map<Long, Set<String>> ever = new ConcurrentHashMap<>();
    private volatile Map<Long, Set<String>> last = Map.of();
    private Thread thread;

    ConsumerGroupWatch(String bootstrap) {
      Properties p = new Properties();
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      admin = Admin.create(p);
    }

    void start() {
      thread =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    sample();
                    Thread.sleep(1000);
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    // a rebalance in progress: next time
                  }
                }
              },
              "group-watch");
      thread.setDaemon(true);
      thread.start();
    }

    void sample() throws Exception {
      ConsumerGroupDescription g =
          admin
              .describeConsumerGroups(List.of("audit-service"))
              .describedGroups()
              .get("audit-service")
              .get(10, TimeUnit.SECONDS);
      Map<Long, Set<String>> now = new TreeMap<>();
      for (MemberDescription m : g.members()) {
        // the ingester's client id: audit-ingest-{thread}-{pid}
        String clientId = m.clientId();
        long pid = Long.parseLong(clientId.substring(clientId.lastIndexOf('-') + 1));
        Set<String> held = now.computeIfAbsent(pid, k -> new HashSet<>());
        for (TopicPartition tp : m.assignment().topicPartitions()) {
          held.add(tp.topic() + "/" + tp.partition());
        }
        ever.computeIfAbsent(pid, k -> ConcurrentHashMap.newKeySet()).addAll(held);
      }
      last = now;
    }

    void stop() throws Exception {
      thread.interrupt();
      thread.join(5000);
      try {
        sample();
      } catch (Exception e) {
        // a rebalance in progress: the last sample stands
      }
      admin.close(Duration.ofSeconds(5));
    }

    Map<Long, Set<String>> lastAssignmentByPid() {
      return last;
    }

    Map<Long, Set<String>> everHeldByPid() {
      return ever;
    }
  }

  // --- databases, tokens, small helpers ---

  static Connection db(String database) throws SQLException {
    return DriverManager.getConnection(platform.jdbcUrl(database), "postgres", "postgres");
  }

  static long count(String database, String sql) throws SQLException {
    try (Connection c = db(database);
        Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery(sql);
      rs.next();
      return rs.getLong(1);
    }
  }

  static Map<String, Long> chainSizes() throws SQLException {
    Map<String, Long> sizes = new HashMap<>();
    try (Connection c = db("audit");
        Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("select topic, partition_no, size from audit_chain");
      while (rs.next()) {
        sizes.put(rs.getString(1) + "/" + rs.getInt(2), rs.getLong(3));
      }
    }
    return sizes;
  }

  /** The audit-service processes this test started (their pids name the group's members). */
  static Set<Long> auditPids() {
    return ProcessHandle.current()
        .descendants()
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .map(c -> c.contains("audit-service/target/quarkus-app"))
                    .orElse(false))
        .map(ProcessHandle::pid)
        .collect(Collectors.toCollection(HashSet::new));
  }

  static String hospitalSystemToken() throws Exception {
    return token(
        Map.of(
            "client_id", "hospital-system",
            "client_secret", "hospital-system-local-secret",
            "grant_type", "client_credentials"));
  }

  static String userToken(String user) throws Exception {
    return token(
        Map.of(
            "client_id", "him-cli", "grant_type", "password", "username", user, "password", user));
  }

  static String token(Map<String, String> form) throws Exception {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(platform.oidcRealmUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("token: " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("access_token").asText();
  }

  /** An Ed25519 key pair in the PEM files audit-service reads (PKCS#8 and X.509). */
  static void writeSigningKey(Path dir) throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("signing-key.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    Files.writeString(
        dir.resolve("signing-key.pub.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static long percentile(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    java.util.Collections.sort(sorted);
    return sorted.isEmpty()
        ? 0
        : sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  static <T> Set<T> difference(Set<T> a, Set<T> b) {
    Set<T> d = new HashSet<>(a);
    d.removeAll(b);
    return d.size() > 20 ? d.stream().limit(20).collect(Collectors.toSet()) : d;
  }

  static void log(String format, Object... args) {
    System.out.printf(
        "[scale-out %5.1f s] %s%n", (System.nanoTime() - t0) / 1e9, String.format(format, args));
  }

  static void log(String message) {
    log("%s", message);
  }
}
