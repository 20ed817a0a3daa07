package dev.him.infra.testing;

import dev.him.infra.KafkaBroker;
import dev.him.infra.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * Starts a real Kafka broker (KRaft) for a service's {@code @QuarkusTest}s. When bootstrap servers
 * are configured from outside (KAFKA_BOOTSTRAP_SERVERS), that cluster is used instead.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {
  private KafkaBroker broker;

  @Override
  public Map<String, String> start() {
    if (System.getenv("KAFKA_BOOTSTRAP_SERVERS") != null
        || System.getProperty("kafka.bootstrap.servers") != null) {
      return Map.of();
    }
    try {
      broker =
          KafkaBroker.start(
              Files.createTempDirectory("him-test-kafka"), Ports.free(), Ports.free());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.close();
    }
  }
}
