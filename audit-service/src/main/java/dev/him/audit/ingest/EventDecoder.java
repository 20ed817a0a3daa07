package dev.him.audit.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.audit.chain.LogEntry;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns a Kafka record into a log entry: access events field by field; domain events by their
 * identifiers only (ids, type, time, who acted) plus the SHA-256 of the payload as received, so the
 * log proves what was sent without copying PHI. A record that cannot be read is still logged, as
 * "Unreadable" with its digest, so nothing that arrived goes unrecorded.
 */
public final class EventDecoder {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Fields naming the resource a domain event is about, most specific first. */
  private static final List<Map.Entry<String, String>> RESOURCE_FIELDS =
      List.of(
          Map.entry("deficiencyId", "Deficiency"),
          Map.entry("documentId", "DocumentReference"),
          Map.entry("requestId", "RoiRequest"),
          Map.entry("linkId", "PatientLink"),
          Map.entry("caseId", "CodingCase"),
          Map.entry("encounterId", "Encounter"),
          Map.entry("patientId", "Patient"));

  private static final List<String> PATIENT_FIELDS =
      List.of("patientId", "sourcePatientId", "survivorPatientId", "targetPatientId");

  private static final Map<String, String> SOURCE_BY_TOPIC =
      Map.of(
          Topics.PATIENT_EVENTS, "records-service",
          Topics.ENCOUNTER_EVENTS, "records-service",
          Topics.DOCUMENT_EVENTS, "records-service",
          Topics.DEFICIENCY_EVENTS, "records-service",
          Topics.CODING_EVENTS, "coding-service",
          Topics.REQUEST_EVENTS, "requests-service");

  private EventDecoder() {}

  public static LogEntry decode(ConsumerRecord<String, byte[]> r, Instant recordedAt) {
    byte[] payload = r.value() == null ? new byte[0] : r.value();
    byte[] digest = sha256(payload);
    Instant now = micros(recordedAt);
    JsonNode n;
    UUID eventId;
    try {
      n = JSON.readTree(payload);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      eventId = UUID.fromString(first(text(n, "eventId"), header(r, "event-id")));
    } catch (Exception e) {
      return unreadable(r, now, digest, e);
    }
    String type = first(text(n, "eventType"), header(r, "event-type"));
    if (type == null) {
      type = "Unknown";
    }
    Instant occurred = now;
    try {
      String at = text(n, "occurredAt");
      if (at != null) {
        occurred = micros(Instant.parse(at));
      }
    } catch (RuntimeException e) {
      // keep the time of arrival; the payload digest still proves what was sent
    }
    if (AccessEvent.TYPE.equals(type)) {
      JsonNode actor = n.path("actor");
      List<String> roles = new ArrayList<>();
      actor.path("roles").forEach(x -> roles.add(x.asText()));
      roles.sort(null);
      return new LogEntry(
          0,
          r.offset(),
          eventId,
          type,
          occurred,
          now,
          orDefault(text(n, "action"), "UNKNOWN"),
          orDefault(text(n, "outcome"), "UNKNOWN"),
          text(actor, "subject"),
          text(actor, "username"),
          actor.isMissingNode() ? null : String.join(",", roles),
          text(actor, "clientId"),
          text(n, "resourceType"),
          text(n, "resourceId"),
          strings(n.path("patientIds")).toArray(String[]::new),
          text(n, "purposeOfUse"),
          text(n, "correlationId"),
          text(n, "sourceService"),
          text(n, "detail"),
          digest);
    }
    Set<String> patients = new LinkedHashSet<>();
    for (String f : PATIENT_FIELDS) {
      String v = text(n, f);
      if (v != null) {
        patients.add(v);
      }
    }
    String resourceType = null;
    String resourceId = null;
    for (Map.Entry<String, String> f : RESOURCE_FIELDS) {
      String v = text(n, f.getKey());
      if (v != null) {
        resourceType = f.getValue();
        resourceId = v;
        break;
      }
    }
    return new LogEntry(
        0,
        r.offset(),
        eventId,
        type,
        occurred,
        now,
        domainAction(type),
        "SUCCESS",
        null,
        actedBy(n),
        null,
        null,
        resourceType,
        resourceId,
        patients.toArray(String[]::new),
        null,
        text(n, "correlationId"),
        orDefault(text(n, "sourceService"), SOURCE_BY_TOPIC.get(r.topic())),
        type
            + " v"
            + orDefault(header(r, "event-version"), orDefault(text(n, "eventVersion"), "?")),
        digest);
  }

  /** Registrations, receipts and openings create something; every other domain event changes it. */
  static String domainAction(String type) {
    return type.endsWith("Registered") || type.endsWith("Received") || type.endsWith("Opened")
        ? "CREATE"
        : "UPDATE";
  }

  /** The person who acted, from the first "...By" field (registeredBy, releasedBy, ...). */
  private static String actedBy(JsonNode n) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (f.endsWith("By") && n.get(f).isTextual()) {
        return n.get(f).asText();
      }
    }
    return null;
  }

  /** Event type of the entry that records Kafka records lost before they were ingested. */
  public static final String GAP = "IngestionGap";

  /**
   * The entry for records [from, to) of a partition that were no longer in Kafka when ingestion
   * reached them. Its id derives from the partition and range, so finding the same gap again (a
   * redelivery after a crash) logs it once.
   */
  static LogEntry gap(String topic, int partition, long from, long to, Instant now) {
    UUID id =
        UUID.nameUUIDFromBytes(
            ("gap/" + topic + "/" + partition + "/" + from + "-" + to)
                .getBytes(StandardCharsets.UTF_8));
    return new LogEntry(
        0,
        from,
        id,
        GAP,
        now,
        now,
        "UNKNOWN",
        "LOST",
        null,
        null,
        null,
        null,
        null,
        null,
        new String[0],
        null,
        null,
        "audit-service",
        "records at offsets "
            + from
            + " to "
            + (to - 1)
            + " of "
            + topic
            + "/"
            + partition
            + " were deleted from Kafka before they were ingested: "
            + (to - from)
            + " event(s) not in the log",
        null);
  }

  private static LogEntry unreadable(
      ConsumerRecord<String, byte[]> r, Instant now, byte[] digest, Exception why) {
    // The same record redelivered gets the same id, so it is still logged once.
    UUID id =
        UUID.nameUUIDFromBytes(
            (r.topic() + "/" + r.partition() + "/" + r.offset()).getBytes(StandardCharsets.UTF_8));
    return new LogEntry(
        0,
        r.offset(),
        id,
        "Unreadable",
        now,
        now,
        "UNKNOWN",
        "UNREADABLE",
        null,
        null,
        null,
        null,
        null,
        null,
        new String[0],
        null,
        null,
        SOURCE_BY_TOPIC.get(r.topic()),
        "unreadable payload: " + why.getClass().getSimpleName(),
        digest);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(x -> out.add(x.asText()));
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }

  private static String orDefault(String v, String d) {
    return v != null ? v : d;
  }

  static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
