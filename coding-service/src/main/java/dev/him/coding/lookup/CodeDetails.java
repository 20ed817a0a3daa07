package dev.him.coding.lookup;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;

/**
 * A code as the lookup returns it.
 *
 * @param system ICD-10-CM, ICD-10-PCS or HCPCS
 * @param code the code as people write it, with the dot for ICD-10-CM: E11.9
 * @param codeWithoutDot the code as claims and the agency files carry it: E119
 * @param billable whether it may be reported: false for ICD-10-CM headers (E11), HCPCS modifiers
 *     and HCPCS codes terminated before the release
 * @param codeSetVersion the release answered from: FY2025
 * @param effectiveFrom the day that release came into force
 * @param parent ICD-10-CM: the nearest shorter code present in the release; absent otherwise
 * @param children ICD-10-CM: the codes whose parent this is, in tabular order
 * @param notesVersion ICD-10-CM: the tabular release the notes come from (absent when none is
 *     loaded; notes and seventhCharacters are then absent too)
 * @param notes ICD-10-CM tabular notes that apply: the code's own, then those it inherits from its
 *     subcategories, category, section and chapter, each saying where it comes from
 * @param seventhCharacters ICD-10-CM: the 7th-character definitions that apply (from the nearest
 *     level that has them), absent when none do
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CodeDetails(
    String system,
    String code,
    String codeWithoutDot,
    boolean billable,
    String shortDescription,
    String longDescription,
    String codeSetVersion,
    LocalDate effectiveFrom,
    CodeRef parent,
    List<CodeRef> children,
    String notesVersion,
    List<Note> notes,
    SeventhCharacters seventhCharacters) {

  /** Another code of the same release (parent or child). */
  public record CodeRef(String code, String codeWithoutDot, boolean billable, String description) {}

  /**
   * A tabular note.
   *
   * @param kind as in the tabular: inclusionTerm, includes, excludes1, excludes2, codeFirst,
   *     useAdditionalCode, codeAlso, notes
   * @param from where it sits: the code (E11.9), a category (E11), a section (E08-E13) or a chapter
   *     (chapter 4)
   * @param level code, subcategory, category, section or chapter
   */
  public record Note(String kind, String text, String from, String level) {}

  /**
   * The 7th characters that complete the code.
   *
   * @param from the code or category that defines them (S72)
   * @param notes the tabular's sevenChrNote texts there
   */
  public record SeventhCharacters(String from, List<String> notes, List<Definition> definitions) {}

  /**
   * @param applies true for the definition of this code's own 7th character (S72.001A: A)
   */
  public record Definition(String character, String text, boolean applies) {}
}
