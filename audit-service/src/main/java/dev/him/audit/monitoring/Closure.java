package dev.him.audit.monitoring;

/** Closing an alert: how it ended, and a note (required for VIOLATION_CONFIRMED and REFERRED). */
public record Closure(String disposition, String note) {}
