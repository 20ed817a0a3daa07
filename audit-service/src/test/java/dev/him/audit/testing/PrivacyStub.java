package dev.him.audit.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Keycloak (token endpoint, admin users search) and for records-service's privacy
 * facts in audit-service's tests: tests put users and patients in, and can make it fail as if down.
 * Every call must carry the token obtained with audit-service's client credentials.
 */
public class PrivacyStub implements QuarkusTestResourceLifecycleManager {
  static final String TOKEN_PATH = "/realms/him/protocol/openid-connect/token";
  static final String USERS_PATH = "/admin/realms/him/users";
  static final String FACTS_PREFIX = "/api/records/patients/";
  public static final String CLIENT_ID = "audit-service";
  public static final String CLIENT_SECRET = "stub-secret";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Map<String, Object>> USERS = new ConcurrentHashMap<>();
  private static final Map<String, Map<String, Object>> PATIENTS = new ConcurrentHashMap<>();
  private static final AtomicBoolean DOWN = new AtomicBoolean();
  private static final Map<String, AtomicInteger> USER_CALLS = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> FACT_CALLS = new ConcurrentHashMap<>();
  private static final Map<String, String> PURPOSES = new ConcurrentHashMap<>();
  private static volatile long factsDelayMillis;
  private static final AtomicInteger FACTS_IN_FLIGHT = new AtomicInteger();
  private static final AtomicInteger FACTS_MOST_IN_FLIGHT = new AtomicInteger();

  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(TOKEN_PATH, this::token);
    server.createContext(USERS_PATH, this::users);
    server.createContext(FACTS_PREFIX, this::facts);
    server.start();
    String base = "http://localhost:" + server.getAddress().getPort();
    Map<String, String> config = new HashMap<>();
    config.put("quarkus.rest-client.records-service.url", base);
    config.put("quarkus.rest-client.keycloak-admin.url", base);
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

  /** A Keycloak user with these attributes (single values). */
  public static void user(String username, String lastName, Map<String, String> attributes) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("id", java.util.UUID.randomUUID().toString());
    u.put("username", username);
    u.put("firstName", "Test");
    u.put("lastName", lastName);
    Map<String, List<String>> attrs = new LinkedHashMap<>();
    attributes.forEach((k, v) -> attrs.put(k, List.of(v)));
    u.put("attributes", attrs);
    USERS.put(username, u);
  }

  /** A patient's privacy facts as records-service would answer them. */
  public static PatientBuilder patient(String id) {
    return new PatientBuilder(id);
  }

  /** Every call answers 503 (down = true) or normally again. */
  public static void down(boolean down) {
    DOWN.set(down);
  }

  /** How often this user was looked up. */
  public static int userCalls(String username) {
    return USER_CALLS.getOrDefault(username, new AtomicInteger()).get();
  }

  /** How often this patient's facts were read. */
  public static int factCalls(String patientId) {
    return FACT_CALLS.getOrDefault(patientId, new AtomicInteger()).get();
  }

  /** Each facts read answers after this long (a slow records-service); > 0 resets the peak. */
  public static void factsDelay(long millis) {
    if (millis > 0) {
      FACTS_MOST_IN_FLIGHT.set(0);
    }
    factsDelayMillis = millis;
  }

  /** The most facts reads in progress at once since {@link #factsDelay}. */
  public static int mostFactsInFlight() {
    return FACTS_MOST_IN_FLIGHT.get();
  }

  /** The X-Purpose-Of-Use of the last facts read of this patient. */
  public static String purposeFor(String patientId) {
    return PURPOSES.get(patientId);
  }

  public static final class PatientBuilder {
    private final Map<String, Object> facts = new LinkedHashMap<>();

    PatientBuilder(String id) {
      facts.put("patientId", id);
      facts.put("familyNames", new ArrayList<String>());
      facts.put("addresses", new ArrayList<Map<String, String>>());
      facts.put("vip", false);
      facts.put("securityCodes", new ArrayList<String>());
      facts.put("deceased", false);
      facts.put("deceasedAt", null);
      facts.put("encounterPractitionerIds", new ArrayList<String>());
      PATIENTS.put(id, facts);
    }

    @SuppressWarnings("unchecked")
    public PatientBuilder family(String name) {
      ((List<String>) facts.get("familyNames")).add(name);
      return this;
    }

    @SuppressWarnings("unchecked")
    public PatientBuilder address(String line, String postalCode) {
      Map<String, String> a = new LinkedHashMap<>();
      a.put("line", line);
      a.put("postalCode", postalCode);
      ((List<Map<String, String>>) facts.get("addresses")).add(a);
      return this;
    }

    @SuppressWarnings("unchecked")
    public PatientBuilder label(String code, boolean vip) {
      ((List<String>) facts.get("securityCodes")).add(code);
      facts.put("vip", (Boolean) facts.get("vip") || vip);
      return this;
    }

    public PatientBuilder deceased(String at) {
      facts.put("deceased", true);
      facts.put("deceasedAt", at);
      return this;
    }

    @SuppressWarnings("unchecked")
    public PatientBuilder encounterWith(String practitionerId) {
      ((List<String>) facts.get("encounterPractitionerIds")).add(practitionerId);
      return this;
    }
  }

  // --- the endpoints ---

  private void token(HttpExchange x) throws IOException {
    String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> params = parse(form);
    String expectedBasic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    boolean clientOk =
        expectedBasic.equals(x.getRequestHeaders().getFirst("Authorization"))
            || (CLIENT_ID.equals(params.get("client_id"))
                && CLIENT_SECRET.equals(params.get("client_secret")));
    if (DOWN.get()) {
      send(x, 503, "{}");
    } else if (!"client_credentials".equals(params.get("grant_type")) || !clientOk) {
      send(x, 401, "{\"error\":\"unauthorized_client\"}");
    } else {
      send(
          x, 200, "{\"access_token\":\"stub-token\",\"token_type\":\"Bearer\",\"expires_in\":300}");
    }
  }

  private void users(HttpExchange x) throws IOException {
    Map<String, String> q = parse(x.getRequestURI().getRawQuery());
    USER_CALLS
        .computeIfAbsent(q.getOrDefault("username", ""), k -> new AtomicInteger())
        .incrementAndGet();
    if (refused(x)) {
      return;
    }
    Map<String, Object> u = USERS.get(q.getOrDefault("username", ""));
    send(x, 200, JSON.writeValueAsString(u == null ? List.of() : List.of(u)));
  }

  private void facts(HttpExchange x) throws IOException {
    String rest = x.getRequestURI().getPath().substring(FACTS_PREFIX.length());
    String id = rest.endsWith("/privacy-facts") ? rest.substring(0, rest.indexOf('/')) : "";
    FACT_CALLS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    int inFlight = FACTS_IN_FLIGHT.incrementAndGet();
    FACTS_MOST_IN_FLIGHT.accumulateAndGet(inFlight, Math::max);
    try {
      if (factsDelayMillis > 0) {
        Thread.sleep(factsDelayMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      FACTS_IN_FLIGHT.decrementAndGet();
    }
    if (refused(x)) {
      return;
    }
    PURPOSES.put(id, String.valueOf(x.getRequestHeaders().getFirst("X-Purpose-Of-Use")));
    Map<String, Object> facts = PATIENTS.get(id);
    if (facts == null) {
      send(x, 404, "{\"title\":\"Not Found\",\"status\":404}");
    } else {
      send(x, 200, JSON.writeValueAsString(facts));
    }
  }

  private static boolean refused(HttpExchange x) throws IOException {
    if (DOWN.get()) {
      send(x, 503, "{}");
      return true;
    }
    if (!"Bearer stub-token".equals(x.getRequestHeaders().getFirst("Authorization"))) {
      send(x, 401, "{}");
      return true;
    }
    return false;
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

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }
}
