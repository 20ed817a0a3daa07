package dev.him.coding.codeset;

/**
 * The release is loaded already from a different file (another SHA-256). A version names one
 * content: a changed file must come as a new version, so the import is refused and nothing changes.
 */
public class ReleaseConflictException extends RuntimeException {
  public ReleaseConflictException(Release release, String loadedSha256, String fileSha256) {
    super(
        release.codeSystem()
            + " "
            + release.version()
            + " is already loaded from a file with SHA-256 "
            + loadedSha256
            + "; "
            + release.sourceName()
            + " has SHA-256 "
            + fileSha256
            + ". A changed file must be imported as a new version.",
        null,
        false,
        false);
  }
}
