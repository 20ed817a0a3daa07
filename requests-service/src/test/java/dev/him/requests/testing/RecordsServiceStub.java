package dev.him.requests.testing;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * A stand-in for records-service and for Keycloak's token endpoint in the module tests: the
 * requests-service tests start without the other services (the end-to-end test in deploy runs the
 * real records-service and Keycloak). It answers the three FHIR reads the service makes with
 * resources the test put in, checks that every call carries a token obtained with the client
 * credentials grant, logs the calls, and can fail or stall on demand to exercise retries, timeout
 * and circuit breaker.
 */
public class RecordsServiceStub implements QuarkusTestResourceLifecycleManager {
  static final String TOKEN_PATH = "/realms/him/protocol/openid-connect/token";
  public static final String CLIENT_ID = "requests-service";
  public static final String CLIENT_SECRET = "stub-secret";

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Map<String, Patient> PATIENTS = new ConcurrentHashMap<>();
  private static final Map<String, List<Resource>> RECORDS = new ConcurrentHashMap<>();
  private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
  private static final AtomicInteger TOKENS = new AtomicInteger();
  private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
  private static final AtomicInteger FAILURE_STATUS = new AtomicInteger(503);
  private static final AtomicReference<Duration> STALL = new AtomicReference<>(Duration.ZERO);
  private static final AtomicInteger STALLS_LEFT = new AtomicInteger();

  /**
   * Moves on with every reset: a call stalled past its test must not use the next test's failures.
   */
  private static final AtomicInteger GENERATION = new AtomicInteger();

  private HttpServer server;

  /** One FHIR call as the stub saw it. */
  public record Call(
      String method, String path, String query, String authorization, String purpose) {}

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
    server.createContext(TOKEN_PATH, this::token);
    server.createContext("/fhir/r4/", this::fhir);
    server.start();
    String base = "http://localhost:" + server.getAddress().getPort();
    Map<String, String> config = new HashMap<>();
    config.put("quarkus.rest-client.records-service.url", base);
    config.put("quarkus.oidc-client.auth-server-url", base + "/realms/him");
    config.put("quarkus.oidc-client.credentials.secret", CLIENT_SECRET);
    return config;
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  // --- what tests use ---

  /** Makes a patient and their record (each resource with its id set) known to the stub. */
  public static void put(Patient patient, List<? extends Resource> record) {
    String id = patient.getIdElement().getIdPart();
    PATIENTS.put(id, patient);
    RECORDS.put(id, new ArrayList<>(record));
  }

  /** The next n FHIR calls answer this status. */
  public static void failNext(int n, int status) {
    FAILURE_STATUS.set(status);
    FAILURES_LEFT.set(n);
  }

  /** The next n FHIR calls wait this long before answering. */
  public static void stallNext(int n, Duration stall) {
    STALL.set(stall);
    STALLS_LEFT.set(n);
  }

  public static List<Call> calls() {
    return List.copyOf(CALLS);
  }

  public static int tokensIssued() {
    return TOKENS.get();
  }

  /** Forgets failures, stalls and the call log (patients stay). */
  public static void reset() {
    GENERATION.incrementAndGet();
    FAILURES_LEFT.set(0);
    STALLS_LEFT.set(0);
    CALLS.clear();
  }

  // --- the two endpoints ---

  private void token(HttpExchange x) throws IOException {
    String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> params = parse(form);
    String basic = x.getRequestHeaders().getFirst("Authorization");
    String expectedBasic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    boolean clientOk =
        expectedBasic.equals(basic)
            || (CLIENT_ID.equals(params.get("client_id"))
                && CLIENT_SECRET.equals(params.get("client_secret")));
    if (!"client_credentials".equals(params.get("grant_type")) || !clientOk) {
      send(x, 401, "application/json", "{\"error\":\"unauthorized_client\"}");
      return;
    }
    int n = TOKENS.incrementAndGet();
    send(
        x,
        200,
        "application/json",
        "{\"access_token\":\"stub-token-" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
  }

  private void fhir(HttpExchange x) throws IOException {
    URI uri = x.getRequestURI();
    String path = uri.getPath().substring("/fhir/r4/".length());
    String auth = x.getRequestHeaders().getFirst("Authorization");
    int generation = GENERATION.get();
    CALLS.add(
        new Call(
            x.getRequestMethod(),
            uri.getPath(),
            uri.getRawQuery(),
            auth,
            x.getRequestHeaders().getFirst("X-Purpose-Of-Use")));
    if (STALLS_LEFT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      try {
        Thread.sleep(STALL.get().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (generation != GENERATION.get()) {
      // its test is over and its client gave up long ago
      send(x, 503, "application/fhir+json", "{\"resourceType\":\"OperationOutcome\"}");
      return;
    }
    if (FAILURES_LEFT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      send(
          x,
          FAILURE_STATUS.get(),
          "application/fhir+json",
          "{\"resourceType\":\"OperationOutcome\"}");
      return;
    }
    if (auth == null || !auth.startsWith("Bearer stub-token-")) {
      send(x, 401, "application/fhir+json", "{\"resourceType\":\"OperationOutcome\"}");
      return;
    }
    String[] parts = path.split("/");
    if (parts.length == 1 && parts[0].equals("Patient")) {
      send(x, 200, "application/fhir+json", json(search(parse(uri.getRawQuery()))));
    } else if (parts.length == 2 && parts[0].equals("Patient") && PATIENTS.containsKey(parts[1])) {
      send(
          x,
          200,
          "application/fhir+json",
          FHIR.newJsonParser().encodeResourceToString(PATIENTS.get(parts[1])));
    } else if (parts.length == 3
        && parts[2].equals("$everything")
        && PATIENTS.containsKey(parts[1])) {
      Bundle b = new Bundle().setType(Bundle.BundleType.SEARCHSET);
      b.addEntry().setResource(PATIENTS.get(parts[1]));
      RECORDS.getOrDefault(parts[1], List.of()).forEach(r -> b.addEntry().setResource(r));
      b.setTotal(b.getEntry().size());
      send(x, 200, "application/fhir+json", json(b));
    } else {
      send(x, 404, "application/fhir+json", "{\"resourceType\":\"OperationOutcome\"}");
    }
  }

  /** family, given (prefix, case ignored), birthdate (exact day), identifier ([system|]value). */
  private static Bundle search(Map<String, String> q) {
    Bundle b = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    for (Patient p : PATIENTS.values()) {
      if (q.containsKey("family")
          && p.getName().stream().noneMatch(n -> startsWith(n.getFamily(), q.get("family")))) {
        continue;
      }
      if (q.containsKey("given")
          && p.getName().stream()
              .flatMap(n -> n.getGiven().stream())
              .noneMatch(g -> startsWith(g.getValue(), q.get("given")))) {
        continue;
      }
      if (q.containsKey("birthdate")
          && (p.getBirthDateElement().getValueAsString() == null
              || !p.getBirthDateElement().getValueAsString().equals(q.get("birthdate")))) {
        continue;
      }
      if (q.containsKey("identifier")
          && p.getIdentifier().stream().noneMatch(i -> matches(i, q.get("identifier")))) {
        continue;
      }
      b.addEntry().setResource(p);
    }
    b.setTotal(b.getEntry().size());
    return b;
  }

  private static boolean matches(Identifier i, String token) {
    int bar = token.indexOf('|');
    String value = bar < 0 ? token : token.substring(bar + 1);
    String system = bar < 0 ? null : token.substring(0, bar);
    return value.equals(i.getValue()) && (system == null || system.equals(i.getSystem()));
  }

  private static boolean startsWith(String s, String prefix) {
    return s != null && s.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT));
  }

  /** A name for quick patients in tests. */
  public static HumanName name(String family, String... given) {
    HumanName n = new HumanName().setFamily(family);
    for (String g : given) {
      n.addGiven(g);
    }
    return n;
  }

  private static String json(Resource r) {
    return FHIR.newJsonParser().encodeResourceToString(r);
  }

  private static Map<String, String> parse(String query) {
    Map<String, String> m = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return m;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      m.put(k, v);
    }
    return m;
  }

  private static void send(HttpExchange x, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }
}
