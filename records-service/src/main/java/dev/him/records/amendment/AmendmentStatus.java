package dev.him.records.amendment;

import java.util.List;

/**
 * Where a request stands, and the steps it allows next. RECEIVED and EXTENDED are open (the clock
 * runs); ACCEPTED and REBUTTED end the trail; a denial waits for the individual's disagreement, and
 * a disagreement for the covered entity's rebuttal, neither of which has to come.
 */
public enum AmendmentStatus {
  RECEIVED(List.of("extension", "accept", "deny")),
  EXTENDED(List.of("accept", "deny")),
  ACCEPTED(List.of()),
  DENIED(List.of("disagreement")),
  DISAGREED(List.of("rebuttal")),
  REBUTTED(List.of());

  /** Literal SQL for the open statuses, as the partial index amendment_request_open_due has it. */
  static final String OPEN_SQL = "('RECEIVED', 'EXTENDED')";

  private final List<String> allowedSteps;

  AmendmentStatus(List<String> allowedSteps) {
    this.allowedSteps = allowedSteps;
  }

  public List<String> allowedSteps() {
    return allowedSteps;
  }

  public boolean isOpen() {
    return this == RECEIVED || this == EXTENDED;
  }
}
