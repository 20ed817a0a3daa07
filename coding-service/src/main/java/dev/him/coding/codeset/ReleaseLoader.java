package dev.him.coding.codeset;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Loads one release of any code system in one transaction: the format's rows, then the
 * code_set_import row that marks the release as loaded. All or nothing: an error anywhere rolls
 * back every row, so the release in force before stays in force. A release already loaded is left
 * alone (repeating an import is harmless); concurrent loads of one release wait on an advisory
 * lock.
 */
@ApplicationScoped
public class ReleaseLoader {
  @Inject AgroalDataSource dataSource;

  /** What a load did: rows stored, or the row count of the earlier load when it was there. */
  public record Outcome(String codeSystem, String version, int rows, boolean alreadyLoaded) {}

  @Transactional
  public Outcome load(ReleaseFormat format, Release release, String importedBy, ImportProgress p) {
    if (!format.codeSystem().equals(release.codeSystem())) {
      throw new IllegalArgumentException(
          release.codeSystem() + " release given to the " + format.codeSystem() + " format");
    }
    try (Connection c = dataSource.getConnection()) {
      lock(c, release);
      Integer loaded = loadedRows(c, release);
      if (loaded != null) {
        return new Outcome(release.codeSystem(), release.version(), loaded, true);
      }
      int rows = format.load(c, release, p);
      if (rows == 0) {
        throw new ImportFileException(release.sourceName(), 0, "the file holds no rows");
      }
      markLoaded(c, release, rows, importedBy);
      return new Outcome(release.codeSystem(), release.version(), rows, false);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "loading " + release.codeSystem() + " " + release.version() + " failed", e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + release.sourceName() + " failed", e);
    }
  }

  /** Held until the transaction ends, so a second load of the release sees the first's row. */
  private static void lock(Connection c, Release release) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
      q.setString(1, "code_set_import:" + release.codeSystem() + ":" + release.version());
      q.execute();
    }
  }

  private static Integer loadedRows(Connection c, Release release) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "select row_count from code_set_import where code_system = ? and version = ?")) {
      q.setString(1, release.codeSystem());
      q.setString(2, release.version());
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getInt(1) : null;
      }
    }
  }

  private static void markLoaded(Connection c, Release release, int rows, String importedBy)
      throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "insert into code_set_import (code_system, version, fiscal_year, effective_from,"
                + " effective_to, file_name, row_count, imported_at, imported_by)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      q.setString(1, release.codeSystem());
      q.setString(2, release.version());
      q.setObject(3, release.fiscalYear());
      q.setObject(4, release.effectiveFrom());
      q.setObject(5, release.effectiveTo());
      q.setString(6, release.sourceName());
      q.setInt(7, rows);
      q.setTimestamp(8, Timestamp.from(Instant.now()));
      q.setString(9, importedBy);
      q.executeUpdate();
    }
  }
}
