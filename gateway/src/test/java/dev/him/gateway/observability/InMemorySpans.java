package dev.him.gateway.observability;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The spans the gateway exports, kept in memory for the tracing tests (a test exporter: with a
 * SpanExporter bean Quarkus uses it instead of OTLP). Only GatewayTracingTest switches the SDK on.
 */
@ApplicationScoped
public class InMemorySpans {
  @Produces
  @Singleton
  InMemorySpanExporter exporter() {
    return InMemorySpanExporter.create();
  }
}
