package dev.him.coding.icd10cm;

import java.time.LocalDate;

/**
 * An ICD-10-CM code as the API returns it.
 *
 * @param code the code as people write it, with the dot: E11.9
 * @param codeWithoutDot the code as claims and the CDC files carry it: E119
 * @param billable whether it may be reported; header codes (E11) may not
 * @param codeSetVersion the release it comes from: FY2025
 * @param effectiveFrom the day that release came into force
 */
public record Icd10CmCodeView(
    String code,
    String codeWithoutDot,
    boolean billable,
    String shortDescription,
    String longDescription,
    String codeSetVersion,
    LocalDate effectiveFrom) {}
