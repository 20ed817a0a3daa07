package dev.him.coding.codeset;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows into PostgreSQL with COPY (text format), the fastest way to load a release: rows are
 * buffered and sent in 256 KB chunks, so memory stays flat whatever the file's size. Fields of a
 * row are written in the COPY statement's column order, then {@link #endRow()}; {@link #finish()}
 * ends the COPY and checks every row arrived. Closing an unfinished writer cancels the COPY.
 */
public final class CopyWriter implements AutoCloseable {
  private static final int FLUSH_AT = 256 * 1024;

  private final CopyIn copy;
  private final StringBuilder buffer = new StringBuilder(FLUSH_AT + 8 * 1024);
  private boolean firstField = true;
  private long rows;

  private CopyWriter(CopyIn copy) {
    this.copy = copy;
  }

  /**
   * Starts a COPY on {@code c}.
   *
   * @param copySql {@code copy table (col, ...) from stdin}
   */
  public static CopyWriter open(Connection c, String copySql) throws SQLException {
    return new CopyWriter(c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql));
  }

  /** A text field (null is SQL null). */
  public CopyWriter text(String value) {
    separate();
    if (value == null) {
      buffer.append("\\N");
      return this;
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> buffer.append("\\\\");
        case '\t' -> buffer.append("\\t");
        case '\n' -> buffer.append("\\n");
        case '\r' -> buffer.append("\\r");
        default -> buffer.append(ch);
      }
    }
    return this;
  }

  public CopyWriter number(long value) {
    separate();
    buffer.append(value);
    return this;
  }

  /** A number field (null is SQL null). */
  public CopyWriter number(Integer value) {
    return value == null ? text(null) : number(value.longValue());
  }

  public CopyWriter bool(boolean value) {
    separate();
    buffer.append(value ? 't' : 'f');
    return this;
  }

  /** A date field (null is SQL null). */
  public CopyWriter date(LocalDate value) {
    return text(value == null ? null : value.toString());
  }

  /** Ends the row; sends the buffer when it is full. */
  public void endRow() throws SQLException {
    buffer.append('\n');
    firstField = true;
    rows++;
    if (buffer.length() >= FLUSH_AT) {
      flush();
    }
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /**
   * Sends the rest and ends the COPY.
   *
   * @return the rows stored
   */
  public long finish() throws SQLException {
    flush();
    long copied = copy.endCopy();
    if (copied != rows) {
      throw new IllegalStateException("COPY stored " + copied + " of " + rows + " rows");
    }
    return copied;
  }

  /** Cancels a COPY that did not finish; the transaction is rolled back anyway. */
  @Override
  public void close() {
    if (copy.isActive()) {
      try {
        copy.cancelCopy();
      } catch (SQLException ignored) {
        // the exception that stopped the copy is the one worth reporting
      }
    }
  }

  private void separate() {
    if (!firstField) {
      buffer.append('\t');
    }
    firstField = false;
  }

  private void flush() throws SQLException {
    if (buffer.length() == 0) {
      return;
    }
    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    buffer.setLength(0);
  }
}
