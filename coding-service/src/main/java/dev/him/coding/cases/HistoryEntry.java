package dev.him.coding.cases;

import java.time.Instant;

/** Who did what to a case, when, why (reopen, withdraw) and what changed. */
public record HistoryEntry(Instant at, String actor, String action, String reason, String detail) {}
