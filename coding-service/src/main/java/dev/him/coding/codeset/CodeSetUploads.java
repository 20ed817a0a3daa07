package dev.him.coding.codeset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An uploaded release file is written to a folder of its own under the temporary directory first:
 * the formats read files (zips need random access), the job runs after the request has ended, and
 * the file keeps its name so errors and the import row name it. The job deletes it when done.
 */
final class CodeSetUploads {
  static final String DIR_PREFIX = "him-code-set-upload-";

  private CodeSetUploads() {}

  /**
   * Writes {@code body} to a new temporary file called {@code fileName}.
   *
   * @return the file, or null when the body is empty (nothing is left behind then)
   */
  static Path store(InputStream body, String fileName) throws IOException {
    Path dir = Files.createTempDirectory(DIR_PREFIX);
    Path file = dir.resolve(fileName);
    long size;
    try (OutputStream out = Files.newOutputStream(file)) {
      size = body.transferTo(out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
      throw e;
    }
    if (size == 0) {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
      return null;
    }
    return file;
  }
}
