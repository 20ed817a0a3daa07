package dev.him.coding.codeset.icd10cm;

import java.util.regex.Pattern;

/**
 * Reads lines of the CDC ICD-10-CM order file ({@code icd10cm-order-YYYY.txt}). Fixed width: order
 * number (5), blank, code without the dot (7, padded), blank, billable flag 0/1, blank, short
 * description (60, padded), blank, long description.
 */
public final class Icd10CmOrderFile {
  private static final int CODE_START = 6;
  private static final int CODE_END = 13;
  private static final int BILLABLE = 14;
  private static final int SHORT_START = 16;
  private static final int SHORT_END = 76;
  private static final int LONG_START = 77;

  /** As in the CDC files: upper case, no dot; a letter, a digit, then 1 to 5 letters or digits. */
  private static final Pattern CODE = Pattern.compile("[A-Z][0-9][A-Z0-9]{1,5}");

  private Icd10CmOrderFile() {}

  /** One line: a header code (billable false) or a billable code. */
  public record Line(
      int orderNumber,
      String code,
      boolean billable,
      String shortDescription,
      String longDescription) {

    /** As people write it: a dot after the third character when the code is longer (E11.9). */
    public String displayCode() {
      return code.length() > 3 ? code.substring(0, 3) + "." + code.substring(3) : code;
    }
  }

  /** A line that does not follow the layout: {@link #reason()} says what is wrong with it. */
  public static class FormatException extends RuntimeException {
    private final int lineNumber;
    private final String reason;

    public FormatException(int lineNumber, String reason) {
      super("line " + lineNumber + " of the ICD-10-CM order file " + reason, null, false, false);
      this.lineNumber = lineNumber;
      this.reason = reason;
    }

    public int lineNumber() {
      return lineNumber;
    }

    public String reason() {
      return reason;
    }
  }

  public static Line parse(String line, int lineNumber) {
    if (line.length() <= LONG_START) {
      throw new FormatException(
          lineNumber,
          "is too short for the fixed-width layout ("
              + line.length()
              + " characters, expected"
              + " order number, code, billable flag, short and long description: 78 or more)");
    }
    if (line.charAt(5) != ' ' || line.charAt(CODE_END) != ' ' || line.charAt(15) != ' ') {
      throw new FormatException(
          lineNumber, "does not have blanks where the layout puts them (columns 6, 14 and 16)");
    }
    int order;
    try {
      order = Integer.parseInt(line.substring(0, 5).trim());
    } catch (NumberFormatException e) {
      throw new FormatException(lineNumber, "has no order number in columns 1-5");
    }
    String code = line.substring(CODE_START, CODE_END).trim();
    if (!CODE.matcher(code).matches()) {
      throw new FormatException(
          lineNumber, "has no ICD-10-CM code in columns 7-13 (found \"" + code + "\")");
    }
    boolean billable =
        switch (line.charAt(BILLABLE)) {
          case '0' -> false;
          case '1' -> true;
          default ->
              throw new FormatException(
                  lineNumber,
                  "has a billable flag other than 0/1 in column 15 (found \""
                      + line.charAt(BILLABLE)
                      + "\")");
        };
    String shortDescription = line.substring(SHORT_START, SHORT_END).trim();
    String longDescription = line.substring(LONG_START).trim();
    if (shortDescription.isEmpty() || longDescription.isEmpty()) {
      throw new FormatException(lineNumber, "lacks a description");
    }
    return new Line(order, code, billable, shortDescription, longDescription);
  }
}
