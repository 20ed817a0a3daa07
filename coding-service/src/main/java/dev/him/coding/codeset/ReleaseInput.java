package dev.him.coding.codeset;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The bytes of a release: the file itself, or the entry {@link Release#entry()} inside it when it
 * is a zip. Counts the bytes read so a format can report progress against {@link #size()}. A zip
 * that cannot be opened (truncated, not a zip) or lacks the entry is an {@link
 * ImportFileException}.
 */
public final class ReleaseInput implements Closeable {
  private static final int MAX_NAMES = 12;

  private final String name;
  private final ZipFile zip;
  private final CountingStream counted;
  private final BufferedInputStream stream;
  private final long size;

  private ReleaseInput(String name, ZipFile zip, InputStream raw, long size) {
    this.name = name;
    this.zip = zip;
    this.counted = new CountingStream(raw);
    this.stream = new BufferedInputStream(counted, 64 * 1024);
    this.size = size;
  }

  /** Opens the release's file, or its zip entry. */
  public static ReleaseInput open(Release release) throws IOException {
    Path file = release.file();
    if (release.entry() == null) {
      return new ReleaseInput(
          release.sourceName(), null, Files.newInputStream(file), Files.size(file));
    }
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new ImportFileException(
          release.sourceName(),
          0,
          "is not a complete zip file (truncated or not a zip at all): " + e.getMessage());
    }
    try {
      ZipEntry entry = entry(zip, release);
      return new ReleaseInput(
          release.sourceName(), zip, zip.getInputStream(entry), entry.getSize());
    } catch (RuntimeException | IOException e) {
      zip.close();
      throw e;
    }
  }

  /** How the source is named in errors: file, or zip!/entry. */
  public String name() {
    return name;
  }

  /** Buffered stream of the content; supports mark/reset (see {@link #startsWith}). */
  public InputStream stream() {
    return stream;
  }

  /** Bytes of the content (uncompressed size of a zip entry), or -1 when unknown. */
  public long size() {
    return size;
  }

  /** Bytes consumed from the content so far (read ahead by the buffer included). */
  public long bytesRead() {
    return counted.count;
  }

  /** Whether the content begins with these bytes (for telling gzip, zip and text apart). */
  public boolean startsWith(byte... magic) throws IOException {
    stream.mark(magic.length);
    try {
      for (byte b : magic) {
        if (stream.read() != (b & 0xff)) {
          return false;
        }
      }
      return true;
    } finally {
      stream.reset();
    }
  }

  /** Whether the content is gzip-compressed. */
  public boolean isGzip() throws IOException {
    return startsWith((byte) 0x1f, (byte) 0x8b);
  }

  /** Whether the content is itself a zip (also an xlsx workbook). */
  public boolean isZip() throws IOException {
    return startsWith((byte) 'P', (byte) 'K', (byte) 3, (byte) 4);
  }

  @Override
  public void close() throws IOException {
    try {
      stream.close();
    } finally {
      if (zip != null) {
        zip.close();
      }
    }
  }

  private static ZipEntry entry(ZipFile zip, Release release) {
    String wanted = release.entry();
    ZipEntry entry = zip.getEntry(wanted);
    if (entry != null) {
      return entry;
    }
    // some agencies put the files in a folder inside the zip
    List<? extends ZipEntry> all = Collections.list(zip.entries());
    return all.stream()
        .filter(e -> e.getName().endsWith("/" + wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new ImportFileException(
                    release.file().getFileName().toString(),
                    0,
                    "has no entry "
                        + wanted
                        + "; it holds "
                        + String.join(
                            ", ", all.stream().map(ZipEntry::getName).limit(MAX_NAMES).toList())));
  }

  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}
