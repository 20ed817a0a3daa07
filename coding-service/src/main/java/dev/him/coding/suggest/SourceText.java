package dev.him.coding.suggest;

/**
 * Text a suggestion can come from.
 *
 * @param source where it is from, as the coder would find it: "condition:{id}", "reason",
 *     "document:{id}"
 * @param label what it is: the condition's display, "Encounter reason", the document type
 * @param code for recorded conditions, the code the sender gave (any system), else null
 * @param system the code's system URI, else null
 */
public record SourceText(String source, String label, String text, String system, String code) {
  public static SourceText text(String source, String label, String text) {
    return new SourceText(source, label, text, null, null);
  }
}
