package dev.him.audit.report;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.audit.testing.AccessEvents;
import dev.him.audit.testing.AuditDatabaseResource;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import dev.him.infra.testing.KafkaResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = AuditDatabaseResource.class)
@QuarkusTestResource(KafkaResource.class)
class OncAuditReportTest {
  static final String REPORT = "/api/audit/reports/audit-log";

  @Inject AgroalDataSource db;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  /** A day no other test writes to, so the report of that day holds only this test's entries. */
  static LocalDate quietDay() {
    return LocalDate.of(2040, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(20_000));
  }

  static String token() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  AccessEvents events() {
    return new AccessEvents(bootstrap, json, db);
  }

  /** An access with every column set; values are lower-case words so any collation agrees. */
  record Access(
      AccessEvent event,
      String patient,
      String user,
      String role,
      String actionType,
      String action,
      String resourceType,
      String resourceId,
      String outcome,
      String client,
      String sourceService,
      String purposeOfUse,
      Instant at) {}

  static Access access(
      Instant at,
      String patient,
      String user,
      String role,
      AccessAction action,
      String detail,
      String actionType,
      String resourceType,
      String resourceId,
      AccessOutcome outcome,
      String client,
      String sourceService,
      String purposeOfUse) {
    AccessEvent e =
        new AccessEvent(
            UUID.randomUUID(),
            AccessEvent.TYPE,
            AccessEvent.VERSION,
            at,
            new Actor("sub-" + user, user, List.of(role), client),
            action,
            resourceType,
            resourceId,
            List.of(patient),
            outcome,
            purposeOfUse,
            "req-" + UUID.randomUUID(),
            sourceService,
            detail);
    return new Access(
        e,
        patient,
        user,
        role,
        actionType,
        action.name(),
        resourceType,
        resourceId,
        outcome.name(),
        client,
        sourceService,
        purposeOfUse,
        at);
  }

  /**
   * Three accesses on a quiet day whose values are ordered differently in each column, so each sort
   * gives its own order.
   */
  List<Access> threeAccesses(LocalDate day) throws Exception {
    Instant t = day.atTime(9, 0).toInstant(ZoneOffset.UTC);
    String tok = token();
    List<Access> all =
        List.of(
            access(
                t.plusSeconds(3600),
                "pb" + tok,
                "cyd" + tok,
                "auditor",
                AccessAction.CREATE,
                null,
                "addition",
                "Encounter",
                "rc" + tok,
                AccessOutcome.UNAUTHENTICATED,
                "clientb",
                "records-service",
                "TREAT"),
            access(
                t,
                "pc" + tok,
                "amy" + tok,
                "clinician",
                AccessAction.READ,
                null,
                "query (view)",
                "Patient",
                "ra" + tok,
                AccessOutcome.FORBIDDEN,
                "clientc",
                "coding-service",
                "HOPERAT"),
            access(
                t.plusSeconds(7200),
                "pa" + tok,
                "bob" + tok,
                "billing",
                AccessAction.SEARCH,
                AuditLogReads.EXPORT_DETAIL + " (CSV) of encounters",
                "copy (export)",
                "Condition",
                "rb" + tok,
                AccessOutcome.SUCCESS,
                "clienta",
                "requests-service",
                "ETREAT"));
    events().ingest(all.stream().map(Access::event).toList());
    return all;
  }

  List<String> eventIds(String day, String sort) {
    return given()
        .queryParam("from", day)
        .queryParam("to", day)
        .queryParam("sort", sort)
        .get(REPORT)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("entries.eventId", String.class);
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void eachColumnSortsBothWays() throws Exception {
    LocalDate day = quietDay();
    List<Access> accesses = threeAccesses(day);
    Map<String, Function<Access, String>> columns =
        Map.ofEntries(
            Map.entry("dateTime", a -> a.at().toString()),
            Map.entry("patientIds", Access::patient),
            Map.entry("user", Access::user),
            Map.entry("roles", Access::role),
            Map.entry("actionType", Access::actionType),
            Map.entry("action", Access::action),
            Map.entry("resourceType", Access::resourceType),
            Map.entry("resourceId", Access::resourceId),
            Map.entry("outcome", Access::outcome),
            Map.entry("client", Access::client),
            Map.entry("sourceService", Access::sourceService),
            Map.entry("purposeOfUse", Access::purposeOfUse));
    assertThat(columns.keySet())
        .as("every sortable column but kind (tested on its own) is checked")
        .containsExactlyInAnyOrderElementsOf(
            OncAuditReportQueries.SORTS.keySet().stream().filter(k -> !k.equals("kind")).toList());
    for (var column : columns.entrySet()) {
      List<String> ascending =
          accesses.stream()
              .sorted(Comparator.comparing(column.getValue()))
              .map(a -> a.event().eventId().toString())
              .toList();
      List<String> descending = new ArrayList<>(ascending);
      java.util.Collections.reverse(descending);
      assertThat(eventIds(day.toString(), column.getKey()))
          .as("sort=" + column.getKey())
          .containsExactlyElementsOf(ascending);
      assertThat(eventIds(day.toString(), "-" + column.getKey()))
          .as("sort=-" + column.getKey())
          .containsExactlyElementsOf(descending);
    }
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void theReportHasTheAstmColumnsForThePeriod() throws Exception {
    LocalDate day = quietDay();
    List<Access> accesses = threeAccesses(day);
    Access read = accesses.get(1);
    given()
        .queryParam("from", day.toString())
        .queryParam("to", day.toString())
        .get(REPORT)
        .then()
        .statusCode(200)
        .body("total", equalTo(3))
        .body("sort", equalTo("dateTime"))
        .body("from", equalTo(day + "T00:00:00Z"))
        .body("to", equalTo(day.plusDays(1) + "T00:00:00Z"))
        // oldest first by default
        .body("entries.actionType", contains("query (view)", "addition", "copy (export)"))
        .body("entries[0].dateTime", equalTo(read.at().toString()))
        .body("entries[0].kind", equalTo("access"))
        .body("entries[0].patientIds", equalTo(read.patient()))
        .body("entries[0].user", equalTo(read.user()))
        .body("entries[0].roles", equalTo("clinician"))
        .body("entries[0].action", equalTo("READ"))
        .body("entries[0].resourceType", equalTo("Patient"))
        .body("entries[0].resourceId", equalTo(read.resourceId()))
        .body("entries[0].outcome", equalTo("FORBIDDEN"))
        .body("entries[0].client", equalTo("clientc"))
        .body("entries[0].sourceService", equalTo("coding-service"))
        .body("entries[0].purposeOfUse", equalTo("HOPERAT"))
        .body("entries[0].eventId", equalTo(read.event().eventId().toString()));
    // an instant range narrows the period; paging keeps the order
    given()
        .queryParam("from", read.at().plusSeconds(1).toString())
        .queryParam("to", day.toString())
        .queryParam("count", 1)
        .queryParam("offset", 1)
        .get(REPORT)
        .then()
        .statusCode(200)
        .body("total", equalTo(2))
        .body("entries.actionType", contains("copy (export)"));
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void settingsChangesAndLoggingStatusAreEntriesOfTheirOwnKind() throws Exception {
    LocalDate day = quietDay();
    Instant t = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
    String tok = token();
    Access access =
        access(
            t,
            "pa" + tok,
            "amy" + tok,
            "clinician",
            AccessAction.READ,
            null,
            "query (view)",
            "Patient",
            "ra" + tok,
            AccessOutcome.SUCCESS,
            "clienta",
            "records-service",
            "TREAT");
    Actor self = new Actor("audit-service", "audit-service", List.of(), null);
    AccessEvent setting =
        new AccessEvent(
            UUID.randomUUID(),
            AccessEvent.TYPE,
            AccessEvent.VERSION,
            t.plusSeconds(60),
            self,
            AccessAction.UPDATE,
            "AuditSettings",
            "him.audit.test.threshold",
            List.of(),
            AccessOutcome.SUCCESS,
            null,
            null,
            "audit-service",
            "5 → 7");
    AccessEvent status =
        new AccessEvent(
            UUID.randomUUID(),
            AccessEvent.TYPE,
            AccessEvent.VERSION,
            t.plusSeconds(120),
            self,
            AccessAction.UPDATE,
            "AuditSettings",
            "audit-logging-status",
            List.of(),
            AccessOutcome.SUCCESS,
            null,
            null,
            "audit-service",
            "audit logging started");
    events().ingest(List.of(access.event(), setting, status));
    given()
        .queryParam("from", day.toString())
        .queryParam("to", day.toString())
        .get(REPORT)
        .then()
        .statusCode(200)
        .body("total", equalTo(3))
        .body("entries.kind", contains("access", "audit-settings-change", "audit-logging-status"))
        .body("entries[1].actionType", equalTo("change"))
        .body("entries[1].resourceId", equalTo("him.audit.test.threshold"))
        .body("entries[1].detail", equalTo("5 → 7"))
        .body("entries[1].user", equalTo("audit-service"));
    given()
        .queryParam("from", day.toString())
        .queryParam("to", day.toString())
        .queryParam("sort", "-kind")
        .get(REPORT)
        .then()
        .body("entries.kind", contains("audit-settings-change", "audit-logging-status", "access"));
    given()
        .queryParam("from", day.toString())
        .queryParam("to", day.toString())
        .queryParam("sort", "kind")
        .get(REPORT)
        .then()
        .body("entries.kind", contains("access", "audit-logging-status", "audit-settings-change"));
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void theSecondSectionListsTheSettingsChangesOfThePeriod() {
    // the changes recorded when this test's application started are in today's report
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    given()
        .queryParam("from", today)
        .queryParam("to", today)
        .get(REPORT)
        .then()
        .statusCode(200)
        .body(
            "auditSettingsChanges.key",
            hasItems("him.audit.test.startup-probe", "audit-logging-status"))
        .body(
            "auditSettingsChanges.find { it.key == 'him.audit.test.startup-probe' }.newValue",
            equalTo("recorded at startup"))
        .body(
            "auditSettingsChanges.find { it.key == 'audit-logging-status' }.newValue",
            equalTo("started"));
    // none on a quiet day
    String quiet = quietDay().toString();
    given()
        .queryParam("from", quiet)
        .queryParam("to", quiet)
        .get(REPORT)
        .then()
        .statusCode(200)
        .body("total", equalTo(0))
        .body("auditSettingsChanges.size()", equalTo(0));
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void exportsBothSectionsAsCsv() throws Exception {
    LocalDate day = quietDay();
    List<Access> accesses = threeAccesses(day);
    Response csv =
        given()
            .queryParam("from", day.toString())
            .queryParam("to", day.toString())
            .queryParam("sort", "-user")
            .get(REPORT + "/export");
    csv.then().statusCode(200).header("X-Total-Count", "3");
    assertThat(csv.contentType()).startsWith("text/csv");
    List<String> lines = csv.asString().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "dateTime,kind,patientIds,user,roles,actionType,action,resourceType,resourceId,"
                + "outcome,client,sourceService,purposeOfUse,detail,eventId");
    // users cyd, bob, amy
    assertThat(lines.get(1))
        .startsWith(accesses.get(0).at() + ",access," + accesses.get(0).patient() + ",cyd");
    assertThat(lines.get(1)).contains(accesses.get(0).event().eventId().toString());
    assertThat(lines.get(2))
        .contains(",bob")
        .contains("copy (export)")
        .contains(",SEARCH,Condition,")
        .contains(accesses.get(2).event().eventId().toString());
    assertThat(lines.get(3)).contains(",amy").contains(",FORBIDDEN,");
    assertThat(lines.get(4)).isEmpty();
    assertThat(lines.get(5)).isEqualTo("changedAt,kind,key,oldValue,newValue,changedBy,source,id");
    assertThat(lines).hasSize(6); // a quiet day: no settings changes
  }

  @Test
  @TestSecurity(user = "privacy", roles = "privacy-officer")
  void thePeriodIsRequiredAndAWrongParameterIsNamed() {
    given()
        .get(REPORT)
        .then()
        .statusCode(400)
        .body("invalid-params.name", containsInAnyOrder("from", "to"));
    given()
        .queryParam("from", "2026-05-01")
        .get(REPORT + "/export")
        .then()
        .statusCode(400)
        .body("invalid-params.name", contains("to"));
    given()
        .queryParam("from", "2026-05-01")
        .queryParam("to", "soon")
        .queryParam("sort", "hash")
        .queryParam("patient", "p1")
        .queryParam("count", 501)
        .get(REPORT)
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItems("to", "sort", "patient", "count"));
    given()
        .queryParam("from", "2026-05-02")
        .queryParam("to", "2026-05-01")
        .get(REPORT)
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("to"));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void onlyThePrivacyOfficerAndTheAdministratorGetTheReport() {
    given()
        .queryParam("from", "2026-05-01")
        .queryParam("to", "2026-05-01")
        .get(REPORT)
        .then()
        .statusCode(403);
    given()
        .queryParam("from", "2026-05-01")
        .queryParam("to", "2026-05-01")
        .get(REPORT + "/export")
        .then()
        .statusCode(403);
  }

  @Test
  void withoutATokenTheReportAndTheSettingsAreClosed() {
    given()
        .queryParam("from", "2026-05-01")
        .queryParam("to", "2026-05-01")
        .get(REPORT)
        .then()
        .statusCode(401)
        .body("title", equalTo("Unauthorized"));
    given().get("/api/audit/settings").then().statusCode(401);
    given().get("/api/audit/settings/changes").then().statusCode(401);
  }
}
