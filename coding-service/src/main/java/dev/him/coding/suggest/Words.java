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
   * Joining words, and "unspecified"/"NOS" (what a text that names no type means). "Other" and
   * "specified" are not here: a text must name the type before a code for another type fits it.
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

  /**
   * Phrases of ICD-10-CM titles that say "nothing more was documented": a text that does not say
   * more fits them, so their words are not required ("Pneumonia, unspecified organism").
   */
  private static final Pattern NOTHING_MORE =
      Pattern.compile(
          "\\b(unspecified (organism|site|type|part|side|cause|nature|region|location|degree)"
              + "|(site )?not (otherwise )?specified|not elsewhere classified)\\b",
          Pattern.CASE_INSENSITIVE);

  static String withoutSemanticTags(String text) {
    return SEMANTIC_TAG.matcher(text).replaceAll(" ");
  }

  /** The meaningful words of {@code text}, in order, stemmed. */
  static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    String lower =
        NOTHING_MORE.matcher(withoutSemanticTags(text)).replaceAll(" ").toLowerCase(Locale.ROOT);
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
