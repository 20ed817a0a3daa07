package dev.him.requests.workflow;

import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import java.util.List;

/** The request version a caller read, from If-Match ("3", 3 or W/"3"). */
public final class IfMatch {
  private IfMatch() {}

  /** The version; 428 when the header is missing, since a move must name what it saw. */
  public static long required(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank()) {
      throw new ProblemException(
          428,
          "Precondition required",
          "If-Match: send the version of the request you read",
          List.of(new InvalidParam("If-Match", "required, e.g. \"0\"")));
    }
    return version(ifMatch);
  }

  /** The version, or null when the header is absent. */
  public static Long optional(String ifMatch) {
    return ifMatch == null || ifMatch.isBlank() ? null : version(ifMatch);
  }

  private static long version(String ifMatch) {
    String v = ifMatch.strip();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    try {
      return Long.parseLong(v.replace("\"", ""));
    } catch (NumberFormatException e) {
      throw ProblemException.badRequest("If-Match", "must be the request's version, e.g. \"0\"");
    }
  }
}
