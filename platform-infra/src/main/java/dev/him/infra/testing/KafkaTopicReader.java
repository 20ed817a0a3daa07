package dev.him.infra.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning, as a new consumer group, to check what was published. */
public final class KafkaTopicReader {
  private KafkaTopicReader() {}

  /**
   * The first record value matching {@code wanted}, or null if none arrives within {@code timeout}.
   */
  public static String find(
      String bootstrap, String topic, Predicate<String> wanted, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
          if (wanted.test(r.value())) {
            return r.value();
          }
        }
      }
    }
    return null;
  }

  /**
   * Every value on the topic so far (waits at most {@code timeout} for the end of each partition).
   */
  public static List<String> readAll(String bootstrap, String topic, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(300)).forEach(r -> values.add(r.value()));
        if (!consumer.assignment().isEmpty()
            && consumer.assignment().stream()
                .allMatch(
                    tp -> consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp))) {
          break;
        }
      }
    }
    return values;
  }
}
