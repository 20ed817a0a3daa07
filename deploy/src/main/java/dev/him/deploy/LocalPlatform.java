package dev.him.deploy;

import dev.him.infra.Ports;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The one-command local run: starts PostgreSQL, Kafka, Keycloak and the five services with data in
 * {@code .him-data/}, prints where everything is, and stops it all on Ctrl-C.
 *
 * <p>Arguments: {@code --wipe} deletes the local data first.
 */
public final class LocalPlatform {
  /** Kept referenced: the start-up probes of Kafka and PostgreSQL are chatty at INFO. */
  private static final java.util.logging.Logger KAFKA_LOG = quiet("org.apache.kafka");

  private static final java.util.logging.Logger PG_LOG = quiet("io.zonky");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.SEVERE);
    return logger;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("him.repo.root", ".")).toAbsolutePath().normalize();
    PlatformConfig config = PlatformConfig.local(root);
    Files.createDirectories(config.dataDir());

    FileChannel lockChannel =
        FileChannel.open(
            config.dataDir().resolve("platform.lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    FileLock lock = lockChannel.tryLock();
    if (lock == null) {
      fail(
          "The HIM platform is already running from "
              + config.dataDir()
              + ".\nStop it with Ctrl-C in its terminal before starting it again.");
    }
    Path pidFile = config.dataDir().resolve("platform.pid");
    Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));
    checkPorts(config);
    if (java.util.Arrays.asList(args).contains("--wipe")) {
      wipe(config.dataDir());
      System.out.println("Wiped local data in " + config.dataDir());
    }

    long t0 = System.nanoTime();
    System.out.println("Starting the HIM platform (data in " + config.dataDir() + ") ...");
    Platform platform = Platform.start(config, msg -> System.out.println("  " + msg));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping the HIM platform ...");
                  platform.close();
                  try {
                    Files.deleteIfExists(pidFile);
                  } catch (IOException e) {
                    // the next start checks whether the pid is alive anyway
                  }
                  System.out.println("Stopped.");
                  stopped.countDown();
                }));
    printBanner(config, platform, (System.nanoTime() - t0) / 1_000_000_000);
    stopped.await();
    lock.release();
  }

  private static void checkPorts(PlatformConfig config) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("gateway", config.gatewayPort());
    config.servicePorts().forEach(ports::put);
    var ext = config.external();
    if (ext.oidcRealmUrl() == null) {
      ports.put("Keycloak", config.keycloakPort());
      ports.put("Keycloak management", config.keycloakManagementPort());
    }
    if (ext.postgresJdbcBase() == null) {
      ports.put("PostgreSQL", config.postgresPort());
    }
    if (ext.kafkaBootstrap() == null) {
      ports.put("Kafka", config.kafkaPort());
      ports.put("Kafka controller", config.kafkaControllerPort());
    }
    StringBuilder clashes = new StringBuilder();
    ports.forEach(
        (name, port) -> {
          if (Ports.inUse(port)) {
            clashes.append("\n  port ").append(port).append(" (").append(name).append(')');
          }
        });
    if (clashes.length() > 0) {
      fail(
          "Cannot start: another program already listens on"
              + clashes
              + "\nStop it (is the platform running from another checkout?) and try again.");
    }
  }

  private static void wipe(Path dataDir) throws IOException {
    try (var walk = Files.walk(dataDir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        String name = p.getFileName().toString();
        if (!p.equals(dataDir) && !name.equals("platform.lock") && !name.equals("platform.pid")) {
          Files.delete(p);
        }
      }
    }
  }

  private static void printBanner(PlatformConfig c, Platform p, long seconds) {
    String gw = c.gatewayUrl();
    System.out.println();
    System.out.println("HIM platform is up (" + seconds + " s). Press Ctrl-C to stop.");
    System.out.println();
    System.out.println("  Gateway (use this)   " + gw);
    System.out.println("  FHIR R4 base         " + gw + "/fhir/r4");
    System.out.println("  Swagger UI           " + gw + "/q/swagger-ui");
    System.out.println(
        "  Keycloak             " + p.oidcRealmUrl() + "   (admin console: admin / admin)");
    c.servicePorts()
        .forEach((s, port) -> System.out.printf("  %-20s http://localhost:%d%n", s, port));
    System.out.println("  PostgreSQL           " + p.jdbcUrl("<records|coding|requests|audit>"));
    System.out.println("  Kafka                " + p.kafkaBootstrap());
    System.out.println("  Logs                 " + c.dataDir().resolve("logs"));
    System.out.println();
    System.out.println("  Demo users (LOCAL ONLY, password = user name):");
    System.out.println("    clerk (him-clerk)  coder (coder)  roi (roi-specialist)");
    System.out.println("    privacy (privacy-officer)  clinician (clinician)  admin (him-admin)");
    System.out.println();
    System.out.println("  Get a token:");
    System.out.println(
        "    TOKEN=$(curl -s -d client_id=him-cli -d grant_type=password -d username=clerk -d password=clerk \\");
    System.out.println(
        "      " + p.oidcRealmUrl() + "/protocol/openid-connect/token | jq -r .access_token)");
    System.out.println("    curl -H \"Authorization: Bearer $TOKEN\" " + gw + "/fhir/r4/Patient");
    System.out.println();
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }
}
