package dev.him.requests.roi;

import dev.him.requests.workflow.RequestMoved;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code him_requests_total{legal_basis}}: release-of-information requests received, by the legal
 * basis they were made under ({@link RequestType}: right of access, authorization, subpoena, court
 * order, treatment, required by law, other), counted once their intake has committed. Every basis
 * is registered at start, so a rate over a basis never seen yet is 0, not absent. Counts only:
 * which patient or requester is never a tag.
 */
@Startup
@ApplicationScoped
public class RequestMetrics {
  @Inject MeterRegistry registry;

  private final Map<RequestType, Counter> received = new EnumMap<>(RequestType.class);

  @PostConstruct
  void register() {
    for (RequestType basis : RequestType.values()) {
      received.put(
          basis,
          Counter.builder("him.requests")
              .description("Release-of-information requests received, by legal basis")
              .tag("legal_basis", tagValue(basis))
              .register(registry));
    }
  }

  void onReceived(@Observes(during = TransactionPhase.AFTER_SUCCESS) RequestMoved moved) {
    if (moved.from() == null && moved.request().requestType != null) {
      received.get(moved.request().requestType).increment();
    }
  }

  /** right-of-access, authorization, court-order ...: the spelling of him.roi.due-days.* */
  static String tagValue(RequestType basis) {
    return basis.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
