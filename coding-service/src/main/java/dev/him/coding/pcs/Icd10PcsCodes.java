package dev.him.coding.pcs;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The shape of an ICD-10-PCS code: seven characters, digits and letters other than I and O. */
public final class Icd10PcsCodes {
  private static final Pattern SHAPE = Pattern.compile("[0-9A-HJ-NP-Z]{7}");

  private Icd10PcsCodes() {}

  /** Upper case, without blanks; empty when it is not shaped like a PCS code. */
  public static Optional<String> normalize(String code) {
    if (code == null) {
      return Optional.empty();
    }
    String c = code.strip().toUpperCase(Locale.ROOT);
    return SHAPE.matcher(c).matches() ? Optional.of(c) : Optional.empty();
  }

  public static boolean isShaped(String code) {
    return code != null && SHAPE.matcher(code).matches();
  }
}
