package dev.him.deploy.load;

import static dev.him.deploy.load.BenchmarkSupport.fmt;
import static dev.him.deploy.load.BenchmarkSupport.loadAverage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The audit-service benchmark (issue 6, point 7) against a running local platform (./run-local.sh):
 *
 * <ul>
 *   <li><b>ingest</b>: publishes N access events to him.access-events (as every service does) as
 *       fast as the broker takes them, or at --rate per second, and follows the chains in the audit
 *       database until all are stored: the sustained rate from the first event sent to the last one
 *       stored, and the backlog over time.
 *   <li><b>verify</b>: GET /api/audit/verify (every chain and checkpoint recomputed), timed.
 *   <li><b>query</b>: "who accessed this patient" — GET /api/audit/entries?patient=..., straight to
 *       audit-service and through the gateway, for random benchmark patients; p50/p95/p99.
 * </ul>
 *
 * Events use patient ids "bench-p-N" and users "bench-user-N", so the benchmark's own entries are
 * told apart; there is no cleanup because the log is append-only (use a fresh .him-data).
 */
public final class AuditBenchmark {
  private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put("mode", "ingest,verify,query");
    DEFAULTS.put("events", "300000");
    DEFAULTS.put("rate", "0");
    DEFAULTS.put("patients", "100000");
    DEFAULTS.put("users", "2000");
    DEFAULTS.put("queries", "2000");
    DEFAULTS.put("verify-runs", "3");
    DEFAULTS.put("kafka", "localhost:19092");
    DEFAULTS.put("audit", "http://localhost:8084");
    DEFAULTS.put("gateway", "http://localhost:8080");
    DEFAULTS.put("realm", "http://localhost:8180/realms/him");
    DEFAULTS.put("user", "privacy");
    DEFAULTS.put("password", "privacy");
    DEFAULTS.put("db-host", "localhost");
    DEFAULTS.put("db-port", "15432");
    DEFAULTS.put("db-user", "postgres");
    DEFAULTS.put("db-password", "postgres");
    DEFAULTS.put("db-name", "audit");
  }

  private static final String HELP =
      """
      Usage: deploy/load/audit-benchmark.sh [--option value]...
        Needs the local platform running (./run-local.sh) and psql on the PATH. Options:
        --mode M        comma-separated: ingest, verify, query [ingest,verify,query]
        --events N      access events to publish in the ingest run [300000]
        --rate R        events per second to publish; 0 = as fast as the broker takes them [0]
        --patients N    distinct benchmark patients [100000]   --users N  distinct users [2000]
        --queries N     "who accessed this patient" queries per target [2000]
        --verify-runs N [3]
        --kafka HOST:PORT [localhost:19092]   --audit URL [http://localhost:8084]
        --gateway URL [http://localhost:8080] --realm URL [http://localhost:8180/realms/him]
        --user U --password P   a realm user with privacy-officer [privacy/privacy]
        --db-host H --db-port P --db-user U --db-password W --db-name D   the audit database
      """;

  private final Map<String, String> opt;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String token;

  private AuditBenchmark(Map<String, String> opt) {
    this.opt = opt;
  }

  public static void main(String[] args) throws Exception {
    Optional<Map<String, String>> opt = BenchmarkSupport.parse(args, DEFAULTS, HELP);
    if (opt.isPresent()) {
      System.exit(new AuditBenchmark(opt.get()).run());
    }
  }

  private int run() throws Exception {
    String realm = opt.get("realm").replaceAll("/$", "");
    if (!LocalPlatformCheck.running(http, opt.get("gateway"), realm)) {
      return 2;
    }
    token = BenchmarkSupport.passwordToken(http, realm, opt.get("user"), opt.get("password"));
    System.out.printf(
        "== audit-service benchmark, %s, %d cores, load average %s%n",
        LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    System.out.printf(
        "Log before: %s entries in %s chains%n",
        fmt(stored()), psql("select count(*) from audit_chain"));
    for (String mode : opt.get("mode").split(",")) {
      switch (mode.trim()) {
        case "ingest" -> ingest();
        case "verify" -> verify();
        case "query" -> query();
        default -> {
          System.err.println("unknown mode " + mode);
          return 2;
        }
      }
    }
    return 0;
  }

  // ------------------------------------------------------------------ ingest

  private void ingest() throws Exception {
    int n = Integer.parseInt(opt.get("events"));
    int rate = Integer.parseInt(opt.get("rate"));
    int patients = Integer.parseInt(opt.get("patients"));
    int users = Integer.parseInt(opt.get("users"));
    long before = stored();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, opt.get("kafka"));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    System.out.printf(
        "%n-- ingest: %s access events to him.access-events, %s%n",
        fmt(n), rate == 0 ? "as fast as the broker takes them" : fmt(rate) + "/s");
    long start = System.nanoTime();
    long[] sentAt = new long[1];
    Thread producer =
        new Thread(
            () -> {
              try (KafkaProducer<String, String> out =
                  new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < n; i++) {
                  if (rate > 0 && i % 100 == 0) {
                    BenchmarkSupport.sleepUntil(start + (long) (i * 1e9 / rate));
                  }
                  String patient = "bench-p-" + rnd.nextInt(patients);
                  String user = "bench-user-" + rnd.nextInt(users);
                  out.send(
                      new ProducerRecord<>("him.access-events", patient, event(patient, user, i)));
                }
                out.flush();
                sentAt[0] = System.nanoTime();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "benchmark-producer");
    producer.start();
    long last = before;
    long lastT = start;
    long maxBacklog = 0;
    double worstWindow = Double.MAX_VALUE;
    System.out.println("   time   stored   rate/s  backlog");
    while (true) {
      Thread.sleep(2000);
      long now = System.nanoTime();
      long s = stored() - before;
      double windowRate = (s - (last - before)) / ((now - lastT) / 1e9);
      long sent = producer.isAlive() ? -1 : n;
      System.out.printf(
          Locale.ROOT,
          "%6.1fs %8s %8.0f%s%n",
          (now - start) / 1e9,
          fmt(s),
          windowRate,
          sent < 0 ? "" : "  " + fmt(n - s));
      if (s > 0 && s < n && !producer.isAlive()) {
        maxBacklog = Math.max(maxBacklog, n - s);
      }
      if (s > 0 && s < n) {
        worstWindow = Math.min(worstWindow, windowRate);
      }
      last = s + before;
      lastT = now;
      if (s >= n) {
        break;
      }
    }
    producer.join();
    long end = System.nanoTime();
    double total = (end - start) / 1e9;
    double produce = (sentAt[0] - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "Ingest: %s events published in %.1f s (%.0f/s); all stored %.1f s after the first was"
            + " sent: sustained %.0f events/s into the chained store (2 s sampling; lowest 2 s"
            + " window while a backlog remained %.0f/s); load average %s%n",
        fmt(n),
        produce,
        n / produce,
        total,
        n / total,
        worstWindow == Double.MAX_VALUE ? 0 : worstWindow,
        loadAverage());
  }

  private static String event(String patient, String user, int i) {
    return "{\"eventId\":\""
        + UUID.randomUUID()
        + "\",\"eventType\":\"AccessEvent\",\"eventVersion\":1,"
        + "\"occurredAt\":\""
        + Instant.now()
        + "\",\"actor\":{\"subject\":\"sub-"
        + user
        + "\",\"username\":\""
        + user
        + "\",\"roles\":[\"clinician\"],\"clientId\":\"him-console\"},"
        + "\"action\":\""
        + (i % 10 == 0 ? "SEARCH" : "READ")
        + "\",\"resourceType\":\"Observation\","
        + "\"resourceId\":\"obs-"
        + i
        + "\",\"patientIds\":[\""
        + patient
        + "\"],\"outcome\":\"SUCCESS\","
        + "\"purposeOfUse\":\"TREAT\",\"correlationId\":\"bench-"
        + i
        + "\",\"sourceService\":\"records-service\","
        + "\"detail\":null}";
  }

  // ------------------------------------------------------------------ verify

  private void verify() throws Exception {
    int runs = Integer.parseInt(opt.get("verify-runs"));
    System.out.printf("%n-- verify: GET %s/api/audit/verify, %d runs%n", opt.get("audit"), runs);
    for (int i = 1; i <= runs; i++) {
      long t = System.nanoTime();
      HttpResponse<String> r = get(opt.get("audit"), "/api/audit/verify", Duration.ofMinutes(10));
      double s = (System.nanoTime() - t) / 1e9;
      if (r.statusCode() != 200) {
        System.out.printf(
            Locale.ROOT,
            "Verify run %d: HTTP %d after %.2f s: %s%n",
            i,
            r.statusCode(),
            s,
            r.body().length() > 2000 ? r.body().substring(0, 2000) : r.body());
        continue;
      }
      Map<String, Object> body = Json.object(Json.parse(r.body()));
      System.out.printf(
          Locale.ROOT,
          "Verify run %d: HTTP %d in %.2f s: intact=%s, %s entries and %s checkpoints recomputed"
              + " (%.0f entries/s)%n",
          i,
          r.statusCode(),
          s,
          body.get("intact"),
          fmt(((Number) body.get("checkedEntries")).longValue()),
          fmt(((Number) body.get("checkedCheckpoints")).longValue()),
          ((Number) body.get("checkedEntries")).longValue() / s);
    }
  }

  // ------------------------------------------------------------------ query

  private void query() throws Exception {
    int n = Integer.parseInt(opt.get("queries"));
    int patients = Integer.parseInt(opt.get("patients"));
    System.out.printf(
        "%n-- query: who accessed this patient (GET /api/audit/entries?patient=bench-p-N&count=50),"
            + " %s entries in the log%n",
        fmt(stored()));
    for (String target : new String[] {opt.get("audit"), opt.get("gateway")}) {
      Latencies warm = new Latencies();
      run(target, Math.min(200, n), patients, warm);
      Latencies raw = new Latencies();
      long t = System.nanoTime();
      run(target, n, patients, raw);
      double s = (System.nanoTime() - t) / 1e9;
      Latencies lat = Latencies.merge(java.util.List.of(raw)); // sorted, for percentiles
      System.out.printf(
          Locale.ROOT,
          "%-24s %s queries, %.0f/s: p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms, %d errors%n",
          target,
          fmt(lat.size()),
          lat.size() / s,
          lat.percentileMs(50),
          lat.percentileMs(95),
          lat.percentileMs(99),
          lat.maxMs(),
          lat.errorCount());
    }
  }

  private void run(String base, int n, int patients, Latencies lat) throws Exception {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    for (int i = 0; i < n; i++) {
      String path = "/api/audit/entries?count=50&patient=bench-p-" + rnd.nextInt(patients);
      long t = System.nanoTime();
      HttpResponse<String> r = get(base, path, Duration.ofSeconds(30));
      if (r.statusCode() == 200) {
        lat.record(System.nanoTime() - t);
      } else {
        lat.error("HTTP " + r.statusCode());
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private HttpResponse<String> get(String base, String path, Duration timeout) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .timeout(timeout)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private long stored() throws Exception {
    return Long.parseLong(psql("select coalesce(sum(size), 0) from audit_chain").trim());
  }

  private String psql(String sql) throws Exception {
    return BenchmarkSupport.psql(opt, sql).trim();
  }
}
