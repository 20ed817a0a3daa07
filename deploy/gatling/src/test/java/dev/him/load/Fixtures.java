package dev.him.load;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data the flows need, made through the API: patients with a small chart (one finished
 * ambulatory encounter, three ICD-10-CM coded conditions, three vital-sign observations), loaded in
 * the setup step as FHIR transaction bundles by the importer; the bundles the import flow posts
 * (the same shape, fresh identifiers each); and the checks that the platform is ready for the
 * selected flows (code set loaded, audit trail caught up with the setup).
 */
final class Fixtures {
  static final String FHIR_JSON = "application/fhir+json";
  static final String ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";

  /** Entries of every patient bundle: Patient, Encounter, 3 Conditions, 3 Observations. */
  static final int ENTRIES_PER_PATIENT = 8;

  private static final Pattern LOCATION =
      Pattern.compile("\"location\"\\s*:\\s*\"(Patient)/([^/\"]+)");
  private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");

  private static final String[] MALE =
      ("James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel"
           + " Matthew Anthony Mark Steven Paul Andrew Joshua Kevin Brian George Edward Luis Wei")
          .split(" ");
  private static final String[] FEMALE =
      ("Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty"
              + " Sandra Margaret Ashley Emily Donna Michelle Carol Maria Sofia Fatima Mei Aiko")
          .split(" ");
  private static final String[] FAMILY =
      ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez"
              + " Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson"
              + " White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright"
              + " Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell"
              + " O'Hara Okafor Tanaka Haddad Cohen Sullivan Patel Kim")
          .split(" ");
  private static final String[] CITIES = {
    "Boston:02118", "Worcester:01604", "Springfield:01109", "Cambridge:02139", "Lowell:01852",
    "Quincy:02169", "Newton:02458", "Somerville:02143", "Salem:01970", "Plymouth:02360"
  };

  /**
   * Real ICD-10-CM (FY2025) codes of common, non-sensitive diagnoses, so charts stay releasable
   * under a right-of-access request without sensitive-category handling.
   */
  private static final String[][] DIAGNOSES = {
    {"E11.9", "Type 2 diabetes mellitus without complications"},
    {"I10", "Essential (primary) hypertension"},
    {"E78.5", "Hyperlipidemia, unspecified"},
    {"J45.909", "Unspecified asthma, uncomplicated"},
    {"K21.9", "Gastro-esophageal reflux disease without esophagitis"},
    {"M17.11", "Unilateral primary osteoarthritis, right knee"},
    {"N39.0", "Urinary tract infection, site not specified"},
    {"J18.9", "Pneumonia, unspecified organism"},
    {"E03.9", "Hypothyroidism, unspecified"},
    {"I48.91", "Unspecified atrial fibrillation"},
    {"M54.50", "Low back pain, unspecified"},
    {"R07.9", "Chest pain, unspecified"},
    {"E66.9", "Obesity, unspecified"},
    {"D64.9", "Anemia, unspecified"},
    {"G43.909", "Migraine, unspecified, not intractable, without status migrainosus"}
  };

  /** LOINC vital signs: code, display, unit, low, high. */
  private static final String[][] VITALS = {
    {"8867-4", "Heart rate", "/min", "55", "105"},
    {"8480-6", "Systolic blood pressure", "mm[Hg]", "100", "165"},
    {"29463-7", "Body weight", "kg", "45", "120"},
    {"8310-5", "Body temperature", "Cel", "36", "39"}
  };

  /** A setup patient as the feeders hand it to the flows. */
  record Patient(String id, String family, String birthDate, String idSystem, String idValue) {
    Map<String, Object> asSession() {
      Map<String, Object> m = new HashMap<>();
      m.put("patientId", id);
      m.put("family", family);
      m.put("birthDate", birthDate);
      m.put("identifier", idSystem + "|" + idValue);
      return m;
    }
  }

  private final LoadConfig config;
  private final Tokens tokens;
  private final HttpClient http;
  private final AtomicLong serial = new AtomicLong();
  private final String identifierSystem;
  private volatile List<Patient> patients = List.of();
  private volatile int auditMinimum = 0;

  Fixtures(LoadConfig config, Tokens tokens, HttpClient http) {
    this.config = config;
    this.tokens = tokens;
    this.http = http;
    this.identifierSystem = "urn:him:load-test:" + config.runId;
  }

  /** A random setup patient, for the feeders (evaluated per virtual user, after the setup). */
  Map<String, Object> randomPatient() {
    List<Patient> p = patients;
    if (p.isEmpty()) throw new IllegalStateException("the setup created no patients");
    return p.get(ThreadLocalRandom.current().nextInt(p.size())).asSession();
  }

  /** At least this many entries the audit query must find for a setup patient (1 or 0). */
  int auditMinimum() {
    return auditMinimum;
  }

  List<Patient> patients() {
    return patients;
  }

  // ---------------------------------------------------------------- setup through the API

  /** Creates the setup patients (transaction bundles of 10 charts) and checks the flows' needs. */
  void setUp() {
    long t0 = System.nanoTime();
    List<Patient> created = new ArrayList<>();
    while (created.size() < config.patients) {
      int n = Math.min(10, config.patients - created.size());
      List<String[]> demo = new ArrayList<>();
      StringBuilder bundle =
          new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
      for (int i = 0; i < n; i++) {
        if (i > 0) bundle.append(',');
        demo.add(chart(bundle));
      }
      bundle.append("]}");
      HttpResponse<String> r = send(post("/fhir/r4", "importer", bundle.toString(), FHIR_JSON));
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "setup: POST /fhir/r4 (transaction of "
                + n
                + " patients) answered HTTP "
                + r.statusCode()
                + ": "
                + shorten(r.body()));
      }
      Matcher m = LOCATION.matcher(r.body());
      int k = 0;
      while (m.find() && k < n) {
        String[] d = demo.get(k++);
        created.add(new Patient(m.group(2), d[0], d[1], identifierSystem, d[2]));
      }
      if (k != n) {
        throw new IllegalStateException(
            "setup: the transaction response names " + k + " patients, expected " + n);
      }
    }
    patients = List.copyOf(created);
    System.out.printf(
        "setup: %d patients with charts (%d resources) created through POST /fhir/r4 in %.1f s;"
            + " identifier system %s%n",
        created.size(),
        created.size() * ENTRIES_PER_PATIENT,
        (System.nanoTime() - t0) / 1e9,
        identifierSystem);
    if (config.flows.contains("codes")) checkCodeSet();
    if (config.flows.contains("audit")) waitForAuditTrail();
  }

  /** Fails the run at once when the code system has nothing to search (no release loaded). */
  private void checkCodeSet() {
    HttpResponse<String> r =
        send(get("/api/coding/" + config.codeSystem + "/search?q=E11.9&limit=1", "coder"));
    Matcher total = TOTAL.matcher(r.body());
    if (r.statusCode() != 200 || !total.find() || Long.parseLong(total.group(1)) == 0) {
      throw new IllegalStateException(
          "setup: code search for E11.9 found nothing (HTTP "
              + r.statusCode()
              + "): is the "
              + config.codeSystem
              + " code set loaded? "
              + shorten(r.body()));
    }
  }

  /**
   * Waits (up to -Daudit.wait) until the privacy officer sees every setup patient's creation in the
   * access log, so the audit flow's check can require at least one entry; when the trail lags
   * longer it only requires a well-formed answer and says so.
   */
  private void waitForAuditTrail() {
    long t0 = System.nanoTime();
    long deadline = t0 + config.auditWait.toNanos();
    List<Patient> waiting = new ArrayList<>(patients);
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      waiting.removeIf(
          p -> {
            HttpResponse<String> r =
                send(get("/api/audit/entries?count=1&patient=" + enc(p.id()), "privacy"));
            if (r.statusCode() != 200) {
              throw new IllegalStateException(
                  "setup: GET /api/audit/entries as the privacy officer answered HTTP "
                      + r.statusCode()
                      + ": "
                      + shorten(r.body()));
            }
            Matcher m = TOTAL.matcher(r.body());
            return m.find() && Long.parseLong(m.group(1)) > 0;
          });
      if (!waiting.isEmpty()) sleep(1000);
    }
    if (waiting.isEmpty()) {
      auditMinimum = 1;
      System.out.printf(
          "setup: the access log shows every setup patient after %.1f s%n",
          (System.nanoTime() - t0) / 1e9);
    } else {
      System.out.printf(
          "setup: WARNING %d of %d setup patients not yet in the access log after %d s"
              + " (audit lag); the audit flow checks only the answer's shape%n",
          waiting.size(), patients.size(), config.auditWait.toSeconds());
    }
  }

  // ---------------------------------------------------------------- bundles

  /** The import flow's bundle: one new patient's chart, fresh identifiers. */
  String importBundle() {
    StringBuilder b =
        new StringBuilder(6000)
            .append("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
    chart(b);
    return b.append("]}").toString();
  }

  /**
   * Appends the entries of one chart (Patient, Encounter, 3 Conditions, 3 Observations, linked by
   * urn:uuid references) and returns the patient's family name, birth date and identifier value.
   */
  private String[] chart(StringBuilder b) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long n = serial.incrementAndGet();
    boolean male = r.nextBoolean();
    String given = pick(male ? MALE : FEMALE, r);
    String family = pick(FAMILY, r);
    LocalDate birth = LocalDate.of(1930, 1, 1).plusDays(r.nextInt(90 * 365));
    String[] city = pick(CITIES, r).split(":");
    String idValue = config.runId + "-" + n;
    String patientUrn = "urn:uuid:" + UUID.randomUUID();
    String encounterUrn = "urn:uuid:" + UUID.randomUUID();
    LocalDateTime start =
        LocalDateTime.now(ZoneOffset.UTC)
            .minusDays(1 + r.nextInt(365))
            .withHour(8 + r.nextInt(9))
            .withMinute(r.nextInt(4) * 15)
            .withSecond(0)
            .withNano(0);
    String from = start + ":00Z";
    String to = start.plusMinutes(30) + ":00Z";

    entry(
        b,
        patientUrn,
        "Patient",
        "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\""
            + identifierSystem
            + "\",\"value\":\""
            + idValue
            + "\"}],\"name\":[{\"use\":\"official\",\"family\":\""
            + json(family)
            + "\",\"given\":[\""
            + given
            + "\"]}],\"telecom\":[{\"system\":\"phone\",\"value\":\"555-"
            + (100 + r.nextInt(900))
            + "-"
            + (1000 + r.nextInt(9000))
            + "\",\"use\":\"home\"}],\"gender\":\""
            + (male ? "male" : "female")
            + "\",\"birthDate\":\""
            + birth
            + "\",\"address\":[{\"line\":[\""
            + (1 + r.nextInt(999))
            + " Main Street\"],\"city\":\""
            + city[0]
            + "\",\"state\":\"MA\",\"postalCode\":\""
            + city[1]
            + "\",\"country\":\"US\"}]}");
    b.append(',');
    entry(
        b,
        encounterUrn,
        "Encounter",
        "{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"system\":"
            + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"},"
            + "\"type\":[{\"coding\":[{\"system\":\"http://snomed.info/sct\","
            + "\"code\":\"185349003\",\"display\":\"Encounter for check up\"}]}],"
            + "\"subject\":{\"reference\":\""
            + patientUrn
            + "\"},\"period\":{\"start\":\""
            + from
            + "\",\"end\":\""
            + to
            + "\"}}");
    int first = r.nextInt(DIAGNOSES.length);
    for (int i = 0; i < 3; i++) {
      String[] dx = DIAGNOSES[(first + i * 5) % DIAGNOSES.length];
      b.append(',');
      entry(
          b,
          "urn:uuid:" + UUID.randomUUID(),
          "Condition",
          "{\"resourceType\":\"Condition\",\"clinicalStatus\":{\"coding\":[{\"system\":"
              + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\","
              + "\"code\":\"active\"}]},"
              + "\"verificationStatus\":{\"coding\":[{\"system\":"
              + "\"http://terminology.hl7.org/CodeSystem/condition-ver-status\","
              + "\"code\":\"confirmed\"}]},\"category\":[{\"coding\":[{\"system\":"
              + "\"http://terminology.hl7.org/CodeSystem/condition-category\","
              + "\"code\":\"encounter-diagnosis\"}]}],\"code\":{\"coding\":[{\"system\":\""
              + ICD10CM
              + "\",\"code\":\""
              + dx[0]
              + "\",\"display\":\""
              + dx[1]
              + "\"}],\"text\":\""
              + dx[1]
              + "\"},\"subject\":{\"reference\":\""
              + patientUrn
              + "\"},\"encounter\":{\"reference\":\""
              + encounterUrn
              + "\"},\"onsetDateTime\":\""
              + from
              + "\",\"recordedDate\":\""
              + from
              + "\"}");
    }
    int v = r.nextInt(VITALS.length);
    for (int i = 0; i < 3; i++) {
      String[] vital = VITALS[(v + i) % VITALS.length];
      double low = Double.parseDouble(vital[3]);
      double high = Double.parseDouble(vital[4]);
      double value = Math.round((low + r.nextDouble() * (high - low)) * 10) / 10.0;
      b.append(',');
      entry(
          b,
          "urn:uuid:" + UUID.randomUUID(),
          "Observation",
          "{\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{"
              + "\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\","
              + "\"code\":\"vital-signs\"}]}],"
              + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\","
              + "\"code\":\""
              + vital[0]
              + "\",\"display\":\""
              + vital[1]
              + "\"}],\"text\":\""
              + vital[1]
              + "\"},\"subject\":{\"reference\":\""
              + patientUrn
              + "\"},\"encounter\":{\"reference\":\""
              + encounterUrn
              + "\"},\"effectiveDateTime\":\""
              + from
              + "\",\"valueQuantity\":{\"value\":"
              + value
              + ",\"unit\":\""
              + vital[2]
              + "\",\"system\":\"http://unitsofmeasure.org\",\"code\":\""
              + vital[2]
              + "\"}}");
    }
    return new String[] {family, birth.toString(), idValue};
  }

  private static void entry(StringBuilder b, String fullUrl, String type, String resource) {
    b.append("{\"fullUrl\":\"")
        .append(fullUrl)
        .append("\",\"resource\":")
        .append(resource)
        .append(",\"request\":{\"method\":\"POST\",\"url\":\"")
        .append(type)
        .append("\"}}");
  }

  // ---------------------------------------------------------------- HTTP for the setup

  private HttpRequest get(String path, String role) {
    return HttpRequest.newBuilder(URI.create(config.url + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", tokens.bearer(role))
        .header("Accept", "application/json")
        .GET()
        .build();
  }

  private HttpRequest post(String path, String role, String body, String type) {
    return HttpRequest.newBuilder(URI.create(config.url + path))
        .timeout(Duration.ofSeconds(120))
        .header("Authorization", tokens.bearer(role))
        .header("Content-Type", type)
        .header("Accept", type)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "setup: "
              + request.method()
              + " "
              + request.uri()
              + " failed (is -Dhim.url right?): "
              + e,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String pick(String[] values, ThreadLocalRandom r) {
    return values[r.nextInt(values.length)];
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String shorten(String s) {
    return s.length() > 400 ? s.substring(0, 400) + "..." : s;
  }
}
