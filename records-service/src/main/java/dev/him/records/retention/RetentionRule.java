package dev.him.records.retention;

/** Which term of the retention policy ends a record's retention last. */
public enum RetentionRule {
  /** Last activity plus him.retention.adult-years. */
  ADULT,
  /** Majority plus him.retention.minor-years-after-majority: later than the adult term. */
  MINOR
}
