package dev.him.audit.ingest;

import dev.him.common.outbox.OutboxHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Continues the producers' traces into ingestion: the ingester reads records with its own Kafka
 * consumer (offsets in the database), which no instrumentation sees, so for every record that
 * carries a trace context (traceparent, put there by the producer's span) it opens a CONSUMER span
 * "{topic} process" as that context's child, kept open while the record's batch is appended to its
 * chain. A trace then runs gateway → service → outbox → Kafka → audit. Without tracing (the
 * OpenTelemetry SDK off) the propagator finds nothing and no span is made.
 */
@ApplicationScoped
public class IngestTracing {
  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  private static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("messaging.operation.type");
  private static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  private static final AttributeKey<String> PARTITION =
      AttributeKey.stringKey("messaging.destination.partition.id");
  private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
  private static final AttributeKey<String> MESSAGE_ID =
      AttributeKey.stringKey("messaging.message.id");
  private static final AttributeKey<String> GROUP =
      AttributeKey.stringKey("messaging.consumer.group.name");
  private static final AttributeKey<String> CORRELATION_ID =
      AttributeKey.stringKey("him.correlation_id");

  private static final TextMapGetter<Headers> FROM_HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
          return StreamSupport.stream(carrier.spliterator(), false).map(Header::key).toList();
        }

        @Override
        public String get(Headers carrier, String key) {
          Header h = carrier == null ? null : carrier.lastHeader(key);
          return h == null || h.value() == null
              ? null
              : new String(h.value(), StandardCharsets.UTF_8);
        }
      };

  @Inject OpenTelemetry openTelemetry;

  private Tracer tracer;
  private TextMapPropagator propagator;

  @PostConstruct
  void init() {
    tracer = openTelemetry.getTracer("dev.him.audit.ingest");
    propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /** Spans of one partition's batch, ended together once the batch is stored or has failed. */
  public final class BatchSpans {
    private final List<Span> spans;

    private BatchSpans(List<Span> spans) {
      this.spans = spans;
    }

    public void stored() {
      spans.forEach(Span::end);
    }

    public void failed(Throwable error) {
      for (Span s : spans) {
        s.recordException(error);
        s.setStatus(StatusCode.ERROR, "not stored; the batch is retried");
        s.end();
      }
    }
  }

  /** Opens the spans of a partition's records that carry a trace context. */
  public BatchSpans start(
      String groupId, String topic, int partition, List<ConsumerRecord<String, byte[]>> records) {
    List<Span> spans = new ArrayList<>(0);
    for (ConsumerRecord<String, byte[]> r : records) {
      if (r.headers().lastHeader("traceparent") == null) {
        continue;
      }
      Context parent = propagator.extract(Context.root(), r.headers(), FROM_HEADERS);
      if (!Span.fromContext(parent).getSpanContext().isValid()) {
        continue;
      }
      var span =
          tracer
              .spanBuilder(topic + " process")
              .setParent(parent)
              .setSpanKind(SpanKind.CONSUMER)
              .setAttribute(SYSTEM, "kafka")
              .setAttribute(OPERATION, "process")
              .setAttribute(DESTINATION, topic)
              .setAttribute(PARTITION, Integer.toString(partition))
              .setAttribute(OFFSET, r.offset())
              .setAttribute(GROUP, groupId);
      String eventId = FROM_HEADERS.get(r.headers(), "event-id");
      if (eventId != null) {
        span.setAttribute(MESSAGE_ID, eventId);
      }
      String correlationId = FROM_HEADERS.get(r.headers(), OutboxHeaders.CORRELATION_ID);
      if (correlationId != null) {
        span.setAttribute(CORRELATION_ID, correlationId);
      }
      spans.add(span.startSpan());
    }
    return new BatchSpans(spans);
  }
}
