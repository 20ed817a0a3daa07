package dev.him.coding.icd10cm;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** How ICD-10-CM codes are written: "E11.9" for people, "E119" in the CDC files. */
public final class Icd10CmCodes {
  public static final String CODE_SYSTEM = "ICD-10-CM";

  /**
   * A letter, a digit, a letter or digit, then up to four letters or digits; the dot, if any, after
   * the third character.
   */
  private static final Pattern SHAPE =
      Pattern.compile("[A-Za-z][0-9][A-Za-z0-9](?:\\.?[A-Za-z0-9]{1,4})?");

  private Icd10CmCodes() {}

  /** The code without the dot and in upper case ("e11.9" gives "E119"), if it is shaped right. */
  public static Optional<String> normalize(String input) {
    if (input == null || !SHAPE.matcher(input).matches()) {
      return Optional.empty();
    }
    return Optional.of(input.replace(".", "").toUpperCase(Locale.ROOT));
  }

  /** The display form: a dot after the third character when the code is longer ("E119"). */
  public static String withDot(String code) {
    return code.length() > 3 ? code.substring(0, 3) + "." + code.substring(3) : code;
  }
}
