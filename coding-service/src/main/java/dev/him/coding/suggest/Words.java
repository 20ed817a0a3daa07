package dev.him.coding.suggest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns clinical text and code titles into comparable words: lower case, letters and digits only, a
 * light plural stem, and the words that carry no clinical meaning in a code title left out.
 */
final class Words {
  /**
   * Joining and qualifying words of ICD-10-CM titles that do not distinguish one code from another.
   */
  private static final Set<String> STOP =
      Set.of(
          "a",
          "an",
          "and",
          "or",
          "of",
          "the",
          "in",
          "on",
          "with",
          "without",
          "to",
          "due",
          "for",
          "by",
          "at",
          "as",
          "not",
          "unspecified",
          "other",
          "specified",
          "nos",
          "elsewhere",
          "classified",
          "is",
          "was",
          "be",
          "been",
          "are",
          "were",
          "has",
          "had",
          "have",
          "patient",
          "pt",
          "no",
          "from",
          "this",
          "that",
          "which",
          "than",
          "also",
          "into",
          "per");

  /** SNOMED CT semantic tags (Synthea displays carry them): not part of the clinical words. */
  private static final Pattern SEMANTIC_TAG =
      Pattern.compile(
          "\\((disorder|finding|situation|procedure|morphologic abnormality|event|observable"
              + " entity|regime/therapy|qualifier value)\\)",
          Pattern.CASE_INSENSITIVE);

  private Words() {}

  static String withoutSemanticTags(String text) {
    return SEMANTIC_TAG.matcher(text).replaceAll(" ");
  }

  /** The meaningful words of {@code text}, in order, stemmed. */
  static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    String lower = withoutSemanticTags(text).toLowerCase(Locale.ROOT);
    int i = 0;
    int n = lower.length();
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(lower.charAt(i))) i++;
      int start = i;
      while (i < n && Character.isLetterOrDigit(lower.charAt(i))) i++;
      if (i > start) {
        String w = lower.substring(start, i);
        if (!STOP.contains(w)) out.add(stem(w));
      }
    }
    return out;
  }

  /**
   * Plural to singular for the common English endings; enough to match "fractures" to "fracture".
   */
  static String stem(String w) {
    if (w.length() > 4 && w.endsWith("ies")) return w.substring(0, w.length() - 3) + "y";
    if (w.length() > 4
        && w.endsWith("s")
        && !w.endsWith("ss")
        && !w.endsWith("is")
        && !w.endsWith("us")) {
      return w.substring(0, w.length() - 1);
    }
    return w;
  }
}
