package dev.him.common.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.common.access.RequestContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.MDC;

/**
 * What an outbox row carries besides its event, for the Kafka record it becomes: the correlation id
 * of the request that wrote it (header {@value #CORRELATION_ID}) and the request's W3C trace
 * context ({@code traceparent}, {@code tracestate}). The relay sends a row later than the request
 * and from its own thread, so the context is kept with the row (column {@code headers}) and the
 * record's producer span is made a child of it: the consumer's span then continues the request's
 * trace. Without tracing (the OpenTelemetry SDK off) there is no valid span and nothing is kept.
 */
public final class OutboxHeaders {
  /** Kafka header with the X-Request-Id of the request that wrote the event. */
  public static final String CORRELATION_ID = "correlation-id";

  private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

  private static final TextMapGetter<Map<String, String>> FROM_MAP =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private OutboxHeaders() {}

  /** The headers of an event written now, as JSON for the row; "" when there are none. */
  static String capture(ObjectMapper mapper) {
    Map<String, String> headers = new LinkedHashMap<>(4);
    Object requestId = MDC.get(RequestContext.LOG_KEY);
    if (requestId != null) {
      headers.put(CORRELATION_ID, requestId.toString());
    }
    Context current = Context.current();
    if (Span.fromContext(current).getSpanContext().isValid()) {
      W3CTraceContextPropagator.getInstance().inject(current, headers, Map::put);
    }
    if (headers.isEmpty()) {
      return "";
    }
    try {
      return mapper.writeValueAsString(headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("outbox headers cannot be serialised", e);
    }
  }

  /** The headers a row was written with (empty for rows without any). */
  static Map<String, String> read(ObjectMapper mapper, String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return mapper.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      return Map.of(); // diagnostics only: never a reason not to send the event
    }
  }

  /** Adds the plain headers (the correlation id) to a record's headers. */
  static void addTo(Headers record, Map<String, String> headers) {
    String correlationId = headers.get(CORRELATION_ID);
    if (correlationId != null && RequestContext.isSafeId(correlationId)) {
      record.add(CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The trace context the row was written in; null when it was written outside a trace. */
  static Context traceContext(Map<String, String> headers) {
    if (!headers.containsKey("traceparent")) {
      return null;
    }
    Context extracted =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, FROM_MAP);
    return Span.fromContext(extracted).getSpanContext().isValid() ? extracted : null;
  }
}
