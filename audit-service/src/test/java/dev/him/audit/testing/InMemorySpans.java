package dev.him.audit.testing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The spans this service exports, kept in memory for the tracing tests (a test exporter: with a
 * SpanExporter bean Quarkus uses it instead of OTLP). Only IngestTracingTest switches the SDK on.
 */
@ApplicationScoped
public class InMemorySpans {
  @Produces
  @Singleton
  InMemorySpanExporter exporter() {
    return InMemorySpanExporter.create();
  }
}
