package dev.him.audit.monitoring;

/** Where an alert is in the privacy officer's queue. */
public enum AlertStatus {
  OPEN,
  INVESTIGATING,
  CLOSED
}
