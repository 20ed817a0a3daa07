package dev.him.coding.edits;

import java.util.Set;

/**
 * The Medicare Code Editor list names as {@code mce_code_edit.edit_type} holds them (the
 * MCE_Edit_Type column of CMS's "Definitions of Medicare Code Edits" lists).
 */
public final class MceLists {
  public static final String NEWBORN = "Newborn_Only";
  public static final String PEDIATRIC = "Pediatric_Only";
  public static final String MATERNITY = "Maternity_Only";
  public static final String ADULT = "Adult_Only";
  public static final String FEMALE = "Female_Only";
  public static final String MALE = "Male_Only";
  public static final String MANIFESTATION = "Principal_Manifestation";
  public static final String QUESTIONABLE_ADMISSION = "Principal_Questionable_Admit";
  public static final String UNACCEPTABLE_PRINCIPAL = "Principal_Unacceptable";
  public static final String NONCOVERED_ALWAYS = "Noncovered_Always";
  public static final String NONCOVERED_OVER_60 = "Noncovered_Over60";
  public static final String NONCOVERED_LOS_96_HOURS = "Noncovered_LOS_96hr";
  public static final String LIMITED_COVERAGE = "Limited_Coverage";
  public static final String WRONG_PROCEDURE = "Wrong_Performed";

  public static final Set<String> ALL =
      Set.of(
          NEWBORN,
          PEDIATRIC,
          MATERNITY,
          ADULT,
          FEMALE,
          MALE,
          MANIFESTATION,
          QUESTIONABLE_ADMISSION,
          UNACCEPTABLE_PRINCIPAL,
          NONCOVERED_ALWAYS,
          NONCOVERED_OVER_60,
          NONCOVERED_LOS_96_HOURS,
          LIMITED_COVERAGE,
          WRONG_PROCEDURE);

  private MceLists() {}
}
