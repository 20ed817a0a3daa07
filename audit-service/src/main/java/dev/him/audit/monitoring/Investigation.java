package dev.him.audit.monitoring;

/** Taking an alert up; the note is optional. */
public record Investigation(String note) {}
