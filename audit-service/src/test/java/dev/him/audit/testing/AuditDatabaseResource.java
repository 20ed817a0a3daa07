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
    // The checkpoint file and signing key belong with this database: fresh for each start.
    java.nio.file.Path dir = dev.him.infra.Folders.temporary("him-test-audit-keys");
    config.put("him.audit.checkpoint.file", dir.resolve("checkpoints.jsonl").toString());
    config.put("him.audit.signing.private-key-file", dir.resolve("signing-key.pem").toString());
    config.put("him.audit.signing.public-key-file", dir.resolve("signing-key.pub.pem").toString());
    return config;
  }
}
