package dev.him.infra.testing;

import dev.him.infra.Folders;
import dev.him.infra.KafkaBroker;
import dev.him.infra.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a real Kafka broker (KRaft) for a service's {@code @QuarkusTest}s. When bootstrap servers
 * are configured from outside (KAFKA_BOOTSTRAP_SERVERS), that cluster is used instead.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {
  private KafkaBroker broker;
  private java.nio.file.Path dir;

  @Override
  public Map<String, String> start() {
    if (System.getenv("KAFKA_BOOTSTRAP_SERVERS") != null
        || System.getProperty("kafka.bootstrap.servers") != null) {
      return Map.of();
    }
    dir = Folders.temporary("him-test-kafka");
    broker = KafkaBroker.start(dir, Ports.free(), Ports.free());
    return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.close();
    }
    Folders.deleteTree(dir);
  }
}
