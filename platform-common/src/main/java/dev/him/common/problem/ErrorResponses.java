package dev.him.common.problem;

import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds error responses in the form the caller's API speaks: FHIR endpoints ({@code /fhir/...})
 * get an OperationOutcome, everything else RFC 9457 problem+json. Kept free of HAPI so that every
 * service, FHIR or not, shares it.
 */
public final class ErrorResponses {
  public static final String FHIR_JSON = "application/fhir+json";

  private ErrorResponses() {}

  public static boolean isFhirPath(String path) {
    return path != null && (path.startsWith("/fhir/") || path.equals("/fhir"));
  }

  public static Response build(
      String path,
      int status,
      String title,
      String detail,
      List<InvalidParam> params,
      String requestId) {
    Response.ResponseBuilder builder = Response.status(status);
    if (status == 401) {
      builder.header("WWW-Authenticate", "Bearer realm=\"him\"");
    }
    if (isFhirPath(path)) {
      return builder
          .type(FHIR_JSON)
          .entity(operationOutcome(status, title, detail, params, requestId))
          .build();
    }
    String type = "https://him.dev/problems/" + slug(title);
    return builder
        .type(Problem.MEDIA_TYPE)
        .entity(
            new Problem(
                type,
                title,
                status,
                detail,
                path,
                params == null || params.isEmpty() ? null : params,
                requestId))
        .build();
  }

  /** A minimal OperationOutcome, one issue per invalid field (FHIRPath in {@code expression}). */
  public static Map<String, Object> operationOutcome(
      int status, String title, String detail, List<InvalidParam> params, String requestId) {
    List<Map<String, Object>> issues = new ArrayList<>();
    String code = issueCode(status);
    if (params == null || params.isEmpty()) {
      issues.add(issue(code, detail == null ? title : detail, null));
    } else {
      for (InvalidParam p : params) {
        issues.add(issue(code, p.reason(), p.name()));
      }
    }
    Map<String, Object> outcome = new LinkedHashMap<>();
    outcome.put("resourceType", "OperationOutcome");
    if (requestId != null) {
      outcome.put("id", requestId);
    }
    outcome.put("issue", issues);
    return outcome;
  }

  private static Map<String, Object> issue(String code, String diagnostics, String expression) {
    Map<String, Object> issue = new LinkedHashMap<>();
    issue.put("severity", "error");
    issue.put("code", code);
    issue.put("diagnostics", diagnostics);
    if (expression != null) {
      issue.put("expression", List.of(expression));
    }
    return issue;
  }

  /** FHIR issue-type codes (http://hl7.org/fhir/issue-type) for HTTP statuses. */
  public static String issueCode(int status) {
    return switch (status) {
      case 400, 422 -> "invalid";
      case 401 -> "login";
      case 403 -> "forbidden";
      case 404, 410 -> "not-found";
      case 409, 412 -> "conflict";
      case 429 -> "throttled";
      default -> status >= 500 ? "exception" : "processing";
    };
  }

  private static String slug(String title) {
    return title == null ? "error" : title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
  }
}
