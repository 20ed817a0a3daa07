package dev.him.audit.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The scheduled job's pause after failed passes. */
class BackoffTest {
  @Test
  void doublesFromOneSecondUpToTheMaximum() {
    Duration max = Duration.ofMinutes(1);
    assertThat(PrivacyMonitor.backoff(1, max)).isEqualTo(Duration.ofSeconds(1));
    assertThat(PrivacyMonitor.backoff(2, max)).isEqualTo(Duration.ofSeconds(2));
    assertThat(PrivacyMonitor.backoff(6, max)).isEqualTo(Duration.ofSeconds(32));
    assertThat(PrivacyMonitor.backoff(7, max)).isEqualTo(max);
    assertThat(PrivacyMonitor.backoff(500, max)).isEqualTo(max);
  }
}
