package dev.him.requests.records;

import jakarta.ws.rs.WebApplicationException;

/** records-service answered with a 4xx: a definite answer, never retried. */
class RecordsRefusal extends RuntimeException {
  final int status;

  RecordsRefusal(int status) {
    super("records-service answered " + status);
    this.status = status;
  }

  /** 4xx becomes a refusal; 5xx stays a failure that is retried and counted. */
  static RuntimeException orRethrow(WebApplicationException e) {
    int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
    return status >= 400 && status < 500 ? new RecordsRefusal(status) : e;
  }
}
