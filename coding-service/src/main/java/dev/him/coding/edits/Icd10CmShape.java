package dev.him.coding.edits;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The written form of ICD-10-CM codes as coders enter them: a letter, a digit, a letter or digit,
 * then up to four letters or digits, with or without the dot after the third character.
 */
public final class Icd10CmShape {
  private static final Pattern SHAPE =
      Pattern.compile("([A-Z][0-9][0-9A-Z])(?:\\.?([0-9A-Z]{1,4}))?");

  private Icd10CmShape() {}

  /** Without the dot, upper case; empty when not shaped like an ICD-10-CM code. */
  public static Optional<String> normalize(String code) {
    if (code == null) {
      return Optional.empty();
    }
    Matcher m = SHAPE.matcher(code.strip().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(m.group(2) == null ? m.group(1) : m.group(1) + m.group(2));
  }

  /** With the dot after the third character, as people write it (E11.9). */
  public static String withDot(String code) {
    return code == null || code.length() <= 3
        ? code
        : code.substring(0, 3) + "." + code.substring(3);
  }
}
