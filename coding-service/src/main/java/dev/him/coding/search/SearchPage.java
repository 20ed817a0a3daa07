package dev.him.coding.search;

import java.util.List;

/**
 * One page of search results.
 *
 * @param system the code system (ICD-10-CM)
 * @param version the release searched (FY2025)
 * @param total how many entries match in all
 * @param items the page, best first
 */
public record SearchPage(
    String system, String version, String q, int total, int offset, int limit, List<Item> items) {

  /**
   * One match.
   *
   * @param code as people write it (E11.9)
   * @param codeWithoutDot as the agency files carry it (E119)
   * @param description the long description
   * @param match how it matched: code (the code typed), code-prefix (a code starting with what was
   *     typed) or words (every query word starts a word of its text)
   */
  public record Item(
      String code, String codeWithoutDot, boolean billable, String description, String match) {}
}
