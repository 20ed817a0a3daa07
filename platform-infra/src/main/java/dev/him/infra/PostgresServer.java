package dev.him.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** A real PostgreSQL 17 server from the zonky binaries, one database per service inside it. */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "postgres";

  private final EmbeddedPostgres pg;

  private PostgresServer(EmbeddedPostgres pg) {
    this.pg = pg;
  }

  /**
   * Starts on {@code port} with data in {@code dataDir}; data already there is kept, so the local
   * run survives restarts.
   */
  public static PostgresServer start(Path dataDir, int port) {
    try {
      Files.createDirectories(dataDir);
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("max_connections", "200")
              // the owner stops it, after the services that use it
              .setRegisterShutdownHook(false)
              .start();
      return new PostgresServer(pg);
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not start", e);
    }
  }

  public int port() {
    return pg.getPort();
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + database;
  }

  /** Creates the database unless it exists. */
  public PostgresServer ensureDatabase(String database) {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("database name " + database);
    }
    try (Connection c = pg.getPostgresDatabase().getConnection();
        PreparedStatement q = c.prepareStatement("select 1 from pg_database where datname = ?")) {
      q.setString(1, database);
      try (ResultSet rs = q.executeQuery()) {
        if (rs.next()) {
          return this;
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("create database " + database);
      }
      return this;
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + database, e);
    }
  }

  @Override
  public void close() {
    try {
      pg.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
