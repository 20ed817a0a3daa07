package dev.him.deploy;

import dev.him.infra.KafkaBroker;
import dev.him.infra.KeycloakServer;
import dev.him.infra.ManagedProcess;
import dev.him.infra.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The whole platform on one machine: PostgreSQL, Kafka, Keycloak and the five services, each a real
 * server. Used by the local run ({@link LocalPlatform}) and by the end-to-end tests.
 */
public final class Platform implements AutoCloseable {
  private final PlatformConfig config;
  private final List<AutoCloseable> started = new ArrayList<>();
  private String jdbcBase;
  private String pgUser = PostgresServer.USER;
  private String pgPassword = PostgresServer.USER;
  private String kafkaBootstrap;
  private String oidcRealmUrl;

  private Platform(PlatformConfig config) {
    this.config = config;
  }

  public static Platform start(
      PlatformConfig config, java.util.function.Consumer<String> progress) {
    Platform p = new Platform(config);
    try {
      p.startAll(progress);
      return p;
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
  }

  /**
   * PostgreSQL (with empty service databases), Kafka and Keycloak only; the services are then
   * started with {@link #startInstances}, as many instances of each as a test needs.
   */
  public static Platform startInfrastructure(
      PlatformConfig config, java.util.function.Consumer<String> progress) {
    Platform p = new Platform(config);
    try {
      p.startInfra(progress);
      return p;
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
  }

  private void startAll(java.util.function.Consumer<String> progress) {
    startInfra(progress);
    startInstances(
        config.servicePorts().entrySet().stream()
            .map(e -> Instance.of(e.getKey(), e.getValue()))
            .toList(),
        progress);
    startInstances(List.of(Instance.of(PlatformConfig.GATEWAY, config.gatewayPort())), progress);
  }

  private void startInfra(java.util.function.Consumer<String> progress) {
    var external = config.external();
    Path data = config.dataDir();
    List<CompletableFuture<?>> infra = new ArrayList<>();
    if (external.postgresJdbcBase() == null) {
      infra.add(
          async(
              () -> {
                PostgresServer pg =
                    PostgresServer.start(data.resolve("postgres"), config.postgresPort());
                track(pg);
                for (String db : List.of("records", "coding", "requests", "audit")) {
                  pg.ensureDatabase(db);
                }
                jdbcBase = "jdbc:postgresql://localhost:" + pg.port();
                progress.accept("PostgreSQL ready on port " + pg.port());
                return pg;
              }));
    } else {
      jdbcBase = external.postgresJdbcBase();
      pgUser = external.postgresUser();
      pgPassword = external.postgresPassword();
    }
    if (external.kafkaBootstrap() == null) {
      infra.add(
          async(
              () -> {
                KafkaBroker kafka =
                    KafkaBroker.start(
                        data.resolve("kafka"), config.kafkaPort(), config.kafkaControllerPort());
                track(kafka);
                kafkaBootstrap = kafka.bootstrapServers();
                progress.accept("Kafka ready on " + kafkaBootstrap);
                return kafka;
              }));
    } else {
      kafkaBootstrap = external.kafkaBootstrap();
    }
    if (external.oidcRealmUrl() == null) {
      infra.add(
          async(
              () -> {
                KeycloakServer kc =
                    KeycloakServer.start(
                        data.resolve("keycloak"),
                        config.keycloakPort(),
                        config.keycloakManagementPort(),
                        config.repoRoot().resolve("deploy/keycloak/him-realm.json"));
                track(kc);
                oidcRealmUrl = kc.realmUrl("him");
                progress.accept("Keycloak ready on " + kc.baseUrl());
                return kc;
              }));
    } else {
      oidcRealmUrl = external.oidcRealmUrl();
    }
    join(infra);
  }

  /**
   * One process of a service: its HTTP port, the name of its log file (logs/{label}.log) and
   * environment added to the launcher's (or replacing it).
   */
  public record Instance(String service, int port, String label, Map<String, String> env) {
    public static Instance of(String service, int port) {
      return new Instance(service, port, service, Map.of());
    }
  }

  /**
   * Launches these processes at the same moment (replicas of a service then meet their database
   * together, as pods of a Deployment do) and waits until each is ready. Each is stopped by {@link
   * #close}.
   */
  public List<ManagedProcess> startInstances(
      List<Instance> instances, java.util.function.Consumer<String> progress) {
    List<ManagedProcess> launched = new ArrayList<>();
    for (Instance instance : instances) {
      launched.add(launch(instance));
    }
    for (int i = 0; i < instances.size(); i++) {
      Instance instance = instances.get(i);
      String ready = "http://localhost:" + instance.port() + "/q/health/ready";
      launched.get(i).awaitReady(() -> ManagedProcess.httpOk(ready), Duration.ofSeconds(180));
      progress.accept(instance.label() + " ready on http://localhost:" + instance.port());
    }
    return launched;
  }

  /**
   * The secret of client requests-service in the LOCAL DEMO realm (deploy/keycloak/him-realm.json);
   * real deployments take it from a Kubernetes Secret.
   */
  private static final String LOCAL_DEMO_REQUESTS_CLIENT_SECRET = "requests-service-local-secret";

  /** The secret of client audit-service in the LOCAL DEMO realm (privacy monitoring's account). */
  private static final String LOCAL_DEMO_AUDIT_CLIENT_SECRET = "audit-service-local-secret";

  /** Local demo only, like the realm's secrets; production takes it from a Secret. */
  private static final String LOCAL_DEMO_AUDIT_WRITER_PASSWORD = "audit-writer-local-demo";

  private ManagedProcess launch(Instance instance) {
    String name = instance.service();
    int port = instance.port();
    Path app = config.repoRoot().resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(app)) {
      throw new IllegalStateException(
          name + " is not built: " + app + " missing (run ./mvnw package)");
    }
    Map<String, String> env = new HashMap<>();
    env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    env.put("QUARKUS_OIDC_AUTH_SERVER_URL", oidcRealmUrl);
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
    env.put("HIM_SHARED_DATA", config.sharedData().toString());
    String db = name.replace("-service", "");
    if (!name.equals(PlatformConfig.GATEWAY)) {
      env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcBase + "/" + db);
      env.put("QUARKUS_DATASOURCE_USERNAME", pgUser);
      env.put("QUARKUS_DATASOURCE_PASSWORD", pgPassword);
    } else {
      env.put("HIM_ROUTES_RECORDS", config.serviceUrl(PlatformConfig.RECORDS));
      env.put("HIM_ROUTES_CODING", config.serviceUrl(PlatformConfig.CODING));
      env.put("HIM_ROUTES_REQUESTS", config.serviceUrl(PlatformConfig.REQUESTS));
      env.put("HIM_ROUTES_AUDIT", config.serviceUrl(PlatformConfig.AUDIT));
    }
    if (name.equals(PlatformConfig.REQUESTS)) {
      // requests-service reads records with its own account (client credentials)
      env.put("QUARKUS_REST_CLIENT_RECORDS_SERVICE_URL", config.serviceUrl(PlatformConfig.RECORDS));
      env.put("QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET", LOCAL_DEMO_REQUESTS_CLIENT_SECRET);
    }
    if (name.equals(PlatformConfig.AUDIT)) {
      // privacy monitoring reads users from Keycloak's admin API and patient facts from
      // records-service with its own account (client credentials)
      env.put("QUARKUS_REST_CLIENT_RECORDS_SERVICE_URL", config.serviceUrl(PlatformConfig.RECORDS));
      env.put(
          "QUARKUS_REST_CLIENT_KEYCLOAK_ADMIN_URL",
          oidcRealmUrl.substring(0, oidcRealmUrl.indexOf("/realms/")));
      env.put("QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET", LOCAL_DEMO_AUDIT_CLIENT_SECRET);
      // audit-service migrates as the owner and writes as a role that cannot change the log
      env.put("QUARKUS_FLYWAY_USERNAME", pgUser);
      env.put("QUARKUS_FLYWAY_PASSWORD", pgPassword);
      env.put("QUARKUS_DATASOURCE_USERNAME", "audit_writer");
      env.put("QUARKUS_DATASOURCE_PASSWORD", LOCAL_DEMO_AUDIT_WRITER_PASSWORD);
      Path keys = config.dataDir().resolve("audit");
      env.put("HIM_AUDIT_SIGNING_CREATE_IF_MISSING", "true");
      env.put("HIM_AUDIT_SIGNING_PRIVATE_KEY_FILE", keys.resolve("signing-key.pem").toString());
      env.put("HIM_AUDIT_SIGNING_PUBLIC_KEY_FILE", keys.resolve("signing-key.pub.pem").toString());
      env.put("HIM_AUDIT_CHECKPOINT_FILE", keys.resolve("checkpoints.jsonl").toString());
    }
    env.put("MALLOC_ARENA_MAX", "2");
    env.putAll(instance.env());
    List<String> cmd =
        List.of(
            ManagedProcess.javaExecutable(),
            // sized from the benchmark (heap ~140 MB live under load, metaspace ~120 MB): a fixed
            // heap avoids the stream of full GCs a small initial heap caused, and capping code
            // cache, stacks and malloc arenas keeps each service under 300 MB resident
            "-Xms192m",
            "-Xmx192m",
            "-XX:+UseSerialGC",
            "-XX:ReservedCodeCacheSize=64m",
            "-XX:MaxMetaspaceSize=192m",
            "-Xss512k",
            "-jar",
            app.toString());
    ManagedProcess process =
        ManagedProcess.start(
            instance.label(),
            cmd,
            config.repoRoot().resolve(name),
            env,
            config.dataDir().resolve("logs/" + instance.label() + ".log"));
    track(process);
    return process;
  }

  public PlatformConfig config() {
    return config;
  }

  public String jdbcUrl(String database) {
    return jdbcBase + "/" + database;
  }

  public String kafkaBootstrap() {
    return kafkaBootstrap;
  }

  public String oidcRealmUrl() {
    return oidcRealmUrl;
  }

  private synchronized void track(AutoCloseable c) {
    started.add(c);
  }

  private static <T> CompletableFuture<T> async(Supplier<T> s) {
    return CompletableFuture.supplyAsync(s);
  }

  private static void join(List<CompletableFuture<?>> futures) {
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /**
   * Stops everything in reverse order of start: gateway and services first, then infrastructure.
   */
  @Override
  public synchronized void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        System.err.println("stopping: " + e.getMessage());
      }
    }
    started.clear();
  }
}
