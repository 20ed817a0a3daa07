package dev.him.records.retention;

import java.time.LocalDate;
import java.util.List;

/**
 * Records past retention as of a day and not on legal hold (unless held ones were asked for, then
 * flagged), oldest retention end first; {@code total} in all, {@code page} counted from 0.
 */
public record RetentionReport(
    LocalDate asOf,
    Policy policy,
    boolean includesHeld,
    long total,
    int page,
    int size,
    List<RetentionItem> items) {

  /** The policy the report applied. */
  public record Policy(int adultYears, int majorityAge, int minorYearsAfterMajority) {}
}
