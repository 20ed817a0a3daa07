package dev.him.coding.codeset;

/**
 * The file is not what the format expects: the message says what is wrong, and {@link #line()}
 * names the line (1-based; 0 when the fault is not on one line, such as a missing entry or a
 * truncated file). The load is rolled back; the previous release stays in force.
 */
public class ImportFileException extends RuntimeException {
  private final String source;
  private final int line;

  public ImportFileException(String source, int line, String message) {
    this(source, line, "line", message);
  }

  /**
   * @param unit what {@code line} counts, as the message says it: "line", or "row" for a
   *     spreadsheet
   */
  public ImportFileException(String source, int line, String unit, String message) {
    super(line > 0 ? source + " " + unit + " " + line + ": " + message : source + ": " + message);
    this.source = source;
    this.line = line;
  }

  public String source() {
    return source;
  }

  public int line() {
    return line;
  }
}
