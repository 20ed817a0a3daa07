package dev.him.requests.roi;

/** Where a request stands. Every request starts as RECEIVED; the workflow adds the next states. */
public enum RoiStatus {
  RECEIVED
}
