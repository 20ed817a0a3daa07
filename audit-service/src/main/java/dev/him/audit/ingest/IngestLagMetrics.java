package dev.him.audit.ingest;

import dev.him.common.metrics.PolledValues;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code him_audit_ingest_lag}: records on the ingested topics not yet in the audit trail, i.e. for
 * every partition the broker's end offset minus the offset its chain resumes from ({@code
 * audit_chain.next_offset}, which commits with the entries), summed. The database is the truth
 * here, not Kafka's committed offsets (which the ingester only advances afterwards). A partition
 * with no chain yet counts from its first offset still on the broker.
 */
@Startup
@ApplicationScoped
public class IngestLagMetrics {
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(5);

  @Inject AgroalDataSource db;
  @Inject MeterRegistry registry;

  @ConfigProperty(name = "him.audit.ingest.topics")
  List<String> topics;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "him.metrics.stale-after", defaultValue = "60s")
  Duration staleAfter;

  private PolledValues lag;
  private Admin admin;

  @PostConstruct
  void register() {
    lag =
        PolledValues.single("audit ingestion lag", staleAfter, this::lag)
            .gauge(
                registry,
                "him.audit.ingest.lag",
                "Records on the ingested Kafka topics not yet stored in the audit trail",
                PolledValues.SINGLE,
                Tags.empty());
  }

  @Scheduled(
      every = "${him.metrics.refresh:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    lag.refresh();
  }

  @PreDestroy
  synchronized void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
      admin = null;
    }
  }

  long lag() throws Exception {
    List<TopicPartition> partitions = partitions();
    if (partitions.isEmpty()) {
      return 0;
    }
    Map<TopicPartition, Long> stored = storedNextOffsets();
    Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
    List<TopicPartition> unseen =
        partitions.stream().filter(tp -> !stored.containsKey(tp)).toList();
    Map<TopicPartition, Long> start =
        unseen.isEmpty() ? Map.of() : offsets(unseen, OffsetSpec.earliest());
    long total = 0;
    for (TopicPartition tp : partitions) {
      long from = stored.containsKey(tp) ? stored.get(tp) : start.getOrDefault(tp, 0L);
      total += Math.max(0, end.getOrDefault(tp, from) - from);
    }
    return total;
  }

  /** The partitions of the ingested topics that exist on the broker. */
  private List<TopicPartition> partitions() throws Exception {
    Map<String, KafkaFuture<TopicDescription>> described =
        admin().describeTopics(topics).topicNameValues();
    List<TopicPartition> out = new java.util.ArrayList<>();
    for (Map.Entry<String, KafkaFuture<TopicDescription>> e : described.entrySet()) {
      try {
        e.getValue()
            .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .partitions()
            .forEach(p -> out.add(new TopicPartition(e.getKey(), p.partition())));
      } catch (ExecutionException x) {
        if (!(x.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw x;
        } // a topic nobody has published to yet: nothing to lag behind
      }
    }
    return out;
  }

  private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
      throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    Map<TopicPartition, ListOffsetsResultInfo> result =
        admin()
            .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .all()
            .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Map<TopicPartition, Long> out = new HashMap<>();
    result.forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  private Map<TopicPartition, Long> storedNextOffsets() throws Exception {
    Map<TopicPartition, Long> out = new HashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement("select topic, partition_no, next_offset from audit_chain")) {
      q.setQueryTimeout(5);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
        }
      }
    }
    return out;
  }

  private synchronized Admin admin() {
    if (admin == null) {
      Properties p = new Properties();
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(
          AdminClientConfig.CLIENT_ID_CONFIG, "audit-ingest-lag-" + ProcessHandle.current().pid());
      p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
      p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
      admin = Admin.create(p);
    }
    return admin;
  }
}
