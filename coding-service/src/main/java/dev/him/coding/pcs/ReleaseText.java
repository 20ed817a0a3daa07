package dev.him.coding.pcs;

import dev.him.coding.codeset.ImportFileException;
import dev.him.coding.codeset.ImportProgress;
import dev.him.coding.codeset.Release;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The text of a release file, line by line: the file itself, or the named entry of a zip, read as
 * it streams (never whole in memory). Knows the line number for errors, reports bytes read as
 * progress, and notices a last line without its line end: agency files end every line, so a file
 * that stops in the middle of one was cut short. Shared by the PCS, MCE and MS-DRG formats.
 */
public final class ReleaseText implements Closeable {
  private static final int REPORT_EVERY = 2_000;

  private final Release release;
  private final ZipFile zip;
  private final Reader reader;
  private final Counting counting;
  private final ImportProgress progress;
  private final StringBuilder line = new StringBuilder(256);
  private int lineNumber;
  private boolean endedWithoutNewline;

  private ReleaseText(Release release, ZipFile zip, InputStream in, long size, ImportProgress p) {
    this.release = release;
    this.zip = zip;
    this.counting = new Counting(in);
    // CMS and CDC publish ASCII; Latin-1 maps every byte, so no byte is ever dropped silently
    this.reader =
        new BufferedReader(new InputStreamReader(counting, StandardCharsets.ISO_8859_1), 1 << 16);
    this.progress = p;
    p.total(size);
  }

  /** Opens the release's file, or its {@link Release#entry()} inside the zip. */
  public static ReleaseText open(Release release, ImportProgress progress) throws IOException {
    if (release.entry() == null) {
      return new ReleaseText(
          release,
          null,
          Files.newInputStream(release.file()),
          Files.size(release.file()),
          progress);
    }
    ZipFile zip = new ZipFile(release.file().toFile());
    try {
      ZipEntry entry = entry(zip, release.entry());
      if (entry == null) {
        throw new ImportFileException(
            release.sourceName(),
            0,
            "the zip " + release.file().getFileName() + " has no entry " + release.entry());
      }
      return new ReleaseText(
          release, zip, zip.getInputStream(entry), Math.max(entry.getSize(), 0), progress);
    } catch (IOException | RuntimeException e) {
      zip.close();
      throw e;
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
        .orElse(null);
  }

  /** The next line without its line end (LF or CRLF), or null at the end of the file. */
  public String next() throws IOException {
    line.setLength(0);
    int ch;
    boolean any = false;
    while ((ch = reader.read()) != -1) {
      any = true;
      if (ch == '\n') {
        break;
      }
      line.append((char) ch);
    }
    if (!any) {
      return null;
    }
    if (ch == -1) {
      endedWithoutNewline = true;
    }
    lineNumber++;
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') {
      line.setLength(end - 1);
    }
    return line.toString();
  }

  /** 1-based number of the line {@link #next()} returned last. */
  public int lineNumber() {
    return lineNumber;
  }

  /** Call after a row was taken: reports progress now and then. */
  public void rowRead(int rows) {
    if (rows % REPORT_EVERY == 0) {
      progress.advanced(counting.count, rows);
    }
  }

  /**
   * Call at the end of the file: reports the final progress, and refuses a file whose last line has
   * no line end (cut short in transfer) when {@code requireFinalNewline}.
   */
  public void finish(int rows, boolean requireFinalNewline) {
    if (requireFinalNewline && endedWithoutNewline) {
      throw fault(
          "the file ends in the middle of this line (no line end): it looks truncated; nothing"
              + " was loaded");
    }
    progress.advanced(counting.count, rows);
  }

  /** An error on the current line, naming the release's file. */
  public ImportFileException fault(String message) {
    return new ImportFileException(release.sourceName(), lineNumber, message);
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      if (zip != null) {
        zip.close();
      }
    }
  }

  private static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) count++;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) count += n;
      return n;
    }
  }
}
