package dev.him.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.him.audit.chain.LogEntry;
import dev.him.audit.log.EntryRows;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import dev.him.infra.Folders;
import dev.him.infra.KafkaBroker;
import dev.him.infra.ManagedProcess;
import dev.him.infra.Ports;
import dev.him.infra.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged audit-service against a real PostgreSQL and Kafka broker while 100,000 events stream
 * in: the service is killed with SIGKILL part-way and started again, then the broker is restarted
 * part-way, and a few events are sent twice as a retrying producer would. Afterwards every event is
 * stored exactly once and every chain still recomputes.
 */
class CrashRecoveryIT {
  static final int EVENTS = 100_000;
  static final int PARTITIONS = 4;
  static final String WRITER_PASSWORD = "crash-test-writer";

  /** The test's own events; audit-service also logs its own (settings changes, its reads). */
  static final String SENT_BY_TEST =
      " from audit_entry where resource_type = 'Observation' and correlation_id like 'req-%'";

  static Path dir;
  static PostgresServer pg;
  static KafkaBroker kafka;
  static int kafkaPort;
  static int controllerPort;
  static String jdbc;

  /** Every service process started, so that none is left behind, whatever happens. */
  static final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void infrastructure() throws Exception {
    dir = Folders.temporary("him-audit-crash");
    pg = PostgresServer.start(dir.resolve("pg"), Ports.free()).ensureDatabase("audit");
    jdbc = pg.jdbcUrl("audit");
    kafkaPort = Ports.freeForLaterServer();
    controllerPort = Ports.freeForLaterServer();
    kafka = KafkaBroker.start(dir.resolve("kafka"), kafkaPort, controllerPort);
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(List.of(new NewTopic("him.access-events", PARTITIONS, (short) 1)))
          .all()
          .get();
    }
  }

  @AfterAll
  static void stop() {
    started.forEach(Process::destroyForcibly);
    if (kafka != null) {
      kafka.close();
    }
    if (pg != null) {
      pg.close();
    }
    Folders.deleteTree(dir);
  }

  Process startService(int port, int run) throws Exception {
    Path app = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    assertThat(app).exists();
    ProcessBuilder pb =
        new ProcessBuilder(
            ManagedProcess.javaExecutable(),
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-jar",
            app.toString());
    Map<String, String> env = pb.environment();
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbc);
    env.put("QUARKUS_DATASOURCE_USERNAME", "audit_writer");
    env.put("QUARKUS_DATASOURCE_PASSWORD", WRITER_PASSWORD);
    env.put("QUARKUS_FLYWAY_USERNAME", PostgresServer.USER);
    env.put("QUARKUS_FLYWAY_PASSWORD", PostgresServer.USER);
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("QUARKUS_OIDC_TENANT_ENABLED", "false");
    env.put("HIM_AUDIT_SIGNING_CREATE_IF_MISSING", "true");
    env.put("HIM_AUDIT_SIGNING_PRIVATE_KEY_FILE", dir.resolve("keys/signing-key.pem").toString());
    env.put(
        "HIM_AUDIT_SIGNING_PUBLIC_KEY_FILE", dir.resolve("keys/signing-key.pub.pem").toString());
    env.put("HIM_AUDIT_CHECKPOINT_FILE", dir.resolve("keys/checkpoints.jsonl").toString());
    env.put("HIM_AUDIT_CHECKPOINT_INTERVAL", "2s");
    Files.createDirectories(dir.resolve("logs"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("logs/audit-service-" + run + ".log").toFile());
    Process p = pb.start();
    started.add(p);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!ManagedProcess.httpOk("http://localhost:" + port + "/q/health/ready")) {
      assertThat(p.isAlive()).as("audit-service run " + run + " is alive").isTrue();
      assertThat(System.nanoTime()).as("audit-service ready in time").isLessThan(deadline);
      Thread.sleep(250);
    }
    return p;
  }

  long stored() {
    try (Connection c =
            DriverManager.getConnection(jdbc, PostgresServer.USER, PostgresServer.USER);
        Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("select count(*)" + SENT_BY_TEST);
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1; // before the first migration
    }
  }

  void awaitStored(long atLeast, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (stored() < atLeast) {
      assertThat(System.nanoTime())
          .as("at least " + atLeast + " stored in time (have " + stored() + ")")
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  void log(String what, AtomicInteger sent, long t0) {
    System.out.printf(
        "CrashRecoveryIT %6.1f s: %s (sent %d, stored %d)%n",
        (System.nanoTime() - t0) / 1e9, what, sent.get(), stored());
  }

  @Test
  void everyEventIsStoredExactlyOnceThroughAKilledServiceAndARestartedBroker() throws Exception {
    ObjectMapper json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    List<UUID> ids = new ArrayList<>(EVENTS);
    for (int i = 0; i < EVENTS; i++) {
      ids.add(UUID.randomUUID());
    }
    int port = Ports.free();
    Process service = startService(port, 1);

    AtomicInteger sent = new AtomicInteger();
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    Thread producer =
        new Thread(
            () -> {
              Properties p = new Properties();
              p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
              p.put(ProducerConfig.ACKS_CONFIG, "all");
              p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
              p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
              try (KafkaProducer<String, String> out =
                  new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < EVENTS; i++) {
                  String patient = "p-" + (i % 5000);
                  AccessEvent e =
                      new AccessEvent(
                          ids.get(i),
                          AccessEvent.TYPE,
                          AccessEvent.VERSION,
                          Instant.now(),
                          new Actor(
                              "sub-" + (i % 50),
                              "user-" + (i % 50),
                              List.of("clinician"),
                              "him-console"),
                          AccessAction.READ,
                          "Observation",
                          "obs-" + i,
                          List.of(patient),
                          AccessOutcome.SUCCESS,
                          "TREAT",
                          "req-" + i,
                          "records-service",
                          null);
                  String value = json.writeValueAsString(e);
                  out.send(new ProducerRecord<>("him.access-events", patient, value));
                  if (i % 1000 == 999) {
                    // a producer retry: the same event again, at a later offset
                    out.send(new ProducerRecord<>("him.access-events", patient, value));
                  }
                  sent.incrementAndGet();
                  if (i % 200 == 199) {
                    Thread.sleep(100); // about 2,000 events/s: the stream outlasts both outages
                  }
                }
                out.flush();
              } catch (Throwable t) {
                producerFailure.set(t);
              }
            },
            "producer");
    long t0 = System.nanoTime();
    producer.start();

    awaitStored(20_000, Duration.ofMinutes(2));
    assertThat(sent.get())
        .as("the service is killed while events are still being sent")
        .isLessThan(EVENTS);
    log("killing audit-service", sent, t0);
    service.destroyForcibly(); // SIGKILL: no shutdown hook, no commit of anything in flight
    service.waitFor();
    long atKill = stored();
    service = startService(port, 2);
    log("audit-service restarted", sent, t0);

    while (sent.get() < 65_000) {
      Thread.sleep(50);
    }
    assertThat(sent.get())
        .as("the broker restarts while events are still being sent")
        .isLessThan(EVENTS);
    long atBrokerStop = stored();
    log("stopping the broker", sent, t0);
    kafka.close();
    Thread.sleep(3000);
    kafka = KafkaBroker.start(dir.resolve("kafka"), kafkaPort, controllerPort);

    log("broker restarted", sent, t0);
    producer.join(Duration.ofMinutes(5).toMillis());
    assertThat(producerFailure.get()).isNull();
    assertThat(sent.get()).isEqualTo(EVENTS);
    awaitStored(EVENTS, Duration.ofMinutes(3));
    Thread.sleep(3000); // anything doubled would have arrived by now
    service.destroy();
    service.waitFor();

    assertThat(atKill).isLessThan(EVENTS);
    assertThat(atBrokerStop).isLessThan(EVENTS);
    try (Connection c =
            DriverManager.getConnection(jdbc, PostgresServer.USER, PostgresServer.USER);
        Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("select count(*), count(distinct event_id)" + SENT_BY_TEST);
      rs.next();
      assertThat(rs.getLong(1)).as("entries").isEqualTo(EVENTS);
      assertThat(rs.getLong(2)).as("distinct events").isEqualTo(EVENTS);
      Set<UUID> stored = new HashSet<>();
      rs = s.executeQuery("select event_id" + SENT_BY_TEST);
      while (rs.next()) {
        stored.add(rs.getObject(1, UUID.class));
      }
      assertThat(stored).as("every event sent is stored").containsAll(ids);

      // every chain recomputes from its first entry and ends where its head says
      Map<Integer, long[]> heads = new HashMap<>();
      rs =
          s.executeQuery(
              "select chain_id, size from audit_chain where topic = 'him.access-events'");
      while (rs.next()) {
        heads.put(rs.getInt(1), new long[] {rs.getLong(2)});
      }
      assertThat(heads).hasSize(PARTITIONS);
      for (int chain : heads.keySet()) {
        try (PreparedStatement q =
            c.prepareStatement(
                "select "
                    + EntryRows.COLUMNS
                    + " from audit_entry where chain_id = ? order by seq")) {
          q.setInt(1, chain);
          ResultSet e = q.executeQuery();
          byte[] prev = LogEntry.GENESIS;
          long n = 0;
          while (e.next()) {
            LogEntry entry = EntryRows.entry(e);
            assertThat(entry.seq()).isEqualTo(++n);
            assertThat(Arrays.equals(entry.hash(prev), e.getBytes(21)))
                .as("chain " + chain + " entry " + n)
                .isTrue();
            prev = e.getBytes(21);
          }
          assertThat(n).isEqualTo(heads.get(chain)[0]);
        }
      }
      rs = s.executeQuery("select count(*) from audit_checkpoint");
      rs.next();
      assertThat(rs.getLong(1)).as("checkpoints sealed along the way").isPositive();
    }
  }

  // ------------------------------------------------ records deleted before they were ingested

  static final String GAP_TOPIC = "him.request-events";

  void sendDomainEvents(int from, int to) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < to; i++) {
        String event =
            "{\"eventId\":\"%s\",\"eventType\":\"RequestReceived\",\"requestId\":\"gap-r-%d\"}"
                .formatted(UUID.randomUUID(), i);
        producer.send(new ProducerRecord<>(GAP_TOPIC, 0, "gap-r-" + i, event)).get();
      }
    }
  }

  long[] chainOf(String topic) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(jdbc, PostgresServer.USER, PostgresServer.USER);
        PreparedStatement q =
            c.prepareStatement(
                "select chain_id, next_offset from audit_chain where topic = ? and partition_no = 0")) {
      q.setString(1, topic);
      ResultSet rs = q.executeQuery();
      return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
    } catch (SQLException e) {
      return null; // before the first migration
    }
  }

  void awaitNextOffset(String topic, long offset) throws InterruptedException, SQLException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (chainOf(topic) == null || chainOf(topic)[1] < offset) {
      assertThat(System.nanoTime()).as(topic + " ingested up to " + offset).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /**
   * Kafka keeps records for a while only (14 days in production): audit-service down for longer, or
   * far enough behind, finds some deleted. Nothing can bring them back, but the log must not be
   * silently short: the chain gets an IngestionGap entry naming the lost offsets, and the count
   * goes to the metric behind the alert HimAuditEventsLost.
   */
  @Test
  void recordsDeletedFromKafkaBeforeIngestionAreAGapInTheChain() throws Exception {
    started.forEach(Process::destroyForcibly);
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(List.of(new NewTopic(GAP_TOPIC, 1, (short) 1))).all().get();
    }
    int port = Ports.free();
    Process first = startService(port, 101);
    sendDomainEvents(0, 10);
    awaitNextOffset(GAP_TOPIC, 10);
    first.destroyForcibly().waitFor();

    // while the service is down: 20 more, then retention deletes all below offset 25
    sendDomainEvents(10, 30);
    TopicPartition tp = new TopicPartition(GAP_TOPIC, 0);
    try (Admin admin = Admin.create(p)) {
      admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(25))).all().get();
    }

    startService(port, 102);
    awaitNextOffset(GAP_TOPIC, 30);
    long chain = chainOf(GAP_TOPIC)[0];
    List<String> entries = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(jdbc, PostgresServer.USER, PostgresServer.USER);
        PreparedStatement q =
            c.prepareStatement(
                "select seq, kafka_offset, event_type, outcome, detail from audit_entry"
                    + " where chain_id = ? order by seq")) {
      q.setLong(1, chain);
      ResultSet rs = q.executeQuery();
      while (rs.next()) {
        entries.add(rs.getLong(2) + " " + rs.getString(3) + " " + rs.getString(4));
        if ("IngestionGap".equals(rs.getString(3))) {
          assertThat(rs.getString(5))
              .contains("offsets 10 to 24 of him.request-events/0")
              .contains("15 event(s) not in the log");
        }
      }
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add(i + " RequestReceived SUCCESS");
    }
    expected.add("10 IngestionGap LOST");
    for (int i = 25; i < 30; i++) {
      expected.add(i + " RequestReceived SUCCESS");
    }
    assertThat(entries).containsExactlyElementsOf(expected);
    String metrics =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/q/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("him_audit_ingest_lost_records_total{topic=\"him.request-events\"} 15.0");
  }
}
