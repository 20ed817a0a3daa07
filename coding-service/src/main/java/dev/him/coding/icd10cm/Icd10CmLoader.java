package dev.him.coding.icd10cm;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads one ICD-10-CM release in one transaction: the codes through PostgreSQL COPY, then the
 * {@code code_set_import} row that marks the release as loaded. A release already loaded is left
 * alone; concurrent loads of one release wait for each other on an advisory lock.
 */
@ApplicationScoped
public class Icd10CmLoader {
  private static final int FLUSH_AT = 256 * 1024;

  @Inject AgroalDataSource dataSource;

  /** What to load: the release and where its order file is. */
  public record Release(Path zip, String entry, String version, LocalDate effectiveFrom) {}

  @Transactional
  public ImportResult load(Release release, String importedBy) {
    try (Connection c = dataSource.getConnection()) {
      lock(c, release.version());
      Integer loaded = loadedRows(c, release.version());
      if (loaded != null) {
        return new ImportResult(Icd10CmCodes.CODE_SYSTEM, release.version(), loaded, true);
      }
      int rows = copy(c, release);
      markLoaded(c, release, rows, importedBy);
      return new ImportResult(Icd10CmCodes.CODE_SYSTEM, release.version(), rows, false);
    } catch (SQLException e) {
      throw new IllegalStateException("loading ICD-10-CM " + release.version() + " failed", e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + release.zip().getFileName() + " failed", e);
    }
  }

  /** Held until the transaction ends, so a second load of the release sees the first's row. */
  private static void lock(Connection c, String version) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
      q.setString(1, "code_set_import:" + Icd10CmCodes.CODE_SYSTEM + ":" + version);
      q.execute();
    }
  }

  private static Integer loadedRows(Connection c, String version) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "select row_count from code_set_import where code_system = ? and version = ?")) {
      q.setString(1, Icd10CmCodes.CODE_SYSTEM);
      q.setString(2, version);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getInt(1) : null;
      }
    }
  }

  private static int copy(Connection c, Release release) throws SQLException, IOException {
    try (ZipFile zip = new ZipFile(release.zip().toFile());
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(
                    zip.getInputStream(entry(zip, release.entry())),
                    StandardCharsets.ISO_8859_1))) {
      CopyIn copy =
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "copy icd10cm_code (code_set_version, code, display_code, billable,"
                      + " short_description, long_description, order_number) from stdin");
      try {
        return copyLines(in, copy, release.version());
      } finally {
        if (copy.isActive()) {
          cancel(copy);
        }
      }
    }
  }

  private static int copyLines(BufferedReader in, CopyIn copy, String version)
      throws SQLException, IOException {
    StringBuilder buffer = new StringBuilder(FLUSH_AT + 1024);
    int lineNumber = 0;
    int rows = 0;
    String line;
    while ((line = in.readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      appendRow(buffer, version, Icd10CmOrderFile.parse(line, lineNumber));
      rows++;
      if (buffer.length() >= FLUSH_AT) {
        write(copy, buffer);
      }
    }
    if (rows == 0) {
      throw new IllegalStateException("the ICD-10-CM order file has no codes");
    }
    write(copy, buffer);
    long copied = copy.endCopy();
    if (copied != rows) {
      throw new IllegalStateException("COPY stored " + copied + " of " + rows + " codes");
    }
    return rows;
  }

  /** Ends a failed COPY; the transaction is rolled back anyway, so a failure here adds nothing. */
  private static void cancel(CopyIn copy) {
    try {
      copy.cancelCopy();
    } catch (SQLException ignored) {
      // the exception that stopped the copy is the one worth reporting
    }
  }

  private static ZipEntry entry(ZipFile zip, String name) {
    ZipEntry entry = zip.getEntry(name);
    if (entry != null) {
      return entry;
    }
    return Collections.list(zip.entries()).stream()
        .filter(e -> e.getName().endsWith("/" + name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the zip " + Path.of(zip.getName()).getFileName() + " has no entry " + name));
  }

  /** One row in COPY text format: tab-separated, backslash-escaped. */
  private static void appendRow(StringBuilder out, String version, Icd10CmOrderFile.Line code) {
    field(out, version).append('\t');
    field(out, code.code()).append('\t');
    field(out, code.displayCode()).append('\t');
    out.append(code.billable() ? 't' : 'f').append('\t');
    field(out, code.shortDescription()).append('\t');
    field(out, code.longDescription()).append('\t');
    out.append(code.orderNumber()).append('\n');
  }

  private static StringBuilder field(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
    return out;
  }

  private static void write(CopyIn copy, StringBuilder buffer) throws SQLException {
    if (buffer.length() == 0) {
      return;
    }
    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    buffer.setLength(0);
  }

  private static void markLoaded(Connection c, Release release, int rows, String importedBy)
      throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "insert into code_set_import (code_system, version, effective_from, file_name,"
                + " row_count, imported_at, imported_by) values (?, ?, ?, ?, ?, ?, ?)")) {
      q.setString(1, Icd10CmCodes.CODE_SYSTEM);
      q.setString(2, release.version());
      q.setObject(3, release.effectiveFrom());
      q.setString(4, release.zip().getFileName() + "!/" + release.entry());
      q.setInt(5, rows);
      q.setTimestamp(6, Timestamp.from(Instant.now()));
      q.setString(7, importedBy);
      q.executeUpdate();
    }
  }
}
