package dev.him.records.retention;

import java.util.List;

/** One page of holds: {@code total} matches in all, {@code page} counted from 0. */
public record LegalHoldPage(long total, int page, int size, List<LegalHoldView> items) {}
