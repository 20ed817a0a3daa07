package dev.him.coding.search;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How descriptions and queries are cut into words: lower case, accents dropped, split at anything
 * that is not a letter or a digit. "Crohn's" gives crohn, s; "w/o" gives w, o; "Type 2" gives type,
 * 2. Descriptions and queries go through the same rules, so they meet.
 */
public final class Words {
  private Words() {}

  public static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    if (text == null || text.isEmpty()) return out;
    String s = fold(text);
    int start = -1;
    for (int i = 0; i < s.length(); i++) {
      boolean word = Character.isLetterOrDigit(s.charAt(i));
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        out.add(s.substring(start, i));
        start = -1;
      }
    }
    if (start >= 0) out.add(s.substring(start));
    return out;
  }

  /** Lower case; accented letters as their base letter (Ménière: meniere). */
  static String fold(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 127) {
        return Normalizer.normalize(text, Normalizer.Form.NFD)
            .replaceAll("\\p{M}+", "")
            .toLowerCase(Locale.ROOT);
      }
    }
    return text.toLowerCase(Locale.ROOT);
  }
}
