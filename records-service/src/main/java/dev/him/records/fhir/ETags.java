package dev.him.records.fhir;

import dev.him.common.problem.ProblemException;
import jakarta.ws.rs.core.EntityTag;

/** FHIR versions as weak ETags: W/"3". */
public final class ETags {
  private ETags() {}

  public static EntityTag of(int version) {
    return new EntityTag(String.valueOf(version), true);
  }

  /** If-Match: W/"3", "3" or 3; anything else is a 400 naming the header. */
  public static int parseIfMatch(String ifMatch) {
    String v = ifMatch.strip();
    if (v.startsWith("W/")) v = v.substring(2);
    v = v.replace("\"", "");
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ProblemException.badRequest("If-Match", "must be the ETag of a version, like W/\"3\"");
    }
  }
}
