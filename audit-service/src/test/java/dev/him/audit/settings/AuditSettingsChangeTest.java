package dev.him.audit.settings;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.audit.testing.AccessEvents;
import dev.him.audit.testing.AuditDatabaseResource;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.KafkaTopicReader;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = AuditDatabaseResource.class)
@QuarkusTestResource(KafkaResource.class)
class AuditSettingsChangeTest {
  static final String PROBE = "him.audit.test.startup-probe";
  static final String SECRET = "him.audit.test.signing-key";
  static final String SECRET_VALUE = "not-a-real-key-4711";

  @Inject AgroalDataSource db;
  @Inject ObjectMapper json;
  @Inject SettingsChangeLog changes;
  @Inject AuditLoggingLifecycle lifecycle;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  AccessEvents events() {
    return new AccessEvents(bootstrap, json, db);
  }

  List<String> rows(String key) {
    return events()
        .texts(
            "select concat_ws('|', kind, coalesce(old_value, '-'), coalesce(new_value, '-'),"
                + " changed_by, source) from audit_settings_change where key = ?"
                + " order by changed_at, id",
            key);
  }

  JsonNode outboxEvent(UUID id) throws Exception {
    List<String> payload =
        events().texts("select cast(payload as text) from outbox_event where id = ?", id);
    assertThat(payload).as("outbox event " + id).hasSize(1);
    return json.readTree(payload.get(0));
  }

  static Map<String, Setting> settings(String... keyValues) {
    Map<String, Setting> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], new Setting(keyValues[i + 1], "test"));
    }
    return m;
  }

  @Test
  void theStartupRecordedEachSettingOnceAndRedactedTheSecret() throws Exception {
    assertThat(rows(PROBE)).hasSize(1);
    assertThat(rows(PROBE).get(0))
        .startsWith("setting|-|recorded at startup|configuration at startup on ")
        .endsWith("|application.properties");
    assertThat(rows(SECRET)).hasSize(1);
    assertThat(rows(SECRET).get(0)).startsWith("setting|-|(redacted)|");
    // the secret's value is nowhere: not in the snapshot, the changes or the events
    String anywhere = "%" + SECRET_VALUE + "%";
    assertThat(
            events().count("select count(*) from audit_settings s where s::text like ?", anywhere))
        .isZero();
    assertThat(
            events()
                .count(
                    "select count(*) from audit_settings_change c where c::text like ?", anywhere))
        .isZero();
    assertThat(
            events()
                .count(
                    "select count(*) from outbox_event where cast(payload as text) like ?",
                    "%" + SECRET_VALUE + "%"))
        .isZero();
    assertThat(events().texts("select value from audit_settings where key = ?", SECRET))
        .containsExactly("(redacted)");

    // published through the outbox, relayed to him.access-events, and in the hash-chained log
    UUID id =
        UUID.fromString(
            events()
                .texts("select cast(id as text) from audit_settings_change where key = ?", PROBE)
                .get(0));
    JsonNode event = outboxEvent(id);
    assertThat(event.get("eventType").asText()).isEqualTo("AccessEvent");
    assertThat(event.get("action").asText()).isEqualTo("UPDATE");
    assertThat(event.get("resourceType").asText()).isEqualTo("AuditSettings");
    assertThat(event.get("resourceId").asText()).isEqualTo(PROBE);
    assertThat(event.get("patientIds")).isEmpty();
    assertThat(event.get("actor").get("username").asText()).isEqualTo("audit-service");
    assertThat(event.get("sourceService").asText()).isEqualTo("audit-service");
    assertThat(event.get("detail").asText()).isEqualTo("(unset) → recorded at startup");
    assertThat(
            KafkaTopicReader.find(
                bootstrap,
                "him.access-events",
                v -> v.contains(id.toString()),
                Duration.ofSeconds(30)))
        .isNotNull();
    events().awaitLogged(id);
  }

  @Test
  void aChangeBetweenStartsIsRecordedOnceWithOldAndNewValue() throws Exception {
    String scope = "him.audit.t" + UUID.randomUUID().toString().replace("-", "") + ".";
    String a = scope + "threshold";
    String b = scope + "after-hours";
    String secret = scope + "db-password";
    List<String> prefixes = List.of(scope);

    List<SettingsChange> first =
        changes.recordChanges(prefixes, settings(a, "5", b, "22:00", secret, "s3cret-one"), "t1");
    assertThat(first).extracting(SettingsChange::key).containsExactlyInAnyOrder(a, b, secret);

    // the next start: a changed, b removed, the secret changed, c added
    String c = scope + "retention-days";
    List<SettingsChange> second =
        changes.recordChanges(
            prefixes,
            settings(a, "7", secret, "s3cret-two", c, "2190"),
            "configuration at startup");
    assertThat(second).hasSize(4);
    assertThat(rows(a))
        .containsExactly("setting|-|5|t1|test", "setting|5|7|configuration at startup|test");
    assertThat(rows(b))
        .containsExactly(
            "setting|-|22:00|t1|test",
            "setting|22:00|-|configuration at startup|removed from the configuration");
    assertThat(rows(secret))
        .containsExactly(
            "setting|-|(redacted)|t1|test",
            "setting|(redacted)|(redacted, changed)|configuration at startup|test");
    assertThat(rows(c)).containsExactly("setting|-|2190|configuration at startup|test");

    // each change is an AccessEvent in the outbox, with old → new and no secret
    SettingsChange changedA =
        second.stream().filter(x -> x.key().equals(a)).findFirst().orElseThrow();
    assertThat(outboxEvent(changedA.id()).get("detail").asText()).isEqualTo("5 → 7");
    SettingsChange changedSecret =
        second.stream().filter(x -> x.key().equals(secret)).findFirst().orElseThrow();
    assertThat(outboxEvent(changedSecret.id()).get("detail").asText())
        .isEqualTo("(redacted) → (redacted, changed)");
    assertThat(
            events()
                .count(
                    "select count(*) from outbox_event where cast(payload as text) like ?",
                    "%s3cret%"))
        .isZero();

    // the same settings again (a restart without change): nothing new
    assertThat(
            changes.recordChanges(
                prefixes, settings(a, "7", secret, "s3cret-two", c, "2190"), "again"))
        .isEmpty();
    assertThat(rows(a)).hasSize(2);
    assertThat(rows(secret)).hasSize(2);
  }

  @Test
  void instancesStartingTogetherRecordAChangeOnce() throws Exception {
    String scope = "him.audit.t" + UUID.randomUUID().toString().replace("-", "") + ".";
    String key = scope + "volume-threshold";
    changes.recordChanges(List.of(scope), settings(key, "100"), "before");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<List<SettingsChange>>> results = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String instance = "instance-" + i;
        Callable<List<SettingsChange>> start =
            () -> {
              go.await();
              return changes.recordChanges(List.of(scope), settings(key, "250"), instance);
            };
        results.add(pool.submit(start));
      }
      go.countDown();
      int recorded = 0;
      for (Future<List<SettingsChange>> r : results) {
        recorded += r.get().size();
      }
      assertThat(recorded).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(rows(key)).hasSize(2);
    assertThat(rows(key).get(1)).startsWith("setting|100|250|instance-");
  }

  @Test
  void startAndCleanStopOfAuditLoggingAreRecorded() throws Exception {
    List<String> status = rows(AuditSettingsEvents.STATUS_KEY);
    assertThat(status).isNotEmpty();
    assertThat(status.get(0)).startsWith("status|-|started|audit-service on ");
    long before = status.size();

    lifecycle.onStop(null);

    List<String> after = rows(AuditSettingsEvents.STATUS_KEY);
    assertThat(after).hasSize((int) before + 1);
    assertThat(after.get(after.size() - 1)).startsWith("status|started|stopped|audit-service on ");
    UUID id =
        UUID.fromString(
            events()
                .texts(
                    "select cast(id as text) from audit_settings_change where kind = 'status'"
                        + " order by changed_at desc limit 1")
                .get(0));
    JsonNode event = outboxEvent(id);
    assertThat(event.get("resourceId").asText()).isEqualTo("audit-logging-status");
    assertThat(event.get("detail").asText()).isEqualTo("audit logging stopped");
    // and back on, as the running service is
    changes.recordStatus(SettingsChangeLog.STARTED, "test");
  }

  @Test
  void theRecordCannotBeChangedByTheService() throws Exception {
    try (var c = db.getConnection();
        var s = c.createStatement()) {
      try {
        s.executeUpdate("update audit_settings_change set new_value = 'x'");
        throw new AssertionError("the service changed its record of settings changes");
      } catch (java.sql.SQLException refused) {
        assertThat(refused.getMessage()).containsAnyOf("permission denied", "append-only");
      }
    }
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void theSettingsInForceWithSecretsRedacted() {
    given()
        .get("/api/audit/settings")
        .then()
        .statusCode(200)
        .body("settings.find { it.key == '" + PROBE + "' }.value", equalTo("recorded at startup"))
        .body("settings.find { it.key == '" + SECRET + "' }.value", equalTo("(redacted)"))
        .body("settings.find { it.key == '" + SECRET + "' }.secret", equalTo(true))
        .body(
            "settings.find { it.key == '" + PROBE + "' }.source",
            equalTo("application.properties"));
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void theRecordOfChangesByPeriodAndKey() {
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    given()
        .queryParam("from", today)
        .queryParam("to", today)
        .queryParam("key", PROBE)
        .get("/api/audit/settings/changes")
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("truncated", equalTo(false))
        .body("changes[0].kind", equalTo("setting"))
        .body("changes[0].oldValue", equalTo(null))
        .body("changes[0].newValue", equalTo("recorded at startup"));
    given()
        .queryParam("key", AuditSettingsEvents.STATUS_KEY)
        .get("/api/audit/settings/changes")
        .then()
        .statusCode(200)
        .body("changes.newValue", hasItem("started"));
    given()
        .queryParam("from", "last week")
        .queryParam("colour", "red")
        .get("/api/audit/settings/changes")
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("from"))
        .body("invalid-params.name", hasItem("colour"));
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void othersSeeNoSettings() {
    given().get("/api/audit/settings").then().statusCode(403);
    given().get("/api/audit/settings/changes").then().statusCode(403);
  }
}
