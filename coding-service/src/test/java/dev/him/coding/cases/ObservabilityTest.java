package dev.him.coding.cases;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.coding.testing.CodingReleases;
import dev.him.coding.testing.Db;
import dev.him.coding.testing.Discharge;
import dev.him.events.v1.EncounterDischarged;
import dev.him.events.v1.Topics;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What operations see of the coding work: him_coding_backlog on GET /q/metrics, and the consumer's
 * log lines carrying the correlation id of the request that caused the event.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class ObservabilityTest {
  @AfterAll
  static void unloadReleases() {
    CodingReleases.unloadWhatTestsLoaded();
  }

  static final LocalDate DAY = LocalDate.of(2025, 11, 20);

  @Inject AgroalDataSource ds;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @BeforeEach
  void releases() {
    CodingReleases.ensureLoaded();
  }

  long cases(String encounterId) {
    return new Db(ds).count("select count(*) from coding_case where encounter_id = ?", encounterId);
  }

  static double backlog(String status) {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher m =
        Pattern.compile(
                "^him_coding_backlog\\{status=\"" + status + "\",?\\} (\\S+)$", Pattern.MULTILINE)
            .matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  @TestSecurity(user = "cora", roles = "coder")
  void theBacklogGaugeCountsTheCasesNotFinalByStatusAsTheBacklogReportDoes() throws Exception {
    Discharge d = new Discharge(DAY);
    d.publish(bootstrap, json);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> cases(d.encounterId) == 1);

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              JsonPath report =
                  given()
                      .get("/api/coding/reports/backlog")
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath();
              Map<String, Integer> byStatus = report.getMap("byStatus");
              return CaseStatus.NOT_FINAL.stream()
                      .allMatch(s -> backlog(s) == byStatus.getOrDefault(s, 0).doubleValue())
                  && report.getLong("count")
                      == CaseStatus.NOT_FINAL.stream().mapToDouble(s -> backlog(s)).sum();
            });
    assertThat(backlog(CaseStatus.OPEN)).isGreaterThanOrEqualTo(1);
    assertThat(backlog(CaseStatus.FINAL)).isNaN(); // final cases are not waiting: no series
  }

  /** Keeps the log context of this class's log records, by message. */
  static final class MdcCapture extends Handler {
    final Map<String, String> requestIdByMessage = new ConcurrentHashMap<>();

    @Override
    public void publish(LogRecord record) {
      if (record instanceof ExtLogRecord ext) {
        String requestId = ext.getMdc("requestId");
        requestIdByMessage.put(ext.getFormattedMessage(), requestId == null ? "" : requestId);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    String forEvent(Object eventId) {
      return requestIdByMessage.entrySet().stream()
          .filter(e -> e.getKey().contains(eventId.toString()))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse(null);
    }
  }

  @Test
  void theConsumersLogLinesCarryTheCorrelationIdOfTheEvent() throws Exception {
    Logger logger = Logger.getLogger(EncounterEventsConsumer.class.getName());
    java.util.logging.Level before = logger.getLevel();
    MdcCapture capture = new MdcCapture();
    logger.setLevel(Level.DEBUG);
    logger.addHandler(capture);
    try {
      // as the outbox relay sends it: the request's id in the correlation-id header
      Discharge relayed = new Discharge(DAY);
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        ProducerRecord<String, String> r =
            new ProducerRecord<>(
                Topics.ENCOUNTER_EVENTS,
                relayed.patientId,
                json.writeValueAsString(relayed.event()));
        r.headers()
            .add("event-type", EncounterDischarged.TYPE.getBytes(StandardCharsets.UTF_8))
            .add("event-version", "1".getBytes(StandardCharsets.UTF_8))
            .add("correlation-id", "req-from-header".getBytes(StandardCharsets.UTF_8));
        producer.send(r).get();
      }
      // from an older producer, without the header: the event's own correlationId
      Discharge older = new Discharge(DAY);
      older.publish(bootstrap, json);

      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  capture.forEvent(relayed.eventId) != null
                      && capture.forEvent(older.eventId) != null);
      assertThat(capture.forEvent(relayed.eventId)).isEqualTo("req-from-header");
      assertThat(capture.forEvent(older.eventId)).isEqualTo("corr-" + older.eventId);
    } finally {
      logger.removeHandler(capture);
      logger.setLevel(before);
    }
  }
}
