package dev.him.events.v1;

/** Whether the access happened, or why it was refused. */
public enum AccessOutcome {
  SUCCESS,
  /** 401: no valid token. */
  UNAUTHENTICATED,
  /** 403: valid token, but no role that allows it. */
  FORBIDDEN
}
