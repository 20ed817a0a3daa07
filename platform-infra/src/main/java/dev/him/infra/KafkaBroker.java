package dev.him.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real Apache Kafka broker in KRaft mode (broker and controller in one node), run as a child JVM
 * so that its Scala classpath stays out of the services' classpaths.
 */
public final class KafkaBroker implements AutoCloseable {
  private final ManagedProcess process;
  private final int port;

  private KafkaBroker(ManagedProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts with its log segments in {@code dir}; formats the storage only the first time. */
  public static KafkaBroker start(Path dir, int port, int controllerPort) {
    try {
      Path logDirs = dir.resolve("data");
      Files.createDirectories(logDirs);
      Path config = dir.resolve("server.properties");
      Properties p = new Properties();
      p.setProperty("process.roles", "broker,controller");
      p.setProperty("node.id", "1");
      p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
      p.setProperty(
          "listeners",
          "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
      p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
      p.setProperty("controller.listener.names", "CONTROLLER");
      p.setProperty("inter.broker.listener.name", "PLAINTEXT");
      p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      p.setProperty("log.dirs", logDirs.toAbsolutePath().toString());
      p.setProperty("num.partitions", "3");
      p.setProperty("auto.create.topics.enable", "true");
      p.setProperty("offsets.topic.replication.factor", "1");
      p.setProperty("offsets.topic.num.partitions", "3");
      p.setProperty("transaction.state.log.replication.factor", "1");
      p.setProperty("transaction.state.log.min.isr", "1");
      p.setProperty("share.coordinator.state.topic.replication.factor", "1");
      p.setProperty("share.coordinator.state.topic.min.isr", "1");
      p.setProperty("group.initial.rebalance.delay.ms", "0");
      try (var out = Files.newBufferedWriter(config)) {
        p.store(out, "written by dev.him.infra.KafkaBroker");
      }
      String classpath = InfraArtifacts.kafkaClasspath();
      String java = ManagedProcess.javaExecutable();
      List<String> jvm =
          List.of(java, "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-cp", classpath);
      if (!Files.exists(logDirs.resolve("meta.properties"))) {
        format(dir, jvm, config);
      }
      var cmd = new java.util.ArrayList<>(jvm);
      cmd.add("kafka.Kafka");
      cmd.add(config.toAbsolutePath().toString());
      ManagedProcess process =
          ManagedProcess.start("kafka", cmd, dir, Map.of(), dir.resolve("kafka.log"));
      KafkaBroker broker = new KafkaBroker(process, port);
      process.awaitReady(broker::answers, Duration.ofSeconds(90));
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("Kafka did not start", e);
    }
  }

  private static void format(Path dir, List<String> jvm, Path config) throws IOException {
    var cmd = new java.util.ArrayList<>(jvm);
    cmd.addAll(
        List.of(
            "kafka.tools.StorageTool",
            "format",
            // one token: a random id may start with "-" and must not be read as an option
            "--cluster-id=" + clusterId(),
            "-c",
            config.toAbsolutePath().toString()));
    Process format =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("format.log").toFile()))
            .start();
    try {
      if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
        throw new IllegalStateException(
            "formatting Kafka storage failed; see " + dir.resolve("format.log"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A random cluster id in Kafka's form: 16 bytes, URL-safe base64 without padding. */
  private static String clusterId() {
    UUID uuid = UUID.randomUUID();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
    b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  private boolean answers() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    try (Admin admin = Admin.create(p)) {
      return !admin.describeCluster().nodes().get(4, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.close();
  }
}
