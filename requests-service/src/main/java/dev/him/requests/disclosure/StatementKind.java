package dev.him.requests.disclosure;

/** How an agency asked to suspend an accounting (164.528(a)(2)). */
public enum StatementKind {
  /** For the time the written statement specifies. */
  WRITTEN,
  /** At most 30 days from the statement, unless a written statement follows. */
  ORAL
}
