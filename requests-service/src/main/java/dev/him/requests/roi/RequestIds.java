package dev.him.requests.roi;

import dev.him.common.problem.ProblemException;
import java.util.UUID;

/** Request ids in paths: something that is not a UUID names no request, so it is a 404. */
public final class RequestIds {
  private RequestIds() {}

  public static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("No release-of-information request has this id");
    }
  }
}
