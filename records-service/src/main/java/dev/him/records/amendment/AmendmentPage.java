package dev.him.records.amendment;

import java.util.List;

/** One page of requests: {@code total} matches in all, {@code page} counted from 0. */
public record AmendmentPage(long total, int page, int size, List<AmendmentView> items) {}
