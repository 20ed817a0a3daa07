package dev.him.audit.monitoring;

import java.util.List;

/** A page of the alert queue with the number of alerts that match. */
public record AlertPage(long total, int count, int offset, List<AlertView> alerts) {}
