package dev.him.deploy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Holds Flyway's PostgreSQL advisory lock on one database, so that replicas started against it all
 * reach the lock before any of them migrates: when it is released they contend for it, as pods of a
 * Deployment rolling out together do. Without it, whether two replicas overlap depends on which JVM
 * boots faster (a migration of these schemas takes well under a second).
 */
final class FlywayLockHold implements AutoCloseable {
  /**
   * Flyway's key (flyway-database-postgresql, PostgreSQLAdvisoryLockTemplate): a fixed number plus
   * the hash code of the schema history table's quoted name. Should Flyway change it, the test that
   * holds it sees a replica migrate while it holds the lock, and says so.
   */
  static final long FLYWAY_KEY =
      77431708279161L + "\"public\".\"flyway_schema_history\"".hashCode();

  private final Connection connection;

  private FlywayLockHold(Connection connection) {
    this.connection = connection;
  }

  static FlywayLockHold hold(String jdbcUrl, String user, String password) throws SQLException {
    Connection c = DriverManager.getConnection(jdbcUrl, user, password);
    try (Statement s = c.createStatement()) {
      s.execute("select pg_advisory_lock(" + FLYWAY_KEY + ")");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return new FlywayLockHold(c);
  }

  /** Whether a migration was applied meanwhile (none may be, while the lock is held). */
  boolean anyMigrationApplied() throws SQLException {
    try (Statement s = connection.createStatement()) {
      ResultSet rs =
          s.executeQuery("select to_regclass('public.flyway_schema_history') is not null");
      rs.next();
      if (!rs.getBoolean(1)) {
        return false;
      }
      rs = s.executeQuery("select count(*) from flyway_schema_history where version is not null");
      rs.next();
      return rs.getLong(1) > 0;
    }
  }

  @Override
  public void close() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("select pg_advisory_unlock(" + FLYWAY_KEY + ")");
    } finally {
      connection.close();
    }
  }
}
