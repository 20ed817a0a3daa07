package dev.him.coding.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.events.v1.CodedEntry;
import dev.him.events.v1.EncounterDischarged;
import dev.him.events.v1.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An EncounterDischarged as records-service publishes it, with fresh ids: an inpatient stay of
 * three days ending on the given day, a woman born in 1960, a SNOMED-coded condition, a reason and
 * a discharge summary.
 */
public final class Discharge {
  public UUID eventId = UUID.randomUUID();
  public Instant occurredAt = Instant.now();
  public String encounterId = "enc-" + UUID.randomUUID();
  public String patientId = "pat-" + UUID.randomUUID();
  public String encounterClass = "IMP";
  public Instant admittedAt;
  public Instant dischargedAt;
  public String disposition = "01";
  public String attending = "pract-" + UUID.randomUUID().toString().substring(0, 8);
  public LocalDate birthDate = LocalDate.of(1960, 2, 3);
  public String gender = "female";
  public List<CodedEntry> diagnoses = new ArrayList<>();
  public List<CodedEntry> procedures = new ArrayList<>();
  public List<String> reasons = new ArrayList<>();
  public List<EncounterDischarged.DocumentText> documents = new ArrayList<>();

  public Discharge(LocalDate dischargedOn) {
    dischargedOn(dischargedOn);
    diagnoses.add(
        new CodedEntry(
            "cond-1",
            "http://snomed.info/sct",
            "68566005",
            "Urinary tract infectious disease",
            "principal",
            null));
    procedures.add(
        new CodedEntry(
            "proc-1",
            "http://snomed.info/sct",
            "252160004",
            "Urine culture",
            null,
            admittedAt.plusSeconds(3600)));
    reasons.add("Dysuria and fever");
    documents.add(
        new EncounterDischarged.DocumentText(
            "doc-1",
            "Discharge summary",
            "Admitted with urinary tract infection. Type 2 diabetes mellitus, hyperlipidemia."));
  }

  public Discharge dischargedOn(LocalDate day) {
    dischargedAt = day.atTime(11, 0).toInstant(ZoneOffset.UTC);
    admittedAt = dischargedAt.minusSeconds(3 * 24 * 3600);
    return this;
  }

  public EncounterDischarged event() {
    return new EncounterDischarged(
        eventId,
        occurredAt,
        encounterId,
        patientId,
        encounterClass,
        admittedAt,
        dischargedAt,
        disposition,
        attending,
        diagnoses,
        procedures,
        "corr-" + eventId,
        birthDate,
        gender,
        reasons,
        documents);
  }

  /** Sends it as the outbox relay does: JSON value, key the patient, event headers. */
  public void publish(String bootstrap, ObjectMapper json) throws Exception {
    send(
        bootstrap,
        patientId,
        json.writeValueAsString(event()),
        EncounterDischarged.TYPE,
        "1",
        eventId);
  }

  public static void send(
      String bootstrap, String key, String value, String type, String version, UUID eventId)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      ProducerRecord<String, String> r = new ProducerRecord<>(Topics.ENCOUNTER_EVENTS, key, value);
      if (eventId != null) {
        r.headers().add("event-id", eventId.toString().getBytes(StandardCharsets.UTF_8));
      }
      if (type != null) {
        r.headers().add("event-type", type.getBytes(StandardCharsets.UTF_8));
      }
      if (version != null) {
        r.headers().add("event-version", version.getBytes(StandardCharsets.UTF_8));
      }
      producer.send(r).get();
    }
  }
}
