package dev.him.deploy.load;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load on a running platform, through the gateway with real tokens: patient create, read and search
 * by concurrent clients, then how long an access takes to appear in the audit trail. Prints
 * throughput and latency percentiles. Run against ./run-local.sh with deploy/load/patient-flow.sh
 * [--seconds 20] [--clients 8].
 */
public final class PatientFlowLoad {
  private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newFixedThreadPool(4))
          .build();
  private final String gateway;
  private final String realm;

  private PatientFlowLoad(String gateway, String realm) {
    this.gateway = gateway;
    this.realm = realm;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new ConcurrentHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    PatientFlowLoad load =
        new PatientFlowLoad(
            opt.getOrDefault("gateway", "http://localhost:8080"),
            opt.getOrDefault("realm", "http://localhost:8180/realms/him"));
    int seconds = Integer.parseInt(opt.getOrDefault("seconds", "20"));
    int clients = Integer.parseInt(opt.getOrDefault("clients", "8"));
    load.run(seconds, clients);
    System.exit(0);
  }

  private void run(int seconds, int clients) throws Exception {
    String clerk = token("clerk");
    String privacy = token("privacy");
    String family = "Load" + Long.toString(System.currentTimeMillis(), 36);
    List<String> ids = new CopyOnWriteArrayList<>();
    System.out.printf(
        "Patient flow through %s: %d clients, %d s per operation, %d cores here%n%n",
        gateway, clients, seconds, Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "%-8s %8s %8s %8s %8s %8s %8s %8s%n",
        "op", "ok", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms");

    report(
        "create",
        phase(
            seconds,
            clients,
            () -> {
              String body =
                  "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:load\",\"value\":\""
                      + java.util.UUID.randomUUID()
                      + "\"}],\"name\":[{\"family\":\""
                      + family
                      + "\",\"given\":[\"G"
                      + ThreadLocalRandom.current().nextInt(1000)
                      + "\"]}],\"gender\":\"female\",\"birthDate\":\"1970-01-01\"}";
              HttpResponse<String> r =
                  http.send(
                      req("/fhir/r4/Patient", clerk)
                          .header("Content-Type", "application/fhir+json")
                          .POST(HttpRequest.BodyPublishers.ofString(body))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 201) {
                Matcher m = ID.matcher(r.body());
                if (m.find()) ids.add(m.group(1));
              }
              return r.statusCode() == 201;
            }),
        seconds);
    report(
        "read",
        phase(
            seconds,
            clients,
            () -> {
              String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
              return http.send(
                          req("/fhir/r4/Patient/" + id, clerk).GET().build(),
                          HttpResponse.BodyHandlers.ofString())
                      .statusCode()
                  == 200;
            }),
        seconds);
    report(
        "search",
        phase(
            seconds,
            clients,
            () -> {
              String q =
                  "/fhir/r4/Patient?family="
                      + URLEncoder.encode(family, StandardCharsets.UTF_8)
                      + "&_count=20";
              HttpResponse<String> r =
                  http.send(req(q, clerk).GET().build(), HttpResponse.BodyHandlers.ofString());
              return r.statusCode() == 200 && TOTAL.matcher(r.body()).find();
            }),
        seconds);

    // how long until the privacy officer sees a read in the trail
    List<Long> lags = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
      String requestId = "load-lag-" + java.util.UUID.randomUUID();
      long t0 = System.nanoTime();
      http.send(
          req("/fhir/r4/Patient/" + id, clerk).header("X-Request-Id", requestId).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      while (true) {
        String trail =
            http.send(
                    req("/fhir/r4/AuditEvent?entity=Patient/" + id + "&_count=5", privacy)
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        if (trail.contains(requestId)) break;
        if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30))
          throw new IllegalStateException("read not audited within 30 s");
        Thread.sleep(20);
      }
      lags.add((System.nanoTime() - t0) / 1_000_000);
    }
    Collections.sort(lags);
    System.out.printf(
        "%naudit lag (read -> visible as AuditEvent, 20 samples): p50 %d ms, max %d ms%n",
        lags.get(lags.size() / 2), lags.get(lags.size() - 1));
    String verify =
        http.send(
                req("/api/audit/verify", privacy).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    System.out.println("audit chain after the run: " + verify);
  }

  private interface Call {
    boolean call() throws Exception;
  }

  private record Result(List<Long> micros, int errors) {}

  private static Result phase(int seconds, int clients, Call call) throws InterruptedException {
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger errors = new AtomicInteger();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      pool.execute(
          () -> {
            while (System.nanoTime() < end) {
              long t0 = System.nanoTime();
              try {
                if (call.call()) {
                  latencies.add((System.nanoTime() - t0) / 1000);
                } else {
                  errors.incrementAndGet();
                }
              } catch (Exception e) {
                errors.incrementAndGet();
              }
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
    return new Result(latencies, errors.get());
  }

  private static void report(String op, Result r, int seconds) {
    List<Long> l = new ArrayList<>(r.micros());
    Collections.sort(l);
    if (l.isEmpty()) {
      System.out.printf("%-8s %8d %8d   (no successful calls)%n", op, 0, r.errors());
      return;
    }
    System.out.printf(
        "%-8s %8d %8d %8.0f %8.1f %8.1f %8.1f %8.1f%n",
        op,
        l.size(),
        r.errors(),
        l.size() / (double) seconds,
        pct(l, 50),
        pct(l, 95),
        pct(l, 99),
        l.get(l.size() - 1) / 1000.0);
  }

  private static double pct(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, i)) / 1000.0;
  }

  private HttpRequest.Builder req(String path, String token) {
    return HttpRequest.newBuilder(URI.create(gateway + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token);
  }

  private String token(String user) throws Exception {
    String form = "client_id=him-cli&grant_type=password&username=" + user + "&password=" + user;
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = TOKEN.matcher(r.body());
    if (r.statusCode() != 200 || !m.find()) {
      throw new IllegalStateException("no token for " + user + ": HTTP " + r.statusCode());
    }
    return m.group(1);
  }
}
