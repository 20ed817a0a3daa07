package dev.him.deploy.load;

import static dev.him.deploy.load.BenchmarkSupport.fmt;
import static dev.him.deploy.load.BenchmarkSupport.loadAverage;
import static dev.him.deploy.load.BenchmarkSupport.sleepUntil;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code search benchmark (issue 4, point 8), run against a running local platform
 * (./run-local.sh) with a real token: a fixed mix of realistic ICD-10-CM searches (words,
 * abbreviations, codes with and without the dot) by N concurrent clients for S seconds, through the
 * gateway and, for comparison, straight to coding-service. It prints throughput, client latency
 * p50/p95/p99 and the time inside coding-service (its Server-Timing header) p50/p99, and the CPU
 * each process used, which shows where the time goes.
 *
 * <p>The measured requests go over a minimal HTTP/1.1 keep-alive client on plain sockets (one
 * connection per client thread), so the benchmark takes as little as possible of the two cores it
 * shares with what it measures; java.net.http is used only for the token and the checks.
 *
 * <p>Run it with deploy/load/code-search-benchmark.sh [--seconds 30] [--clients 32] ...; --help
 * lists the options.
 */
public final class CodeSearchBenchmark {
  private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");
  private static final Pattern FIRST_CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern TIMING = Pattern.compile("search;dur=([0-9.]+)");
  private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  /**
   * What coders type: whole and partial words in any order, the short descriptions' abbreviations,
   * codes with and without the dot, code prefixes, a code prefix with words.
   */
  static final List<String> QUERIES =
      List.of(
          "diab mell type 2",
          "E11.9",
          "e119",
          "E11",
          "hypertension",
          "essential hypertension",
          "chest pain",
          "pneumonia",
          "sepsis",
          "acute kidney failure",
          "chronic kidney disease stage 3",
          "heart failure",
          "atrial fib",
          "urinary tract infection",
          "fracture neck femur right",
          "S72.001A",
          "hip fracture",
          "major depressive",
          "anxiety",
          "asthma",
          "covid",
          "obesity",
          "hyperlipidemia",
          "reflux",
          "migraine",
          "low back pain",
          "osteoarthritis knee",
          "alzheimer",
          "cerebral infarction",
          "I10",
          "J18.9",
          "N39.0",
          "z00.00",
          "preterm labor",
          "anemia",
          "hypothyroidism",
          "dementia",
          "alcohol dependence",
          "opioid use",
          "sprain ankle",
          "laceration hand",
          "abdominal pain",
          "nausea vomiting",
          "syncope",
          "headache",
          "cellulitis lower limb",
          "pressure ulcer sacral",
          "diabetic retinopathy",
          "long term insulin",
          "encounter screening",
          "F32.A",
          "r07.9",
          "a41.9",
          "k21",
          "e11 kidney",
          "copd",
          "chronic obstructive pulmonary",
          "fx femur",
          "pain",
          "type 1 diab");

  static {
    DEFAULTS.put("gateway", "http://localhost:8080");
    DEFAULTS.put("service", "http://localhost:8082");
    DEFAULTS.put("realm", "http://localhost:8180/realms/him");
    DEFAULTS.put("user", "coder");
    DEFAULTS.put("password", "coder");
    DEFAULTS.put("system", "icd10cm");
    DEFAULTS.put("phases", "gateway,service");
    DEFAULTS.put("clients", "32");
    DEFAULTS.put("seconds", "30");
    DEFAULTS.put("warmup", "10");
    DEFAULTS.put("limit", "20");
    DEFAULTS.put("rate", "0");
    DEFAULTS.put("codesets", "../shared/data/codesets");
    DEFAULTS.put("admin", "admin");
  }

  private static final String HELP =
      """
      code-search-benchmark: ICD-10-CM search through the gateway (issue 4, point 8).
      Needs the local platform running (./run-local.sh) with ICD-10-CM loaded. Options:
        --phases LIST   gateway (through the gateway), service (straight to coding-service,
                        to see what the gateway adds), rate (open loop at --rate) [gateway,service]
        --clients N     concurrent clients, closed loop, one keep-alive connection each [32]
        --seconds S     measured seconds per phase [30]
        --warmup S      warm-up seconds before each phase, not counted [10]
        --rate R        offered searches/s for the rate phase (also runs it when > 0) [0]
        --limit N       results per search [20]
        --system S      icd10cm, icd10pcs or hcpcs (the query mix is written for icd10cm) [icd10cm]
        --user U        realm user (password grant, client him-cli) [coder]
        --password P    [coder]
        --gateway URL   [http://localhost:8080]
        --service URL   coding-service itself [http://localhost:8082]
        --realm URL     [http://localhost:8180/realms/him]
        --phases import also times an import of the whole ICD-10-CM order file: the CDC zip
                        is uploaded through the gateway as a new release "BENCH-<time>" in force
                        on 1 January 1990 only (it never answers a real lookup; each run adds one)
        --codesets DIR  folder with ICD10-CM-Code-Descriptions-2025.zip [../shared/data/codesets]
        --admin U       him-admin user for the import (password = user name) [admin]
      """;

  private final Map<String, String> opt;
  private final URI gateway;
  private final URI service;
  private final String realm;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ScheduledExecutorService background =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "benchmark-background");
            t.setDaemon(true);
            return t;
          });
  private volatile String token;
  private ProcessStats processes;
  private final List<String> paths = new ArrayList<>();
  private final Map<String, String> summary = new LinkedHashMap<>();

  /** What a measured window produced. */
  private record Window(
      Latencies client,
      Latencies inside,
      double seconds,
      Map<String, Double> cores,
      Map<String, Map<String, Double>> threads,
      long offered) {}

  private CodeSearchBenchmark(Map<String, String> opt) {
    this.opt = opt;
    this.gateway = URI.create(opt.get("gateway").replaceAll("/$", ""));
    this.service = URI.create(opt.get("service").replaceAll("/$", ""));
    this.realm = opt.get("realm").replaceAll("/$", "");
  }

  public static void main(String[] args) throws Exception {
    Optional<Map<String, String>> opt = BenchmarkSupport.parse(args, DEFAULTS, HELP);
    if (opt.isPresent()) {
      System.exit(new CodeSearchBenchmark(opt.get()).run());
    }
  }

  private int run() throws Exception {
    if (!platformRunning()) return 2;
    Set<String> phases = new LinkedHashSet<>(List.of(opt.get("phases").split(",")));
    if (intOpt("rate") > 0) phases.add("rate");
    for (String q : QUERIES) {
      paths.add(
          "/api/coding/"
              + opt.get("system")
              + "/search?q="
              + URLEncoder.encode(q, StandardCharsets.UTF_8)
              + "&limit="
              + intOpt("limit"));
    }
    renewToken();
    processes =
        ProcessStats.find(
            new LinkedHashMap<>(
                Map.of(
                    "gateway", port(gateway),
                    "coding-service", port(service),
                    "keycloak", port(URI.create(realm)),
                    "postgres", 15432)),
            Set.of("postgres"));
    printHeader(phases);
    if (!check()) return 1;
    if (phases.contains("gateway")) {
      Window w = closedLoop(gateway);
      report("1. Through the gateway: GET " + gateway + "/api/coding/...", w);
      summary.put(
          "through the gateway",
          String.format(
              Locale.ROOT,
              "%.0f searches/s (%d clients), client p99 %.1f ms, in-service p99 %.2f ms"
                  + "  [targets: >= 2,000/s; in-service p99 <= 5 ms]",
              w.client().size() / w.seconds(),
              intOpt("clients"),
              w.client().percentileMs(99),
              w.inside().percentileMs(99)));
    }
    if (phases.contains("service")) {
      Window w = closedLoop(service);
      report("2. Straight to coding-service (no gateway): GET " + service + "/api/coding/...", w);
      summary.put(
          "straight to coding-service",
          String.format(
              Locale.ROOT,
              "%.0f searches/s (%d clients), client p99 %.1f ms, in-service p99 %.2f ms",
              w.client().size() / w.seconds(),
              intOpt("clients"),
              w.client().percentileMs(99),
              w.inside().percentileMs(99)));
    }
    if (phases.contains("rate") && intOpt("rate") > 0) {
      Window w = openLoop(gateway, intOpt("rate"));
      report(
          "3. Through the gateway at a fixed rate of " + fmt(intOpt("rate")) + "/s (open loop)", w);
      long answered = w.client().size() + w.client().errorCount();
      summary.put(
          "gateway at " + fmt(intOpt("rate")) + "/s",
          String.format(
              Locale.ROOT,
              "%.0f searches/s answered, client p99 %.1f ms, in-service p99 %.2f ms%s",
              w.client().size() / w.seconds(),
              w.client().percentileMs(99),
              w.inside().percentileMs(99),
              answered < w.offered() * 0.99 ? " (rate NOT sustained)" : ""));
    }
    if (phases.contains("import")) {
      summary.put("ICD-10-CM import", timeImport());
    }
    System.out.println();
    System.out.println("== Summary (issue 4, point 8), load average now " + loadAverage());
    summary.forEach((k, v) -> System.out.printf("   %-28s %s%n", k, v));
    return 0;
  }

  // ---------------------------------------------------------------- checks

  /** Every query once through the gateway: all must answer 200; shows what a few find. */
  private boolean check() throws Exception {
    System.out.println();
    System.out.println(
        "== Check: each of the " + QUERIES.size() + " queries once, through the gateway");
    int shown = 0;
    for (int i = 0; i < QUERIES.size(); i++) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(gateway + paths.get(i)))
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(60))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        System.out.printf(
            "   \"%s\": HTTP %d %s%n",
            QUERIES.get(i),
            r.statusCode(),
            r.body().substring(0, Math.min(300, r.body().length())));
        System.out.println(
            "   the search does not answer: is ICD-10-CM loaded (coding-service log) and may user "
                + opt.get("user")
                + " search?");
        return false;
      }
      if (shown++ < 8) {
        Matcher total = TOTAL.matcher(r.body());
        Matcher first = FIRST_CODE.matcher(r.body());
        System.out.printf(
            "   %-26s total %6s, first %-9s %s%n",
            '"' + QUERIES.get(i) + '"',
            total.find() ? total.group(1) : "?",
            first.find() ? first.group(1) : "-",
            r.headers().firstValue("Server-Timing").orElse("(no Server-Timing)"));
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- load

  private Window closedLoop(URI target) throws InterruptedException {
    int clients = intOpt("clients");
    long start = System.nanoTime();
    long from = start + TimeUnit.SECONDS.toNanos(intOpt("warmup"));
    long end = from + TimeUnit.SECONDS.toNanos(intOpt("seconds"));
    List<Latencies> client = Collections.synchronizedList(new ArrayList<>());
    List<Latencies> inside = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                Latencies l = new Latencies();
                Latencies in = new Latencies();
                client.add(l);
                inside.add(in);
                Conn conn = new Conn(target);
                int next = ThreadLocalRandom.current().nextInt(paths.size());
                while (true) {
                  long t0 = System.nanoTime();
                  if (t0 >= end) break;
                  Reply r = conn.get(paths.get(next), token);
                  next = (next + 1) % paths.size();
                  if (t0 < from) continue;
                  if (r.error() == null) {
                    l.record(System.nanoTime() - t0);
                    if (r.insideNanos() >= 0) in.record(r.insideNanos());
                  } else {
                    l.error(r.error());
                  }
                }
                conn.close();
              },
              "client-" + c);
      threads.add(t);
      t.start();
    }
    return measure(from, end, threads, client, inside, 0);
  }

  /** Offers {@code rate} searches a second on a fixed schedule; latency from the scheduled time. */
  private Window openLoop(URI target, int rate) throws InterruptedException {
    int clients = Math.max(intOpt("clients"), 64);
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    long from = start + TimeUnit.SECONDS.toNanos(intOpt("warmup"));
    long end = from + TimeUnit.SECONDS.toNanos(intOpt("seconds"));
    double interval = 1e9 / rate;
    AtomicLong ticket = new AtomicLong();
    List<Latencies> client = Collections.synchronizedList(new ArrayList<>());
    List<Latencies> inside = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                Latencies l = new Latencies();
                Latencies in = new Latencies();
                client.add(l);
                inside.add(in);
                Conn conn = new Conn(target);
                while (true) {
                  long k = ticket.getAndIncrement();
                  long due = start + (long) (k * interval);
                  if (due >= end) break;
                  long now;
                  while ((now = System.nanoTime()) < due) LockSupport.parkNanos(due - now);
                  if (now >= end + TimeUnit.SECONDS.toNanos(5)) break;
                  Reply r = conn.get(paths.get((int) (k % paths.size())), token);
                  if (due < from) continue;
                  if (r.error() == null) {
                    l.record(System.nanoTime() - due);
                    if (r.insideNanos() >= 0) in.record(r.insideNanos());
                  } else {
                    l.error(r.error());
                  }
                }
                conn.close();
              },
              "rate-client-" + c);
      threads.add(t);
      t.start();
    }
    return measure(from, end, threads, client, inside, (long) (rate * ((end - from) / 1e9)));
  }

  private Window measure(
      long from,
      long end,
      List<Thread> threads,
      List<Latencies> client,
      List<Latencies> inside,
      long offered)
      throws InterruptedException {
    sleepUntil(from);
    Map<String, Double> cpu0 = processes.cpuSeconds();
    Map<String, Map<String, Long>> threads0 = threadTicks();
    sleepUntil(end);
    double seconds = (end - from) / 1e9;
    Map<String, Double> cpu1 = processes.cpuSeconds();
    Map<String, Map<String, Long>> threads1 = threadTicks();
    for (Thread t : threads) t.join();
    Map<String, Double> cores = new LinkedHashMap<>();
    double tracked = 0;
    for (var e : cpu1.entrySet()) {
      double used = (e.getValue() - cpu0.getOrDefault(e.getKey(), 0.0)) / seconds;
      cores.put(e.getKey(), used);
      if (!e.getKey().equals("machine")) tracked += used;
    }
    cores.put("other processes", Math.max(0, cores.getOrDefault("machine", 0.0) - tracked));
    Map<String, Map<String, Double>> byThread = new LinkedHashMap<>();
    threads1.forEach(
        (process, parts) -> {
          Map<String, Long> before = threads0.getOrDefault(process, Map.of());
          Map<String, Double> groups = new LinkedHashMap<>();
          parts.forEach(
              (key, ticks) ->
                  groups.merge(
                      key.substring(key.indexOf('\t') + 1),
                      ProcessStats.seconds(ticks - before.getOrDefault(key, 0L)) / seconds,
                      Double::sum));
          Map<String, Double> sorted = new LinkedHashMap<>();
          groups.entrySet().stream()
              .filter(e -> e.getValue() >= 0.005)
              .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
              .limit(6)
              .forEach(e -> sorted.put(e.getKey(), e.getValue()));
          byThread.put(process, sorted);
        });
    return new Window(
        Latencies.merge(client), Latencies.merge(inside), seconds, cores, byThread, offered);
  }

  private Map<String, Map<String, Long>> threadTicks() {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (ProcessStats.Watched w : processes.watched()) {
      if (w.name().equals("gateway") || w.name().equals("coding-service")) {
        out.put(w.name(), processes.ticksByPart(w));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- output

  private void printHeader(Set<String> phases) throws IOException {
    System.out.println(
        "HIM code search benchmark — "
            + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19));
    System.out.println("=".repeat(78));
    System.out.printf(
        "machine: %d cores, load average at start %s%n",
        Runtime.getRuntime().availableProcessors(), loadAverage());
    System.out.printf(
        "benchmark JVM: Java %s, flags %s%n",
        System.getProperty("java.version"),
        ManagementFactory.getRuntimeMXBean().getInputArguments());
    System.out.printf(
        "how: %d queries in a fixed mix (words, abbreviations, codes with and without the dot,"
            + " prefixes), each client takes them in turn from a random start; GET"
            + " /api/coding/%s/search?q=..&limit=%d with a bearer token of user %s (checked by the"
            + " gateway and again by coding-service); closed loop: each client sends its next"
            + " search when the answer is in; one HTTP/1.1 keep-alive connection per client;"
            + " %d s warm-up, then %d s measured per phase%n",
        QUERIES.size(),
        opt.get("system"),
        intOpt("limit"),
        opt.get("user"),
        intOpt("warmup"),
        intOpt("seconds"));
    System.out.printf("phases: %s; options: %s%n", String.join(",", phases), opt);
    for (ProcessStats.Watched p : processes.watched()) {
      System.out.printf(
          "   %-15s port %-5d pid %-7d %s%n",
          p.name(),
          p.port(),
          p.pid(),
          p.name().equals("postgres") ? "" : ProcessStats.jvmFlags(p.pid()));
    }
  }

  private void report(String title, Window w) {
    System.out.println();
    System.out.println("== " + title);
    Latencies c = w.client();
    Latencies in = w.inside();
    System.out.printf(
        Locale.ROOT,
        "   %s searches ok, %s errors in %.0f s: %.0f searches/s%n",
        fmt(c.size()),
        fmt(c.errorCount()),
        w.seconds(),
        c.size() / w.seconds());
    if (w.offered() > 0) {
      System.out.printf("   offered %s in the window%n", fmt(w.offered()));
    }
    System.out.printf(
        Locale.ROOT,
        "   client latency (ms):     p50 %.2f  p95 %.2f  p99 %.2f  p99.9 %.2f  max %.1f%n",
        c.percentileMs(50),
        c.percentileMs(95),
        c.percentileMs(99),
        c.percentileMs(99.9),
        c.maxMs());
    System.out.printf(
        Locale.ROOT,
        "   inside coding-service (Server-Timing, ms): p50 %.3f  p95 %.3f  p99 %.3f  max %.2f"
            + " (%s answers with the header)%n",
        in.percentileMs(50),
        in.percentileMs(95),
        in.percentileMs(99),
        in.maxMs(),
        fmt(in.size()));
    if (!c.errors().isEmpty()) System.out.println("   errors: " + c.errors());
    StringBuilder b = new StringBuilder("   CPU used (cores; ms per search):");
    long n = Math.max(1, c.size());
    w.cores()
        .forEach(
            (name, cores) -> {
              if (name.equals("machine") || cores < 0.005) return;
              b.append(String.format(Locale.ROOT, " %s %.2f", name, cores));
              if (!name.equals("other processes")) {
                b.append(String.format(Locale.ROOT, " (%.3f)", cores * w.seconds() * 1000 / n));
              }
              b.append(';');
            });
    b.append(
        String.format(
            Locale.ROOT,
            " whole machine %.2f of %d",
            w.cores().getOrDefault("machine", 0.0),
            Runtime.getRuntime().availableProcessors()));
    System.out.println(b);
    w.threads()
        .forEach(
            (process, parts) -> {
              StringBuilder t = new StringBuilder("     inside " + process + " (cores):");
              parts.forEach((k, v) -> t.append(String.format(Locale.ROOT, " %s %.2f;", k, v)));
              System.out.println(t);
            });
    StringBuilder m = new StringBuilder("   RSS now (MB):");
    processes
        .rssKb("VmRSS")
        .forEach((k, v) -> m.append(String.format(Locale.ROOT, " %s %.0f;", k, v / 1024.0)));
    System.out.println(m);
  }

  // ---------------------------------------------------------------- setup

  private boolean platformRunning() {
    return LocalPlatformCheck.running(http, gateway.toString(), realm);
  }

  // ---------------------------------------------------------------- import

  /**
   * Uploads the CDC zip as a new release and follows its job to the end: the time is the job's own
   * (started to finished, as coding-service measured it) plus the upload as the client saw it.
   */
  private String timeImport() throws Exception {
    Path zip = Path.of(opt.get("codesets"), "ICD10-CM-Code-Descriptions-2025.zip");
    String version = "BENCH-" + (System.currentTimeMillis() / 1000 % 100_000_000);
    System.out.println();
    System.out.println("== Import: " + zip + " as ICD-10-CM " + version + " through the gateway");
    String admin = passwordToken(opt.get("admin"), opt.get("admin"));
    long t0 = System.nanoTime();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        gateway
                            + "/api/coding/code-sets/ICD-10-CM/imports?version="
                            + version
                            + "&fiscalYear=1990&effectiveFrom=1990-01-01&effectiveTo=1990-01-01"
                            + "&entry=icd10cm-order-2025.txt"))
                .header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(zip))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202) {
      throw new IllegalStateException("import refused: HTTP " + r.statusCode() + " " + r.body());
    }
    String job = Json.string(Json.object(Json.parse(r.body())).get("id"));
    Map<String, Object> view;
    while (true) {
      HttpResponse<String> g =
          http.send(
              HttpRequest.newBuilder(URI.create(gateway + "/api/coding/code-sets/imports/" + job))
                  .header("Authorization", "Bearer " + admin)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      view = Json.object(Json.parse(g.body()));
      String status = Json.string(view.get("status"));
      if (!"queued".equals(status) && !"running".equals(status)) break;
      Thread.sleep(100);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    String line =
        String.format(
            Locale.ROOT,
            "%s: %s rows in %.2f s inside coding-service (job), %.2f s from upload to done  [target:"
                + " < 30 s]",
            view.get("status"),
            view.get("rowsRead"),
            ((Number) view.get("durationMs")).doubleValue() / 1000,
            wall);
    System.out.println("   " + line);
    return line;
  }

  private String passwordToken(String user, String password) throws Exception {
    String form =
        "client_id=him-cli&grant_type=password&username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String value = Json.string(Json.object(Json.parse(r.body())).get("access_token"));
    if (r.statusCode() != 200 || value == null) {
      throw new IllegalStateException("no token for " + user + ": HTTP " + r.statusCode());
    }
    return value;
  }

  /** A token now, renewed well before it expires (the local realm's live 5 minutes). */
  private void renewToken() throws Exception {
    String form =
        "client_id=him-cli&grant_type=password&username="
            + URLEncoder.encode(opt.get("user"), StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(opt.get("password"), StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Object> body = Json.object(Json.parse(r.body()));
    String value = Json.string(body.get("access_token"));
    if (r.statusCode() != 200 || value == null) {
      throw new IllegalStateException(
          "no token for " + opt.get("user") + ": HTTP " + r.statusCode() + " " + r.body());
    }
    boolean first = token == null;
    token = value;
    if (first) {
      long lifetime = body.get("expires_in") instanceof Long l ? l : 300;
      long every = Math.max(10, lifetime * 6 / 10);
      background.scheduleAtFixedRate(
          () -> {
            try {
              renewToken();
            } catch (Exception e) {
              System.err.println("token renewal failed: " + e.getMessage());
            }
          },
          every,
          every,
          TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------- a minimal HTTP client

  /** One answer: null error when 200; the Server-Timing figure in ns, or -1. */
  private record Reply(String error, long insideNanos) {}

  /**
   * One HTTP/1.1 keep-alive connection, used by one thread: writes a GET, reads the status line,
   * the headers and the body (Content-Length or chunked), reconnects when the server closes.
   */
  private static final class Conn {
    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] line = new byte[8192];

    Conn(URI base) {
      this.host = base.getHost();
      this.port = port(base);
    }

    Reply get(String path, String token) {
      for (int attempt = 0; ; attempt++) {
        try {
          if (socket == null) open();
          out.write(
              ("GET "
                      + path
                      + " HTTP/1.1\r\nHost: "
                      + host
                      + ":"
                      + port
                      + "\r\nAuthorization: Bearer "
                      + token
                      + "\r\nAccept: application/json\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          return read();
        } catch (SocketTimeoutException e) {
          close();
          return new Reply("timeout (30 s)", -1);
        } catch (ConnectException e) {
          close();
          return new Reply("connection refused", -1);
        } catch (IOException e) {
          // a keep-alive connection the server closed: once more on a new one
          close();
          if (attempt > 0) return new Reply(e.getClass().getSimpleName(), -1);
        }
      }
    }

    private void open() throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      socket.connect(new InetSocketAddress(host, port), 5000);
      in = new BufferedInputStream(socket.getInputStream(), 65536);
      out = socket.getOutputStream();
    }

    private Reply read() throws IOException {
      String status = readLine();
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean closeAfter = false;
      long inside = -1;
      String header;
      while (!(header = readLine()).isEmpty()) {
        int colon = header.indexOf(':');
        if (colon < 0) continue;
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> closeAfter = value.equalsIgnoreCase("close");
          case "server-timing" -> {
            Matcher m = TIMING.matcher(value);
            if (m.find()) inside = (long) (Double.parseDouble(m.group(1)) * 1_000_000);
          }
          default -> {}
        }
      }
      if (chunked) {
        while (true) {
          String size = readLine();
          int semi = size.indexOf(';');
          long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
          if (n == 0) {
            while (!readLine().isEmpty()) {
              // trailers
            }
            break;
          }
          skip(n);
          readLine();
        }
      } else if (length > 0) {
        skip(length);
      } else if (length < 0) {
        closeAfter = true; // body until close: read it all
        in.transferTo(new ByteArrayOutputStream());
      }
      if (closeAfter) close();
      return new Reply(code == 200 ? null : "HTTP " + code, inside);
    }

    private void skip(long n) throws IOException {
      while (n > 0) {
        long skipped = in.skip(n);
        if (skipped <= 0) {
          if (in.read() < 0) throw new IOException("connection closed in the body");
          skipped = 1;
        }
        n -= skipped;
      }
    }

    private String readLine() throws IOException {
      int n = 0;
      while (true) {
        int b = in.read();
        if (b < 0) throw new IOException("connection closed");
        if (b == '\n') break;
        if (b != '\r' && n < line.length) line[n++] = (byte) b;
      }
      return new String(line, 0, n, StandardCharsets.ISO_8859_1);
    }

    void close() {
      try {
        if (socket != null) socket.close();
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
    }
  }

  // ---------------------------------------------------------------- small things

  private int intOpt(String name) {
    return Integer.parseInt(opt.get(name));
  }

  private static int port(URI u) {
    return u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
  }
}
