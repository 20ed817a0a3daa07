package dev.him.requests.workflow;

import java.util.Locale;
import java.util.Optional;

/**
 * Where an open request stands against its due date; final requests have none. The query values are
 * due, at-risk and overdue.
 */
public enum DueState {
  /** Open and not past its due date. */
  DUE,
  /** Open and due within him.roi.at-risk-days (today included); also DUE. */
  AT_RISK,
  /** Open and past its due date. */
  OVERDUE;

  public String queryValue() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static Optional<DueState> parse(String value) {
    for (DueState s : values()) {
      if (s.queryValue().equalsIgnoreCase(value) || s.name().equalsIgnoreCase(value)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
