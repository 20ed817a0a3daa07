package dev.him.records.deficiency;

import java.util.Set;

/**
 * A configured deficiency rule.
 *
 * @param severity high, medium or low
 * @param appliesTo the encounter classes (v3 ActCode: IMP, EMER, AMB...) it applies to; empty for
 *     every class
 * @param kind the evaluator ({@link Check#KINDS})
 */
public record Rule(
    String code,
    String description,
    String severity,
    Set<String> appliesTo,
    String kind,
    Check check,
    boolean enabled) {

  public boolean appliesTo(String encounterClass) {
    return appliesTo.isEmpty() || (encounterClass != null && appliesTo.contains(encounterClass));
  }
}
