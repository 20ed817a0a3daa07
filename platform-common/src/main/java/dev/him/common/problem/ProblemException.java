package dev.him.common.problem;

import java.util.List;

/** Thrown by services to answer with a specific problem; mapped by {@link ExceptionMappers}. */
public class ProblemException extends RuntimeException {
  private final int status;
  private final String title;
  private final List<InvalidParam> invalidParams;

  public ProblemException(int status, String title, String detail, List<InvalidParam> params) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.invalidParams = params == null ? List.of() : List.copyOf(params);
  }

  public static ProblemException badRequest(String field, String reason) {
    return new ProblemException(
        400, "Invalid request", field + ": " + reason, List.of(new InvalidParam(field, reason)));
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "Not found", detail, List.of());
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public List<InvalidParam> invalidParams() {
    return invalidParams;
  }
}
