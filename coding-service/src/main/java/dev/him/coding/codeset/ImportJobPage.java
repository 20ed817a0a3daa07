package dev.him.coding.codeset;

import java.util.List;

/** One page of import jobs, newest first: {@code total} jobs in all, {@code page} from 0. */
public record ImportJobPage(long total, int page, int size, List<ImportJobView> items) {}
