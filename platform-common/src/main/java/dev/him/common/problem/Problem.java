package dev.him.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * RFC 9457 problem details. {@code invalid-params} names each offending field; {@code requestId} is
 * the correlation id to quote to support. Never carries a stack trace or a class name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    @JsonProperty("invalid-params") List<InvalidParam> invalidParams,
    String requestId) {

  public static final String MEDIA_TYPE = "application/problem+json";
}
