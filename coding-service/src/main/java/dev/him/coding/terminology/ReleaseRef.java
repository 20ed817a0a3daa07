package dev.him.coding.terminology;

import java.time.LocalDate;

/**
 * One loaded release of a code system, as a lookup or search answers from it.
 *
 * @param importId the code_set_import row: a release that is loaded again gets a new one, so
 *     anything built from the release is keyed by it
 * @param effectiveTo last day in force, or null while no later release replaces it
 * @param notes for ICD-10-CM, the tabular release whose notes and inclusion terms go with this
 *     release (the latest one effective on or before it); null when none is loaded
 */
public record ReleaseRef(
    CodeSystemId system,
    long importId,
    String version,
    LocalDate effectiveFrom,
    LocalDate effectiveTo,
    NotesRef notes) {

  /** The ICD-10-CM tabular release (notes, inclusion terms) that goes with a code release. */
  public record NotesRef(long importId, String version) {}

  public String notesVersion() {
    return notes == null ? null : notes.version();
  }
}
