package dev.him.deploy;

import dev.him.infra.Ports;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the platform keeps its data and which ports it listens on. {@link #local} is the fixed
 * layout of the one-command local run; {@link #ephemeral} gives free ports for tests.
 */
public record PlatformConfig(
    Path repoRoot,
    Path dataDir,
    Path sharedData,
    int gatewayPort,
    int keycloakPort,
    int keycloakManagementPort,
    int postgresPort,
    int kafkaPort,
    int kafkaControllerPort,
    Map<String, Integer> servicePorts,
    External external) {

  public static final String RECORDS = "records-service";
  public static final String CODING = "coding-service";
  public static final String REQUESTS = "requests-service";
  public static final String AUDIT = "audit-service";
  public static final String GATEWAY = "gateway";

  /** Infrastructure configured from outside; each null means "start our own". */
  public record External(
      String postgresJdbcBase,
      String postgresUser,
      String postgresPassword,
      String kafkaBootstrap,
      String oidcRealmUrl) {

    public static External fromEnvironment() {
      return new External(
          blankToNull(System.getenv("HIM_POSTGRES_JDBC_BASE")),
          System.getenv().getOrDefault("HIM_POSTGRES_USER", "postgres"),
          System.getenv().getOrDefault("HIM_POSTGRES_PASSWORD", "postgres"),
          blankToNull(System.getenv("KAFKA_BOOTSTRAP_SERVERS")),
          blankToNull(System.getenv("HIM_OIDC_REALM_URL")));
    }

    public static External none() {
      return new External(null, null, null, null, null);
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s;
    }
  }

  public static PlatformConfig local(Path repoRoot) {
    Map<String, Integer> services = new LinkedHashMap<>();
    services.put(RECORDS, 8081);
    services.put(CODING, 8082);
    services.put(REQUESTS, 8083);
    services.put(AUDIT, 8084);
    return new PlatformConfig(
        repoRoot,
        repoRoot.resolve(".him-data"),
        repoRoot.resolve("../shared/data").normalize(),
        8080,
        8180,
        8190,
        15432,
        19092,
        19093,
        services,
        External.fromEnvironment());
  }

  public static PlatformConfig ephemeral(Path repoRoot, Path dataDir) {
    Map<String, Integer> services = new LinkedHashMap<>();
    for (String s : new String[] {RECORDS, CODING, REQUESTS, AUDIT}) {
      services.put(s, Ports.freeForLaterServer());
    }
    return new PlatformConfig(
        repoRoot,
        dataDir,
        repoRoot.resolve("../shared/data").normalize(),
        Ports.freeForLaterServer(),
        Ports.freeForLaterServer(),
        Ports.freeForLaterServer(),
        Ports.freeForLaterServer(),
        Ports.freeForLaterServer(),
        Ports.freeForLaterServer(),
        services,
        External.none());
  }

  public String serviceUrl(String service) {
    return "http://localhost:" + servicePorts.get(service);
  }

  public String gatewayUrl() {
    return "http://localhost:" + gatewayPort;
  }
}
