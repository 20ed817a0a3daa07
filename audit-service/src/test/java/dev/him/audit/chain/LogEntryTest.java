package dev.him.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The hand-written canonical form is byte for byte what Jackson writes for the same list — the
 * definition entries were first hashed with, and the one an auditor can reproduce with any JSON
 * library that escapes the same way.
 */
class LogEntryTest {
  static final ObjectMapper JACKSON = new ObjectMapper();

  static byte[] jackson(LogEntry e) throws Exception {
    List<Object> fields =
        Arrays.asList(
            e.seq(),
            e.kafkaOffset(),
            e.eventId().toString(),
            e.eventType(),
            e.occurredAt().toString(),
            e.recordedAt().toString(),
            e.action(),
            e.outcome(),
            e.actorSubject(),
            e.actorUsername(),
            e.actorRoles(),
            e.actorClient(),
            e.resourceType(),
            e.resourceId(),
            e.patientIds() == null ? List.of() : List.of(e.patientIds()),
            e.purposeOfUse(),
            e.correlationId(),
            e.sourceService(),
            e.detail(),
            e.payloadSha256() == null ? null : HexFormat.of().formatHex(e.payloadSha256()));
    return JACKSON.writeValueAsBytes(fields);
  }

  static LogEntry entry(String text, String[] patients, byte[] digest) {
    return new LogEntry(
        42,
        7,
        UUID.randomUUID(),
        "AccessEvent",
        Instant.parse("2026-11-26T10:00:00.123456Z"),
        Instant.parse("2026-11-26T10:00:01Z"),
        "READ",
        "SUCCESS",
        null,
        text,
        "clinician,coder",
        "him-console",
        "Observation",
        text,
        patients,
        "TREAT",
        "req-1",
        "records-service",
        text,
        digest);
  }

  @Test
  void matchesJacksonOnEveryKindOfCharacter() throws Exception {
    String tricky = "a\"b\\c/d\b\t\n\f\r\u0000\u001f\u007f é 名前 😀 end";
    for (LogEntry e :
        List.of(
            entry(tricky, new String[] {"p-1", tricky}, new byte[32]),
            entry(null, new String[0], null),
            entry("", null, new byte[] {1, 2, 3}))) {
      assertThat(new String(e.canonical(), "UTF-8")).isEqualTo(new String(jackson(e), "UTF-8"));
      assertThat(e.canonical()).isEqualTo(jackson(e));
    }
  }

  @Test
  void matchesJacksonOnRandomText() throws Exception {
    Random rnd = new Random(6962);
    for (int n = 0; n < 2000; n++) {
      StringBuilder b = new StringBuilder();
      for (int i = rnd.nextInt(20); i > 0; i--) {
        int kind = rnd.nextInt(4);
        b.appendCodePoint(
            switch (kind) {
              case 0 -> rnd.nextInt(0x20);
              case 1 -> 0x20 + rnd.nextInt(0x60);
              case 2 -> 0xA0 + rnd.nextInt(0xD000);
              default -> 0x10000 + rnd.nextInt(0x1000);
            });
      }
      List<String> ids = new ArrayList<>(List.of(b.toString(), "p-" + n));
      LogEntry e = entry(b.toString(), ids.toArray(String[]::new), new byte[32]);
      assertThat(e.canonical()).isEqualTo(jackson(e));
    }
  }

  @Test
  void theHashChangesWithAnyFieldAndWithThePreviousHash() {
    LogEntry e = entry("nurse", new String[] {"p-1"}, new byte[32]);
    byte[] h = e.hash(LogEntry.GENESIS);
    assertThat(entry("nurse2", new String[] {"p-1"}, new byte[32]).at(42, 7).hash(LogEntry.GENESIS))
        .isNotEqualTo(h);
    byte[] other = new byte[32];
    other[0] = 1;
    assertThat(e.hash(other)).isNotEqualTo(h);
  }
}
