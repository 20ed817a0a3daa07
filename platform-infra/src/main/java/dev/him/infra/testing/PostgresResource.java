package dev.him.infra.testing;

import dev.him.infra.Folders;
import dev.him.infra.Ports;
import dev.him.infra.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a real PostgreSQL for a service's {@code @QuarkusTest}s, in a temporary folder on a free
 * port. Arg {@code database} names the service's database. When a JDBC URL is configured from
 * outside (QUARKUS_DATASOURCE_JDBC_URL), that server is used instead.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
  private PostgresServer server;
  private java.nio.file.Path dir;
  private String database = "him";

  @Override
  public void init(Map<String, String> args) {
    database = args.getOrDefault("database", database);
  }

  @Override
  public Map<String, String> start() {
    if (System.getenv("QUARKUS_DATASOURCE_JDBC_URL") != null
        || System.getProperty("quarkus.datasource.jdbc.url") != null) {
      return Map.of();
    }
    dir = Folders.temporary("him-test-pg");
    server = PostgresServer.start(dir, Ports.free()).ensureDatabase(database);
    return Map.of(
        "quarkus.datasource.jdbc.url", server.jdbcUrl(database),
        "quarkus.datasource.username", PostgresServer.USER,
        "quarkus.datasource.password", PostgresServer.USER);
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
    }
    Folders.deleteTree(dir);
  }
}
