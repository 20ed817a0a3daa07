package dev.him.audit.testing;

import dev.him.infra.testing.PostgresResource;
import java.util.HashMap;
import java.util.Map;

/**
 * The real PostgreSQL for audit-service tests, used the way production uses it: migrations run as
 * the owner, the service writes as {@code audit_writer}, which cannot update or delete log rows.
 */
public class AuditDatabaseResource extends PostgresResource {
  public static final String WRITER = "audit_writer";
  public static final String WRITER_PASSWORD = "audit-writer-test";

  @Override
  public void init(Map<String, String> args) {
    super.init(Map.of("database", args.getOrDefault("database", "audit")));
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> owner = super.start();
    if (owner.isEmpty()) {
      return owner;
    }
    Map<String, String> config = new HashMap<>(owner);
    config.put("quarkus.flyway.username", owner.get("quarkus.datasource.username"));
    config.put("quarkus.flyway.password", owner.get("quarkus.datasource.password"));
    config.put("quarkus.datasource.username", WRITER);
    config.put("quarkus.datasource.password", WRITER_PASSWORD);
    return config;
  }
}
