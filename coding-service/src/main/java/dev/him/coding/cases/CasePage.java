package dev.him.coding.cases;

import java.util.List;

/** One page of the work queue: {@code total} cases match, {@code items} from {@code offset}. */
public record CasePage(long total, int offset, int count, List<CaseSummary> items) {}
