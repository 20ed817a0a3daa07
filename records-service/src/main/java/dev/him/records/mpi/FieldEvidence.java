package dev.him.records.mpi;

/**
 * How one field of two patients compares, and what that added to the score.
 *
 * @param agreement exact, phonetic, similar, initial, partial, exact-value, different or missing
 * @param weight the field's contribution to the score (negative when it speaks against a match)
 */
public record FieldEvidence(String agreement, double weight) {}
