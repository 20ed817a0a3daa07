package dev.him.coding.suggest;

import java.util.List;

/**
 * An ICD-10-CM code proposed for a case, with why.
 *
 * @param score 0..1: how completely the code's title (or an inclusion term) is found in the text,
 *     raised a little by each further piece of evidence; 1 for a code the sender recorded as
 *     ICD-10-CM and that is valid
 */
public record Suggestion(String code, String display, double score, List<Evidence> evidence) {

  /**
   * @param source see {@link SourceText#source()}
   * @param words the words of the source that matched
   * @param matchedText the code title or inclusion term they matched
   * @param matchedKind "title", "inclusionTerm" or "includes" (tabular notes of the code), or
   *     "recordedCode"
   * @param excerpt the sentence or phrase of the source where the words are
   */
  public record Evidence(
      String source,
      String label,
      List<String> words,
      String matchedText,
      String matchedKind,
      String excerpt) {}
}
