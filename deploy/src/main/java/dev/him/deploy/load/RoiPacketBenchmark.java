package dev.him.deploy.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The release-packet benchmark (issue 5, point 9): how long requests-service takes to build the
 * packet of a Synthea patient's whole record. Against a running local platform (./run-local.sh),
 * through the gateway with real tokens: loads the largest Synthea patient into records-service,
 * logs a right-of-access request for them, moves it to IN_PROCESSING, builds the packet N times and
 * prints p50/p95/max of the build time as the client sees it and as the service measured it
 * (Server-Timing: records fetch, PDF, store), with the resource and page counts. Target: under 2 s.
 *
 * <p>Run it with deploy/load/roi-packet-benchmark.sh [--builds 20] [--warmup 3]; --help lists the
 * options.
 */
public final class RoiPacketBenchmark {
  private static final Pattern PATIENT_LOCATION =
      Pattern.compile("\"location\"\\s*:\\s*\"Patient/([^/\"]+)");
  private static final Pattern TIMING = Pattern.compile("([a-z]+);dur=([0-9.]+)");
  private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put("gateway", "http://localhost:8080");
    DEFAULTS.put("realm", "http://localhost:8180/realms/him");
    DEFAULTS.put("builds", "20");
    DEFAULTS.put("warmup", "3");
    DEFAULTS.put("synthea", "");
  }

  private static final String HELP =
      """
      roi-packet-benchmark: release packet build time of requests-service (issue 5, point 9).
      Needs the local platform running (./run-local.sh). Options (defaults in brackets):
        --builds N      measured packet builds [20]
        --warmup N      builds before measuring, not counted [3]
        --synthea DIR   Synthea FHIR R4 bundles; the largest patient is used [../shared/data/synthea/fhir-r4]
        --gateway URL   [http://localhost:8080]
        --realm URL     [http://localhost:8180/realms/him]
      """;

  private final Map<String, String> opt;
  private final String gateway;
  private final String realm;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Map<String, String> tokens = new LinkedHashMap<>();

  private RoiPacketBenchmark(Map<String, String> opt) {
    this.opt = opt;
    this.gateway = opt.get("gateway").replaceAll("/$", "");
    this.realm = opt.get("realm").replaceAll("/$", "");
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = BenchmarkSupport.parse(args, DEFAULTS, HELP).orElse(null);
    if (opt == null) {
      return; // --help
    }
    if (opt.get("synthea").isEmpty()) {
      Path root = Path.of(System.getProperty("him.repo.root", ".")).toAbsolutePath();
      opt.put("synthea", root.resolve("../shared/data/synthea/fhir-r4").normalize().toString());
    }
    System.exit(new RoiPacketBenchmark(opt).run());
  }

  private int run() throws Exception {
    if (!LocalPlatformCheck.running(http, gateway, realm)) return 2;
    Path dir = Path.of(opt.get("synthea"));
    if (!Files.isDirectory(dir)) {
      System.err.println("No Synthea bundles at " + dir + " (--synthea DIR)");
      return 2;
    }
    token("roi", "client_id=him-cli&grant_type=password&username=roi&password=roi");
    token(
        "hospital",
        "client_id=hospital-system&client_secret=hospital-system-local-secret"
            + "&grant_type=client_credentials");
    int builds = Integer.parseInt(opt.get("builds"));
    int warmup = Integer.parseInt(opt.get("warmup"));
    System.out.println("== roi-packet-benchmark " + LocalDate.now() + " ==");
    System.out.printf(
        "   gateway %s, realm %s, %d builds after %d warm-up%n", gateway, realm, builds, warmup);

    // 1. the largest Synthea patient into records-service (organizations and practitioners first)
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    for (Path f : files) {
      if (!Character.isUpperCase(f.getFileName().toString().charAt(0))) {
        HttpResponse<String> r =
            send(post("/fhir/r4", "hospital", Files.readString(f), "application/fhir+json"));
        System.out.printf("   %s: HTTP %d%n", f.getFileName(), r.statusCode());
      }
    }
    Path largest =
        files.stream()
            .filter(f -> Character.isUpperCase(f.getFileName().toString().charAt(0)))
            .max(Comparator.comparingLong(RoiPacketBenchmark::size))
            .orElseThrow(() -> new IllegalStateException("no patient bundles in " + dir));
    SyntheaBundle bundle = SyntheaBundle.read(largest);
    String run = "roi" + Long.toString(System.currentTimeMillis(), 36);
    HttpResponse<String> loaded =
        send(
            post(
                "/fhir/r4", "hospital", bundle.withFreshIdentifiers(run), "application/fhir+json"));
    Matcher m = PATIENT_LOCATION.matcher(loaded.body());
    if (loaded.statusCode() != 200 || !m.find()) {
      System.err.printf("loading %s failed: HTTP %d%n", largest.getFileName(), loaded.statusCode());
      return 1;
    }
    String patientId = m.group(1);
    System.out.printf(
        "1. patient: %s, %d entries, loaded as Patient/%s%n",
        largest.getFileName(), bundle.entries(), patientId);

    // 2. a right-of-access request, moved to IN_PROCESSING (the basis needs no document)
    String body =
        """
        {"patientId": "%s",
         "requester": {"type": "INDIVIDUAL", "name": "Benchmark Patient", "address": "1 Main St"},
         "requestType": "RIGHT_OF_ACCESS", "receivedOn": "%s",
         "recordsRequested": "My whole record", "deliveryFormat": "ELECTRONIC"}
        """
            .formatted(patientId, LocalDate.now());
    HttpResponse<String> created = send(post("/api/requests/roi", "roi", body, "application/json"));
    if (created.statusCode() != 201) {
      System.err.printf(
          "logging the request failed: HTTP %d %s%n", created.statusCode(), created.body());
      return 1;
    }
    String requestId = Json.string(Json.object(Json.parse(created.body())).get("id"));
    String[][] steps = {
      {"IDENTITY_VERIFIED", ", \"identityMethod\": \"PHOTO_ID\""},
      {"BASIS_VALIDATED", ""},
      {"IN_PROCESSING", ""}
    };
    for (int i = 0; i < steps.length; i++) {
      HttpResponse<String> moved =
          send(
              post(
                      "/api/requests/roi/" + requestId + "/transitions",
                      "roi",
                      "{\"to\": \"" + steps[i][0] + "\"" + steps[i][1] + "}",
                      "application/json")
                  .header("If-Match", "\"" + i + "\""));
      if (moved.statusCode() != 200) {
        System.err.printf(
            "moving to %s failed: HTTP %d %s%n", steps[i][0], moved.statusCode(), moved.body());
        return 1;
      }
    }
    System.out.printf("2. request: RoiRequest/%s, RIGHT_OF_ACCESS, now IN_PROCESSING%n", requestId);

    // 3. build the packet: warm-up, then measured
    System.out.printf(
        "3. build: POST /api/requests/roi/{id}/packet, one at a time, %d warm-up + %d measured%n",
        warmup, builds);
    Latencies client = new Latencies();
    Map<String, Latencies> server = new LinkedHashMap<>();
    int resources = -1;
    int pages = -1;
    int size = -1;
    for (int i = 0; i < warmup + builds; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r =
          send(post("/api/requests/roi/" + requestId + "/packet", "roi", "", "application/json"));
      long took = System.nanoTime() - t0;
      if (r.statusCode() != 201) {
        System.err.printf("build %d failed: HTTP %d %s%n", i + 1, r.statusCode(), r.body());
        return 1;
      }
      Map<String, Object> packet = Json.object(Json.parse(r.body()));
      resources = ((Number) packet.get("resourceCount")).intValue();
      pages = ((Number) packet.get("pageCount")).intValue();
      size = ((Number) packet.get("sizeBytes")).intValue();
      if (i < warmup) continue;
      client.record(took);
      Matcher t = TIMING.matcher(r.headers().firstValue("Server-Timing").orElse(""));
      while (t.find()) {
        server
            .computeIfAbsent(t.group(1), k -> new Latencies())
            .record((long) (Double.parseDouble(t.group(2)) * 1_000_000));
      }
    }
    Latencies all = Latencies.merge(List.of(client));
    System.out.printf(
        "   packet: %d resources released, %d pages, %.0f kB%n", resources, pages, size / 1024.0);
    System.out.printf(
        "   %-22s p50 %7.0f ms   p95 %7.0f ms   max %7.0f ms%n",
        "client (via gateway)", all.percentileMs(50), all.percentileMs(95), all.maxMs());
    for (Map.Entry<String, Latencies> e : server.entrySet()) {
      Latencies s = Latencies.merge(List.of(e.getValue()));
      System.out.printf(
          "   %-22s p50 %7.0f ms   p95 %7.0f ms   max %7.0f ms%n",
          "service: " + e.getKey(), s.percentileMs(50), s.percentileMs(95), s.maxMs());
    }
    boolean met = all.percentileMs(95) < 2000;
    System.out.printf(
        "== summary: packet of %d resources / %d pages built in p50 %.0f ms, p95 %.0f ms, max %.0f"
            + " ms  [target < 2,000 ms: %s]%n",
        resources,
        pages,
        all.percentileMs(50),
        all.percentileMs(95),
        all.maxMs(),
        met ? "met" : "NOT met");
    return 0;
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private HttpRequest.Builder post(String path, String who, String body, String type) {
    return HttpRequest.newBuilder(URI.create(gateway + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + tokens.get(who))
        .header("Content-Type", type)
        .header("X-Request-Id", "bench-" + UUID.randomUUID())
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void token(String name, String form) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String value = Json.string(Json.object(Json.parse(r.body())).get("access_token"));
    if (r.statusCode() != 200 || value == null) {
      throw new IllegalStateException("no token for " + name + ": HTTP " + r.statusCode());
    }
    tokens.put(name, value);
  }
}
