package dev.him.common.problem;

/** One offending field: its JSON path (or query parameter name) and why it was refused. */
public record InvalidParam(String name, String reason) {}
