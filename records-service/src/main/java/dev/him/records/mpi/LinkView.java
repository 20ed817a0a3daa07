package dev.him.records.mpi;

import java.time.Instant;
import java.util.UUID;

/**
 * One merge in the link history: the source now redirects to the survivor (status active), or the
 * merge was undone (status undone, with who, when and why).
 *
 * @param movedResources clinical resources the merge moved from the source to the survivor
 * @param restoredResources of those, how many the unmerge moved back (null until undone)
 */
public record LinkView(
    UUID id,
    String status,
    String sourceId,
    String sourceMrn,
    String survivorId,
    String survivorMrn,
    UUID candidateId,
    int movedResources,
    String mergedBy,
    Instant mergedAt,
    String reason,
    String undoneBy,
    Instant undoneAt,
    String undoReason,
    Integer restoredResources) {}
