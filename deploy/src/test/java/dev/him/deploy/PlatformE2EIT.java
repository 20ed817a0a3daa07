package dev.him.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole platform as users meet it: real PostgreSQL, Kafka and Keycloak (with the shipped
 * realm), the five packaged services, and every call through the gateway with real tokens.
 */
class PlatformE2EIT {
  static final String FHIR = "application/fhir+json; charset=UTF-8";
  static Platform platform;
  static Path data;
  static String gateway;
  static String realm;

  @BeforeAll
  static void start() throws Exception {
    Path root = Path.of(System.getProperty("him.repo.root", "..")).toAbsolutePath().normalize();
    data = Files.createTempDirectory("him-e2e");
    long t0 = System.nanoTime();
    platform =
        Platform.start(PlatformConfig.ephemeral(root, data), m -> System.out.println("[e2e] " + m));
    System.out.printf("[e2e] platform up in %d s%n", (System.nanoTime() - t0) / 1_000_000_000);
    gateway = platform.config().gatewayUrl();
    realm = platform.oidcRealmUrl();
    RestAssured.baseURI = gateway;
    RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
    dev.him.infra.Folders.deleteTree(data);
  }

  // --- tokens from the real Keycloak ---

  static String token(String user) {
    return token(realm, "him-cli", user);
  }

  static String token(String realmUrl, String client, String user) {
    return given()
        .baseUri(realmUrl)
        .formParams(
            Map.of(
                "client_id", client, "grant_type", "password", "username", user, "password", user))
        .post("/protocol/openid-connect/token")
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }

  static String hospitalSystemToken() {
    return given()
        .baseUri(realm)
        .formParams(
            Map.of(
                "client_id", "hospital-system",
                "client_secret", "hospital-system-local-secret",
                "grant_type", "client_credentials"))
        .post("/protocol/openid-connect/token")
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }

  static String patientJson(String family, String ssn) {
    return """
        {"resourceType":"Patient",
         "identifier":[{"system":"http://hl7.org/fhir/sid/us-ssn","value":"%s"}],
         "name":[{"use":"official","family":"%s","given":["Ana"]}],
         "gender":"female","birthDate":"1984-07-12"}
        """
        .formatted(ssn, family);
  }

  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  static Response createPatient(String token, String family, String requestId) {
    return given()
        .auth()
        .oauth2(token)
        .header("X-Request-Id", requestId)
        .contentType(FHIR)
        .body(patientJson(family, "999-" + unique()))
        .post("/fhir/r4/Patient");
  }

  static JsonPath auditTrail(String patientId, int expectedAtLeast) {
    return auditTrail(patientId, null, expectedAtLeast);
  }

  /** The patient's trail as the privacy officer sees it, optionally only one user's accesses. */
  static JsonPath auditTrail(String patientId, String agent, int expectedAtLeast) {
    String privacy = token("privacy");
    return Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              var request =
                  given().auth().oauth2(privacy).queryParam("entity", "Patient/" + patientId);
              if (agent != null) {
                request.queryParam("agent", agent);
              }
              return request.get("/fhir/r4/AuditEvent").then().statusCode(200).extract().jsonPath();
            },
            j -> j.getInt("total") >= expectedAtLeast);
  }

  // --- the skeleton flow ---

  @Test
  void clerkCreatesReadsAndFindsAPatientAndThePrivacyOfficerSeesBothAccesses() {
    String clerk = token("clerk");
    String family = "Castellanos" + unique();
    String createId = "e2e-create-" + unique();
    Response created = createPatient(clerk, family, createId);
    created
        .then()
        .statusCode(201)
        .header("Location", containsString(gateway + "/fhir/r4/Patient/"))
        .header("X-Request-Id", createId)
        .body("name[0].family", equalTo(family));
    String id = created.path("id");
    String location = created.header("Location");
    assertThat(location).endsWith("/fhir/r4/Patient/" + id + "/_history/1");

    String readId = "e2e-read-" + unique();
    Response read =
        given().auth().oauth2(clerk).header("X-Request-Id", readId).get("/fhir/r4/Patient/" + id);
    read.then().statusCode(200).header("ETag", "W/\"1\"");
    assertThat(read.jsonPath().getMap("$")).isEqualTo(created.jsonPath().getMap("$"));

    given()
        .auth()
        .oauth2(clerk)
        .queryParam("family", family)
        .get("/fhir/r4/Patient")
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("entry[0].resource.id", equalTo(id));

    JsonPath trail = auditTrail(id, "clerk", 3);
    List<Map<String, Object>> events = trail.getList("entry.resource");
    // the clerk's accesses, newest first: search, read, create
    assertThat(trail.getString("entry[0].resource.subtype[0].code")).isEqualTo("search-type");
    assertThat(trail.getString("entry[1].resource.subtype[0].code")).isEqualTo("read");
    assertThat(trail.getString("entry[2].resource.subtype[0].code")).isEqualTo("create");
    assertThat(trail.getString("entry[1].resource.agent[0].who.display")).isEqualTo("clerk");
    assertThat(trail.getString("entry[2].resource.agent[0].who.display")).isEqualTo("clerk");
    assertThat(trail.getString("entry[1].resource.agent[1].who.display")).isEqualTo("him-cli");
    assertThat(
            trail.getString(
                "entry[1].resource.entity.find { it.type.code == 'XrequestId' }.what.identifier.value"))
        .isEqualTo(readId);
    assertThat(
            trail.getString(
                "entry[2].resource.entity.find { it.type.code == 'XrequestId' }.what.identifier.value"))
        .isEqualTo(createId);
    assertThat(events).hasSize(3);

    // Besides the clerk, only privacy monitoring looked at the record: audit-service's own
    // lookups of the patient's privacy facts, recorded by records-service under its account.
    JsonPath all = auditTrail(id, 3);
    String others = "entry.resource.findAll { it.agent[0].who.display != 'clerk' }";
    int otherCount = all.getList(others).size();
    assertThat(all.getInt("total")).isEqualTo(3 + otherCount);
    assertThat(all.getList(others + ".collect { it.agent[0].who.display }", String.class))
        .allMatch("service-account-audit-service"::equals);
    assertThat(all.getList(others + ".collect { it.subtype[0].code }", String.class))
        .allMatch("read"::equals);
    assertThat(all.getList(others + ".collect { it.source.observer.display }", String.class))
        .allMatch("records-service"::equals);
    assertThat(
            all.getList(others + ".collect { it.purposeOfEvent[0].coding[0].code }", String.class))
        .allMatch("HOPERAT"::equals);
  }

  @Test
  void hospitalSystemCreatesAndReadsWithClientCredentials() {
    String system = hospitalSystemToken();
    Response created = createPatient(system, "Nguyen" + unique(), "hs-" + unique());
    created.then().statusCode(201);
    String id = created.path("id");
    given()
        .auth()
        .oauth2(system)
        .get("/fhir/r4/Patient/" + id)
        .then()
        .statusCode(200)
        .body("id", equalTo(id));
    JsonPath trail = auditTrail(id, 2);
    assertThat(trail.getString("entry[0].resource.agent[0].who.display"))
        .isEqualTo("service-account-hospital-system");
    assertThat(trail.getString("entry[0].resource.agent[1].who.display"))
        .isEqualTo("hospital-system");
  }

  @Test
  void aHospitalSystemSendsATransactionBundleThroughTheGateway() {
    String system = hospitalSystemToken();
    String family = "Bundle" + unique();
    String bundle =
        """
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"fullUrl":"urn:uuid:aaaaaaaa-0000-4000-8000-000000000001",
           "resource":{"resourceType":"Patient","name":[{"family":"%s"}],"birthDate":"1990-02-02"},
           "request":{"method":"POST","url":"Patient"}},
          {"fullUrl":"urn:uuid:aaaaaaaa-0000-4000-8000-000000000002",
           "resource":{"resourceType":"Encounter","status":"finished","class":{"code":"IMP"},
                       "subject":{"reference":"urn:uuid:aaaaaaaa-0000-4000-8000-000000000001"},
                       "period":{"start":"2026-10-01T08:00:00Z","end":"2026-10-03T10:00:00Z"}},
           "request":{"method":"POST","url":"Encounter"}}]}
        """
            .formatted(family);
    JsonPath response =
        given()
            .auth()
            .oauth2(system)
            .contentType(FHIR)
            .body(bundle)
            .post("/fhir/r4")
            .then()
            .statusCode(200)
            .body("type", equalTo("transaction-response"))
            .extract()
            .jsonPath();
    String patientId = response.getString("entry[0].response.location").split("/")[1];
    String clinician = token("clinician");
    // the clinician is not on this encounter: refused, unless they break the glass
    given()
        .auth()
        .oauth2(clinician)
        .queryParam("patient", patientId)
        .get("/fhir/r4/Encounter")
        .then()
        .statusCode(403)
        .body("issue[0].expression[0]", equalTo("X-Break-Glass-Reason"));
    given()
        .auth()
        .oauth2(clinician)
        .header("X-Break-Glass-Reason", "called to the ward for a deteriorating patient")
        .queryParam("patient", patientId)
        .get("/fhir/r4/Encounter")
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("entry[0].resource.subject.reference", equalTo("Patient/" + patientId));
    JsonPath trail = auditTrail(patientId, 4);
    assertThat(trail.getList("entry.resource.source.observer.display")).contains("records-service");
    // the emergency access is in the trail with purpose "break the glass"
    assertThat(trail.getList("entry.resource.purposeOfEvent.coding.code").toString())
        .contains("BTG");
  }

  // --- authentication and roles ---

  @Test
  void noTokenIs401AndTheAttemptIsInTheTrail() {
    String id = "never-" + unique();
    given()
        .get("/fhir/r4/Patient/" + id)
        .then()
        .statusCode(401)
        .body("resourceType", equalTo("OperationOutcome"));
    given()
        .get("/api/requests/roi/" + id)
        .then()
        .statusCode(401)
        .contentType(containsString("application/problem+json"))
        .body("status", equalTo(401));
    JsonPath trail = auditTrail(id, 1);
    assertThat(trail.getString("entry[0].resource.outcome")).isEqualTo("4");
    assertThat(trail.getString("entry[0].resource.agent[0].who.display")).isEqualTo("anonymous");
    assertThat(trail.getString("entry[0].resource.source.observer.display")).isEqualTo("gateway");
  }

  @Test
  void expiredTokenIs401() throws Exception {
    String admin =
        given()
            .baseUri("http://localhost:" + platform.config().keycloakPort())
            .formParams(
                Map.of(
                    "client_id",
                    "admin-cli",
                    "grant_type",
                    "password",
                    "username",
                    "admin",
                    "password",
                    "admin"))
            .post("/realms/master/protocol/openid-connect/token")
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    String clientId = "e2e-short-lived-" + unique();
    given()
        .baseUri(realm.replace("/realms/him", ""))
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "clientId",
                clientId,
                "publicClient",
                true,
                "directAccessGrantsEnabled",
                true,
                "attributes",
                Map.of("access.token.lifespan", "2")))
        .post("/admin/realms/him/clients")
        .then()
        .statusCode(201);
    String shortLived = token(realm, clientId, "clerk");
    long exp = claims(shortLived).getLong("exp");
    while (System.currentTimeMillis() / 1000 <= exp + 1) {
      Thread.sleep(500);
    }
    given().auth().oauth2(shortLived).get("/fhir/r4/Patient?family=x").then().statusCode(401);
  }

  @Test
  void wronglySignedTokenIs401() {
    String good = token("clerk");
    String[] parts = good.split("\\.");
    byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
    sig[sig.length / 2] ^= 0x5A;
    String forged =
        parts[0]
            + "."
            + parts[1]
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    given().auth().oauth2(good).get("/fhir/r4/Patient?family=x").then().statusCode(200);
    given().auth().oauth2(forged).get("/fhir/r4/Patient?family=x").then().statusCode(401);

    // a token whose claims were edited after signing (user promoted to him-admin)
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]))
            .replace("\"him-clerk\"", "\"him-admin\"");
    String edited =
        parts[0]
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
            + "."
            + parts[2];
    given().auth().oauth2(edited).get("/fhir/r4/Patient?family=x").then().statusCode(401);
  }

  @Test
  void tokenFromAnotherIssuerIs401() {
    // same Keycloak and keys, asked under another host name: iss is http://127.0.0.1:…/realms/him
    String otherIssuer = token(realm.replace("localhost", "127.0.0.1"), "him-cli", "clerk");
    assertThat(claims(otherIssuer).getString("iss")).contains("127.0.0.1");
    given().auth().oauth2(otherIssuer).get("/fhir/r4/Patient?family=x").then().statusCode(401);
  }

  @Test
  void coderCannotCreateAPatientAndTheRefusalIsAudited() {
    String requestId = "e2e-403-" + unique();
    createPatient(token("coder"), "Refused" + unique(), requestId)
        .then()
        .statusCode(403)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].code", equalTo("forbidden"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              try (Connection c = auditDb();
                  Statement s = c.createStatement()) {
                ResultSet rs =
                    s.executeQuery(
                        "select actor_username, outcome, action from audit_entry where correlation_id = '"
                            + requestId
                            + "'");
                return rs.next()
                    && "coder".equals(rs.getString(1))
                    && "FORBIDDEN".equals(rs.getString(2))
                    && "CREATE".equals(rs.getString(3));
              }
            });
  }

  @Test
  void roiCannotReadTheAuditTrail() {
    given()
        .auth()
        .oauth2(token("roi"))
        .queryParam("entity", "Patient/x")
        .get("/fhir/r4/AuditEvent")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(token("roi"))
        .get("/api/audit/verify")
        .then()
        .statusCode(403)
        .contentType(containsString("application/problem+json"));
  }

  // --- privacy monitoring, with the users' attributes from Keycloak and the record's facts ---

  @Test
  void privacyMonitoringComparesKeycloakUsersWithTheRecordAndOpensAlerts() {
    // the demo realm's clerk and clinician both live at 1 Demo Street, 02139; the clinician's last
    // name is "Clinician", the clerk's "Clerk"
    String clerk = token("clerk");
    String patient =
        given()
            .auth()
            .oauth2(clerk)
            .contentType(FHIR)
            .body(
                """
                {"resourceType":"Patient","name":[{"family":"Clinician","given":["Rosa"]}],
                 "address":[{"line":["1 Demo Street"],"city":"Cambridge","postalCode":"02139"}],
                 "birthDate":"1979-03-03"}
                """)
            .post("/fhir/r4/Patient")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    given()
        .auth()
        .oauth2(token("clinician"))
        .header("X-Break-Glass-Reason", "patient unconscious in the emergency department")
        .get("/fhir/r4/Patient/" + patient)
        .then()
        .statusCode(200);

    String privacy = token("privacy");
    JsonPath queue =
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    given()
                        .auth()
                        .oauth2(privacy)
                        .queryParam("patient", patient)
                        .get("/api/audit/alerts")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                j ->
                    j.getList("alerts.findAll { it.user == 'clinician' }.rule")
                            .containsAll(List.of("BREAK_THE_GLASS", "SAME_SURNAME", "SAME_ADDRESS"))
                        && j.getList("alerts.findAll { it.user == 'clerk' }.rule")
                            .contains("SAME_ADDRESS"));
    List<String> clerkRules = queue.getList("alerts.findAll { it.user == 'clerk' }.rule");
    List<String> clinicianRules = queue.getList("alerts.findAll { it.user == 'clinician' }.rule");
    // near misses: the clerk's last name differs; nobody is the patient, no VIP label, alive; the
    // clinician broke the glass, so the missing treatment relationship is not a second alert
    assertThat(clerkRules).doesNotContain("SAME_SURNAME", "BREAK_THE_GLASS");
    assertThat(clinicianRules).doesNotContain("NO_TREATMENT_RELATIONSHIP");
    assertThat(queue.getList("alerts.rule")).doesNotContain("SELF_ACCESS", "VIP", "DECEASED");
    assertThat(queue.getList("alerts.status")).allMatch("OPEN"::equals);
    assertThat(
            queue.getString(
                "alerts.find { it.user == 'clinician' && it.rule == 'BREAK_THE_GLASS' }"
                    + ".evidence.purposeOfUse"))
        .isEqualTo("BTG");
    assertThat(
            queue.getString(
                "alerts.find { it.user == 'clinician' && it.rule == 'SAME_SURNAME' }"
                    + ".evidence.userAttribute"))
        .isEqualTo("lastName");
  }

  // --- the tamper-evident log ---

  @Test
  void verifyReportsIntactThenNamesAnAlteredRow() throws Exception {
    String clerk = token("clerk");
    String id = createPatient(clerk, "Tamper" + unique(), "t-" + unique()).path("id");
    auditTrail(id, 1);
    String privacy = token("privacy");
    given()
        .auth()
        .oauth2(privacy)
        .get("/api/audit/verify")
        .then()
        .statusCode(200)
        .body("intact", equalTo(true))
        .body("firstProblem", nullValue());

    try (Connection c = auditDb();
        Statement s = c.createStatement()) {
      ResultSet rs =
          s.executeQuery(
              "select chain_id, seq, event_id from audit_entry where patient_ids @> array['"
                  + id
                  + "'] and event_type = 'AccessEvent' order by occurred_at limit 1");
      rs.next();
      String row = "chain_id = " + rs.getInt(1) + " and seq = " + rs.getLong(2);
      long seq = rs.getLong(2);
      String eventId = rs.getString(3);
      // an administrator with the owner's rights goes around the append-only trigger
      s.execute("alter table audit_entry disable trigger audit_entry_no_change");
      s.executeUpdate("update audit_entry set actor_username = 'someone-else' where " + row);
      s.execute("alter table audit_entry enable trigger audit_entry_no_change");
      try {
        given()
            .auth()
            .oauth2(privacy)
            .get("/api/audit/verify")
            .then()
            .statusCode(200)
            .body("intact", equalTo(false))
            .body("firstProblem.kind", equalTo("ENTRY_ALTERED"))
            .body("firstProblem.seq", equalTo((int) seq))
            .body("firstProblem.eventId", equalTo(eventId));
      } finally {
        s.execute("alter table audit_entry disable trigger audit_entry_no_change");
        s.executeUpdate("update audit_entry set actor_username = 'clerk' where " + row);
        s.execute("alter table audit_entry enable trigger audit_entry_no_change");
      }
    }
    given()
        .auth()
        .oauth2(privacy)
        .get("/api/audit/verify")
        .then()
        .statusCode(200)
        .body("intact", equalTo(true));
  }

  @Test
  void anEventPublishedTwiceIsStoredOnce() throws Exception {
    String patient = "dup-" + unique();
    String eventId = UUID.randomUUID().toString();
    String event =
        """
        {"eventId":"%s","eventType":"AccessEvent","eventVersion":1,"occurredAt":"2026-01-02T03:04:05Z",
         "actor":{"subject":"s","username":"clinician","roles":["clinician"],"clientId":"him-cli"},
         "action":"READ","resourceType":"Patient","resourceId":"%s","patientIds":["%s"],
         "outcome":"SUCCESS","correlationId":"dup-test","sourceService":"records-service"}
        """
            .formatted(eventId, patient, patient);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrap());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("him.access-events", patient, event)).get();
      producer.send(new ProducerRecord<>("him.access-events", patient, event)).get();
    }
    auditTrail(patient, 1);
    Thread.sleep(1000);
    try (Connection c = auditDb();
        Statement s = c.createStatement()) {
      ResultSet rs =
          s.executeQuery("select count(*) from audit_entry where event_id = '" + eventId + "'");
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
    given()
        .auth()
        .oauth2(token("privacy"))
        .queryParam("entity", "Patient/" + patient)
        .get("/fhir/r4/AuditEvent")
        .then()
        .statusCode(200)
        .body("total", equalTo(1));
  }

  // --- the other services through the gateway ---

  @Test
  void codingAndRequestsAreRoutedThroughTheGateway() {
    given()
        .auth()
        .oauth2(token("coder"))
        .get("/api/coding/icd10cm/codes/E11.9")
        .then()
        .statusCode(200)
        .body("billable", equalTo(true))
        .body("longDescription", containsString("Type 2 diabetes mellitus"));

    String roi = token("roi");
    String patient =
        createPatient(token("clerk"), "Release" + unique(), "rel-" + unique()).path("id");
    Response created =
        given()
            .auth()
            .oauth2(roi)
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "patientId", patient,
                    "requester", Map.of("type", "INDIVIDUAL", "name", "Ana Release"),
                    "requestType", "RIGHT_OF_ACCESS",
                    "receivedOn", "2026-11-02",
                    "recordsRequested", "Discharge summary of the last stay"))
            .post("/api/requests/roi");
    created
        .then()
        .statusCode(201)
        .header("Location", containsString("/api/requests/roi/"))
        .body("dueOn", equalTo("2026-12-02"));
    given()
        .auth()
        .oauth2(roi)
        .get(created.header("Location").replace(gateway, ""))
        .then()
        .statusCode(200)
        .body("patientId", equalTo(patient));
  }

  static final String RELEASE_RECORD =
      """
      {"resourceType":"Bundle","type":"transaction","entry":[
       {"fullUrl":"urn:uuid:%1$s-p","request":{"method":"POST","url":"Patient"},
        "resource":{"resourceType":"Patient","name":[{"family":"Released%2$s","given":["Iris"]}],
                    "gender":"female","birthDate":"1969-11-23"}},
       {"fullUrl":"urn:uuid:%1$s-c","request":{"method":"POST","url":"Condition"},
        "resource":{"resourceType":"Condition","subject":{"reference":"urn:uuid:%1$s-p"},
         "onsetDateTime":"2025-02-10",
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"68566005",
                            "display":"Urinary tract infectious disease (disorder)"}]}}},
       {"fullUrl":"urn:uuid:%1$s-n","request":{"method":"POST","url":"DocumentReference"},
        "resource":{"resourceType":"DocumentReference","status":"current",
         "meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"PSYTHPN"}]},
         "type":{"text":"Psychotherapy session note"},"date":"2025-02-11T10:00:00Z",
         "subject":{"reference":"urn:uuid:%1$s-p"},
         "content":[{"attachment":{"contentType":"text/plain","data":"%3$s"}}]}}
      ]}
      """;

  @Test
  void anIndividualsRequestIsMatchedPackedWithoutPsychotherapyNotesAndReleased() throws Exception {
    String family = "Released" + unique();
    String note = "Session " + unique() + ": discussed grief";
    given()
        .auth()
        .oauth2(hospitalSystemToken())
        .contentType(FHIR)
        .body(
            RELEASE_RECORD.formatted(
                UUID.randomUUID(),
                family.substring("Released".length()),
                Base64.getEncoder()
                    .encodeToString(note.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
        .post("/fhir/r4")
        .then()
        .statusCode(200);

    // intake describes the patient; requests-service finds them in records-service with its own
    // account (client credentials from the real Keycloak)
    String roi = token("roi");
    Response created =
        given()
            .auth()
            .oauth2(roi)
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "patient", Map.of("family", family, "given", "Iris", "birthDate", "1969-11-23"),
                    "requester", Map.of("type", "INDIVIDUAL", "name", "Iris " + family),
                    "requestType", "RIGHT_OF_ACCESS",
                    "receivedOn", java.time.LocalDate.now().toString(),
                    "recordsRequested", "My whole record"))
            .post("/api/requests/roi");
    created.then().statusCode(201).body("patientMatchStatus", equalTo("EXACT"));
    String id = created.path("id");
    String patientId = created.path("patientId");
    assertThat(patientId).isNotBlank();

    moveRoi(roi, id, Map.of("to", "IDENTITY_VERIFIED", "identityMethod", "PHOTO_ID"));
    moveRoi(roi, id, Map.of("to", "BASIS_VALIDATED"));
    moveRoi(roi, id, Map.of("to", "IN_PROCESSING"));
    given()
        .auth()
        .oauth2(roi)
        .post("/api/requests/roi/" + id + "/packet")
        .then()
        .statusCode(201)
        .body("sha256", org.hamcrest.Matchers.hasLength(64));
    Response pdf = given().auth().oauth2(roi).get("/api/requests/roi/" + id + "/packet/content");
    pdf.then().statusCode(200).contentType("application/pdf");
    String text;
    try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf.asByteArray())) {
      text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
    }
    assertThat(text).contains("Urinary tract infectious disease").doesNotContain(note);
    assertThat(
            java.util.HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(pdf.asByteArray())))
        .isEqualTo(pdf.header("X-Content-SHA256"));

    String total =
        given()
            .auth()
            .oauth2(roi)
            .get("/api/requests/roi/" + id + "/fee")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getString("total");
    // the individual's flat fee for an electronic copy
    assertThat(new java.math.BigDecimal(total)).isEqualByComparingTo("6.50");
    given()
        .auth()
        .oauth2(roi)
        .contentType(ContentType.JSON)
        .body(Map.of("shownTo", "Iris " + family, "shownVia", "EMAIL", "total", total))
        .post("/api/requests/roi/" + id + "/fee/acknowledgement")
        .then()
        .statusCode(201);
    moveRoi(roi, id, Map.of("to", "QUALITY_REVIEW"));
    moveRoi(roi, id, Map.of("to", "RELEASED"));

    // the disclosure is in the ledger, excluded from the accounting as made to the individual
    given()
        .auth()
        .oauth2(token("privacy"))
        .queryParam("patient", patientId)
        .get("/api/requests/disclosures")
        .then()
        .statusCode(200)
        .body(containsString("TO_INDIVIDUAL"));
    // the service account's read of the record is in the audit trail, under its own name
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                auditTrail(patientId, 1)
                    .getList("entry.resource.agent.who.display")
                    .toString()
                    .contains("service-account-requests-service"));
  }

  static void moveRoi(String token, String id, Map<String, Object> body) {
    long version =
        given()
            .auth()
            .oauth2(token)
            .get("/api/requests/roi/" + id)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getLong("version");
    given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .header("If-Match", "\"" + version + "\"")
        .body(body)
        .post("/api/requests/roi/" + id + "/transitions")
        .then()
        .statusCode(200)
        .body("status", equalTo(body.get("to")));
  }

  static final String INPATIENT_STAY =
      """
      {"resourceType":"Bundle","type":"transaction","entry":[
       {"fullUrl":"urn:uuid:%1$s-p","request":{"method":"POST","url":"Patient"},
        "resource":{"resourceType":"Patient","name":[{"family":"Coded%2$s","given":["Uma"]}],
                    "gender":"female","birthDate":"1958-04-09"}},
       {"fullUrl":"urn:uuid:%1$s-e","request":{"method":"POST","url":"Encounter"},
        "resource":{"resourceType":"Encounter","status":"finished",
         "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},
         "subject":{"reference":"urn:uuid:%1$s-p"},
         "period":{"start":"2025-03-02T08:00:00Z","end":"2025-03-05T10:00:00Z"},
         "diagnosis":[{"condition":{"reference":"urn:uuid:%1$s-c"},"rank":1}]}},
       {"fullUrl":"urn:uuid:%1$s-c","request":{"method":"POST","url":"Condition"},
        "resource":{"resourceType":"Condition","subject":{"reference":"urn:uuid:%1$s-p"},
         "encounter":{"reference":"urn:uuid:%1$s-e"},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"68566005",
                            "display":"Urinary tract infectious disease (disorder)"}]}}},
       {"fullUrl":"urn:uuid:%1$s-d","request":{"method":"POST","url":"DocumentReference"},
        "resource":{"resourceType":"DocumentReference","status":"current",
         "type":{"coding":[{"system":"http://loinc.org","code":"18842-5","display":"Discharge summary"}]},
         "subject":{"reference":"urn:uuid:%1$s-p"},
         "context":{"encounter":[{"reference":"urn:uuid:%1$s-e"}]},
         "content":[{"attachment":{"contentType":"text/plain","data":"%3$s"}}]}}
      ]}
      """;

  @Test
  void aDischargeBecomesACodingCaseThatACoderCodesAndFinalizes() {
    String summary =
        Base64.getEncoder()
            .encodeToString(
                "Urinary tract infection treated. Type 2 diabetes mellitus without complications."
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    List<String> locations =
        given()
            .auth()
            .oauth2(hospitalSystemToken())
            .contentType(FHIR)
            .body(INPATIENT_STAY.formatted(UUID.randomUUID(), unique(), summary))
            .post("/fhir/r4")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("entry.response.location");
    String encounter = locations.get(1).split("/")[1];

    // records-service publishes EncounterDischarged; coding-service opens the case from it
    String coder = token("coder");
    JsonPath queue =
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(300))
            .until(
                () ->
                    given()
                        .auth()
                        .oauth2(coder)
                        .queryParam("encounter", encounter)
                        .get("/api/coding/cases")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                j -> j.getInt("total") == 1);
    String caseId = queue.getString("items[0].id");
    String opened =
        given()
            .auth()
            .oauth2(coder)
            .get("/api/coding/cases/" + caseId)
            .then()
            .statusCode(200)
            .body("status", equalTo("open"))
            .body("patient.gender", equalTo("female"))
            .extract()
            .header("ETag");

    // suggestions from the condition and the discharge summary
    List<String> suggested =
        given()
            .auth()
            .oauth2(coder)
            .get("/api/coding/cases/" + caseId + "/suggestions")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("suggestions.code");
    assertThat(suggested).contains("N39.0", "E11.9");

    String etag =
        given()
            .auth()
            .oauth2(coder)
            .contentType(ContentType.JSON)
            .header("If-Match", opened)
            .body(
                """
                {"principalDiagnosis":"N39.0",
                 "secondaryDiagnoses":[{"code":"E11.9","poa":"Y"}]}
                """)
            .put("/api/coding/cases/" + caseId + "/codes")
            .then()
            .statusCode(200)
            .body("errors", equalTo(0))
            .body("codeSets.icd10cm", equalTo("FY2025"))
            .extract()
            .header("ETag");
    given()
        .auth()
        .oauth2(coder)
        .header("If-Match", etag)
        .post("/api/coding/cases/" + caseId + "/finalize")
        .then()
        .statusCode(200)
        .body("status", equalTo("final"))
        .body("finalizedBy", equalTo("coder"));
  }

  @Test
  void otherSystemsUseTheCodeSetsAsFhirTerminologyThroughTheGateway() {
    given()
        .auth()
        .oauth2(hospitalSystemToken())
        .urlEncodingEnabled(false)
        .get("/fhir/r4/CodeSystem/$lookup?system=http://hl7.org/fhir/sid/icd-10-cm&code=E11.9")
        .then()
        .statusCode(200)
        .body("resourceType", equalTo("Parameters"))
        .body(
            "parameter.find { it.name == 'display' }.valueString",
            equalTo("Type 2 diabetes mellitus without complications"));
    given()
        .auth()
        .oauth2(token("coder"))
        .queryParam("q", "diab mell type 2")
        .get("/api/coding/icd10cm/search")
        .then()
        .statusCode(200)
        .body("items[0].code", startsWith("E11"));
  }

  @Test
  void oneOpenApiDocumentCoversEveryService() {
    JsonPath doc = given().get("/openapi").then().statusCode(200).extract().jsonPath();
    Map<String, Object> paths = doc.getMap("paths");
    assertThat(paths).containsKeys("/fhir/r4/Patient", "/fhir/r4/AuditEvent", "/api/audit/verify");
    assertThat(paths.keySet()).anyMatch(k -> k.startsWith("/api/coding/"));
    assertThat(paths.keySet()).anyMatch(k -> k.startsWith("/api/requests/"));
    given().get("/q/swagger-ui/").then().statusCode(200);
  }

  // --- helpers ---

  static JsonPath claims(String jwt) {
    return new JsonPath(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1])));
  }

  static Connection auditDb() throws Exception {
    return DriverManager.getConnection(platform.jdbcUrl("audit"), "postgres", "postgres");
  }
}
