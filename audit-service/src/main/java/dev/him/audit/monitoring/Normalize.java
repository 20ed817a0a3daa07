package dev.him.audit.monitoring;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How names and addresses are compared: accents, case and punctuation do not count ("Müller-Ölz"
 * and "mueller olz" do not match, "Müller-Ölz" and "MULLER OLZ" do), and common street words are
 * abbreviated the USPS way so "12 Main Street" and "12 main st." are the same line.
 */
final class Normalize {
  private static final Map<String, String> STREET_WORDS =
      Map.ofEntries(
          Map.entry("street", "st"),
          Map.entry("avenue", "ave"),
          Map.entry("av", "ave"),
          Map.entry("road", "rd"),
          Map.entry("boulevard", "blvd"),
          Map.entry("drive", "dr"),
          Map.entry("lane", "ln"),
          Map.entry("court", "ct"),
          Map.entry("place", "pl"),
          Map.entry("square", "sq"),
          Map.entry("terrace", "ter"),
          Map.entry("highway", "hwy"),
          Map.entry("parkway", "pkwy"),
          Map.entry("north", "n"),
          Map.entry("south", "s"),
          Map.entry("east", "e"),
          Map.entry("west", "w"),
          Map.entry("apartment", "apt"),
          Map.entry("suite", "ste"));

  private Normalize() {}

  /** Lower case, accents removed, anything but letters and digits turned into single spaces. */
  static String fold(String s) {
    if (s == null) {
      return "";
    }
    return Normalizer.normalize(s, Normalizer.Form.NFD)
        .replaceAll("\\p{M}+", "")
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{Alnum}]+", " ")
        .strip();
  }

  /** A family name for comparison: folded, spaces, hyphens and apostrophes removed. */
  static String familyName(String s) {
    return fold(s).replace(" ", "");
  }

  /** A street line for comparison: folded, street words abbreviated. */
  static String street(String s) {
    String folded = fold(s);
    if (folded.isEmpty()) {
      return "";
    }
    return Arrays.stream(folded.split(" "))
        .map(w -> STREET_WORDS.getOrDefault(w, w))
        .collect(Collectors.joining(" "));
  }

  /** A postal code for comparison: letters and digits, upper case; a US ZIP+4 as its 5 digits. */
  static String postalCode(String s) {
    String code = fold(s).replace(" ", "").toUpperCase(Locale.ROOT);
    return code.matches("\\d{9}") ? code.substring(0, 5) : code;
  }
}
