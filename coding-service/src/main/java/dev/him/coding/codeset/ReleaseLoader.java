package dev.him.coding.codeset;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Loads one release of any code system in one transaction: the format's rows, then the
 * code_set_import row that marks the release as loaded. All or nothing: an error anywhere rolls
 * back every row, so the release in force before stays in force. A release already loaded is left
 * alone (repeating an import is harmless) as long as the file is the same one (SHA-256); the same
 * version from another file is refused with {@link ReleaseConflictException}. Concurrent loads of
 * one release wait on an advisory lock.
 */
@ApplicationScoped
public class ReleaseLoader {
  @Inject AgroalDataSource dataSource;

  /** What a load did: rows stored, or the row count of the earlier load when it was there. */
  public record Outcome(String codeSystem, String version, int rows, boolean alreadyLoaded) {}

  /** A release already loaded: its row count and the SHA-256 of its file (null before V2). */
  public record Loaded(int rows, String fileSha256) {}

  // The largest files load in seconds; the 60 s default would still be tight on a busy machine.
  @Transactional
  @TransactionConfiguration(timeout = 900)
  public Outcome load(ReleaseFormat format, Release release, String importedBy, ImportProgress p) {
    if (!format.codeSystem().equals(release.codeSystem())) {
      throw new IllegalArgumentException(
          release.codeSystem() + " release given to the " + format.codeSystem() + " format");
    }
    String sha256 = sha256(release.file());
    try (Connection c = dataSource.getConnection()) {
      lock(c, release);
      Loaded loaded = loaded(c, release.codeSystem(), release.version());
      if (loaded != null) {
        if (loaded.fileSha256() != null && !loaded.fileSha256().equals(sha256)) {
          throw new ReleaseConflictException(release, loaded.fileSha256(), sha256);
        }
        return new Outcome(release.codeSystem(), release.version(), loaded.rows(), true);
      }
      int rows = format.load(c, release, p);
      if (rows == 0) {
        throw new ImportFileException(release.sourceName(), 0, "the file holds no rows");
      }
      markLoaded(c, release, rows, importedBy, sha256);
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

  /** The release as loaded, or null when it is not loaded. */
  public Loaded loaded(String codeSystem, String version) {
    try (Connection c = dataSource.getConnection()) {
      return loaded(c, codeSystem, version);
    } catch (SQLException e) {
      throw new IllegalStateException("reading code_set_import failed", e);
    }
  }

  /** SHA-256 of a file, lower-case hex: names the exact file a release was loaded from. */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file.getFileName() + " failed", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Loaded loaded(Connection c, String codeSystem, String version)
      throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "select row_count, file_sha256 from code_set_import"
                + " where code_system = ? and version = ?")) {
      q.setString(1, codeSystem);
      q.setString(2, version);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? new Loaded(rs.getInt(1), rs.getString(2)) : null;
      }
    }
  }

  private static void markLoaded(
      Connection c, Release release, int rows, String importedBy, String sha256)
      throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "insert into code_set_import (code_system, version, fiscal_year, effective_from,"
                + " effective_to, file_name, row_count, imported_at, imported_by, file_sha256)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      q.setString(1, release.codeSystem());
      q.setString(2, release.version());
      q.setObject(3, release.fiscalYear());
      q.setObject(4, release.effectiveFrom());
      q.setObject(5, release.effectiveTo());
      q.setString(6, release.sourceName());
      q.setInt(7, rows);
      q.setTimestamp(8, Timestamp.from(Instant.now()));
      q.setString(9, importedBy);
      q.setString(10, sha256);
      q.executeUpdate();
    }
  }
}
