package dev.him.records.deficiency;

import java.util.List;

/** One page of a deficiency queue: {@code total} rows match, {@code items} from {@code offset}. */
public record DeficiencyPage(long total, int offset, int count, List<DeficiencyView> items) {}
