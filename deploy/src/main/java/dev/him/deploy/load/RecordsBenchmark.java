package dev.him.deploy.load;

import static dev.him.deploy.load.BenchmarkSupport.fmt;
import static dev.him.deploy.load.BenchmarkSupport.loadAverage;
import static dev.him.deploy.load.BenchmarkSupport.sleepUntil;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The records-service performance benchmark (issue point 10), run against a running local platform
 * (./run-local.sh) through the gateway with real tokens. Phases, each printing what it did and what
 * it measured: load (bring the patient count to N with transaction bundles), create (single POSTs),
 * read (GET by id, closed loop, then open loop at a fixed rate), search (family + birthdate),
 * import (Synthea transaction bundles) and memory (resident size of each service). For every
 * measured window it also prints the CPU each process used, which shows where the time goes.
 *
 * <p>Run it with deploy/load/records-benchmark.sh [--patients 100000] [--seconds 30] ...; --help
 * lists the options.
 */
public final class RecordsBenchmark {
  private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");
  private static final Pattern CREATED = Pattern.compile("\"status\"\\s*:\\s*\"201");
  private static final String FHIR_JSON = "application/fhir+json";
  private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
  private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

  static {
    DEFAULTS.put("gateway", "http://localhost:8080");
    DEFAULTS.put("realm", "http://localhost:8180/realms/him");
    DEFAULTS.put("phases", "load,create,read,read-rate,search,import,memory");
    DEFAULTS.put("patients", "100000");
    DEFAULTS.put("bundle-size", "100");
    DEFAULTS.put("load-clients", "2");
    DEFAULTS.put("seconds", "30");
    DEFAULTS.put("warmup", "10");
    DEFAULTS.put("clients", "32");
    DEFAULTS.put("create-clients", "16");
    DEFAULTS.put("read-rate", "2000");
    DEFAULTS.put("rate-clients", "128");
    DEFAULTS.put("import-clients", "2");
    DEFAULTS.put("sample", "5000");
    DEFAULTS.put("synthea", "");
    DEFAULTS.put("audit-wait", "300");
  }

  private static final String HELP =
      """
      records-benchmark: performance of records-service through the gateway (issue point 10).
      Needs the local platform running (./run-local.sh). Options (defaults in brackets):
        --patients N        bring the patient count to N before measuring [100000]
        --phases LIST       any of load,create,read,read-rate,search,import,memory [all]
        --seconds S         measured seconds per phase [30]
        --warmup S          warm-up seconds before each measured phase, not counted [10]
        --clients N         concurrent clients for read and search (closed loop) [32]
        --create-clients N  concurrent clients for single creates [16]
        --read-rate R       offered reads/s in the open-loop read phase [2000]
        --rate-clients N    connections available to the open-loop phase [128]
        --bundle-size N     patients per transaction bundle while loading [100]
        --load-clients N    concurrent bundle posters while loading [2]
        --import-clients N  concurrent Synthea bundle posters [2]
        --sample N          patients sampled (ids, family + birthdate) for read and search [5000]
        --synthea DIR       Synthea FHIR R4 bundles [../shared/data/synthea/fhir-r4]
        --audit-wait S      after each phase, wait up to S seconds for the audit trail to catch up [300]
        --gateway URL       [http://localhost:8080]
        --realm URL         [http://localhost:8180/realms/him]
      """;

  private final Map<String, String> opt;
  private final String gateway;
  private final String realm;
  private final HttpClient http;
  private final ScheduledExecutorService background =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "benchmark-background");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private ProcessStats processes;
  private final Map<String, Long> peakRssKb = new ConcurrentHashMap<>();
  private final Map<String, Long> phaseRssKb = new ConcurrentHashMap<>();
  private final Map<String, String> summary = new LinkedHashMap<>();
  private final List<Sampled> sample = new ArrayList<>();
  private double closedLoopReadsPerSecond;

  /** A loaded patient: what reads and searches ask for. */
  private record Sampled(String id, String family, String birthDate) {}

  /** One request; returns null when it succeeded, else a short label of what went wrong. */
  private interface Call {
    String call() throws Exception;
  }

  /** What a measured window produced. */
  private record Window(
      Latencies latencies,
      double seconds,
      Map<String, Double> cpuCores,
      Map<String, Map<String, Double>> inside,
      Map<String, Long> maxRssKb,
      long offered) {
    int ok() {
      return latencies.size();
    }
  }

  private RecordsBenchmark(Map<String, String> opt) {
    this.opt = opt;
    this.gateway = opt.get("gateway").replaceAll("/$", "");
    this.realm = opt.get("realm").replaceAll("/$", "");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(
                Executors.newFixedThreadPool(
                    4,
                    r -> {
                      Thread t = new Thread(r, "http-client");
                      t.setDaemon(true);
                      return t;
                    }))
            .build();
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
    int code = new RecordsBenchmark(opt).run();
    System.exit(code);
  }

  private int run() throws Exception {
    if (!platformRunning()) return 2;
    Set<String> phases = new LinkedHashSet<>(List.of(opt.get("phases").split(",")));
    processes =
        ProcessStats.find(
            new LinkedHashMap<>(
                Map.of(
                    "gateway", port(gateway),
                    "records-service", 8081,
                    "audit-service", 8084,
                    "coding-service", 8082,
                    "requests-service", 8083,
                    "postgres", 15432,
                    "kafka", 19092,
                    "keycloak", port(realm))),
            Set.of("postgres"));
    background.scheduleAtFixedRate(this::sampleRss, 0, 500, TimeUnit.MILLISECONDS);
    token("clerk", "client_id=him-cli&grant_type=password&username=clerk&password=clerk");
    token("privacy", "client_id=him-cli&grant_type=password&username=privacy&password=privacy");
    token(
        "hospital",
        "client_id=hospital-system&client_secret=hospital-system-local-secret"
            + "&grant_type=client_credentials");
    printHeader(phases);

    if (phases.contains("load")) {
      load();
      auditCatchUp();
    }
    if (phases.contains("create")) {
      creates();
      auditCatchUp();
    }
    if (phases.stream().anyMatch(p -> p.startsWith("read") || p.equals("search"))) {
      samplePatients();
    }
    if (phases.contains("read")) {
      reads();
      auditCatchUp();
    }
    if (phases.contains("read-rate")) {
      readsAtRate();
      auditCatchUp();
    }
    if (phases.contains("search")) {
      searches();
      auditCatchUp();
    }
    if (phases.contains("import")) {
      imports();
      auditCatchUp();
    }
    if (phases.contains("memory")) memory();
    printSummary();
    return 0;
  }

  // ---------------------------------------------------------------- phases

  private void load() throws Exception {
    int target = intOpt("patients");
    int bundleSize = intOpt("bundle-size");
    int clients = intOpt("load-clients");
    long before = patientCount();
    section("1. Load: bring the patient count to " + fmt(target));
    System.out.printf(
        "   how: POST /fhir/r4 transaction bundles of %d Synthea-like Patients (hospital-system"
            + " token), %d concurrent posters%n",
        bundleSize, clients);
    System.out.printf("   patients before: %s%n", fmt(before));
    if (before >= target) {
      System.out.println("   nothing to load: the count is already reached (skipped)");
      summary.put("load", "skipped, " + fmt(before) + " patients already loaded");
      return;
    }
    AtomicLong remaining = new AtomicLong(target - before);
    AtomicLong nextNumber = new AtomicLong(before);
    AtomicLong created = new AtomicLong();
    AtomicInteger failures = new AtomicInteger();
    List<Latencies> parts = Collections.synchronizedList(new ArrayList<>());
    long t0 = System.nanoTime();
    Monitor monitor = new Monitor();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                Latencies l = new Latencies();
                parts.add(l);
                SplittableRandom random = new SplittableRandom();
                while (failures.get() < 20) {
                  long size = remaining.getAndUpdate(r -> r - Math.min(r, bundleSize));
                  size = Math.min(size, bundleSize);
                  if (size <= 0) break;
                  long first = nextNumber.getAndAdd(size);
                  String bundle = patientBundle(first, (int) size, random);
                  long s = System.nanoTime();
                  String error;
                  try {
                    HttpResponse<String> r =
                        http.send(
                            post("/fhir/r4", "hospital", bundle),
                            HttpResponse.BodyHandlers.ofString());
                    error = r.statusCode() == 200 ? null : "HTTP " + r.statusCode();
                    if (error == null && count(CREATED, r.body()) != size) {
                      error = "fewer patients created than sent";
                    }
                    if (error != null && failures.get() == 0) {
                      System.out.println(
                          "   first failure: "
                              + error
                              + ": "
                              + r.body().substring(0, Math.min(300, r.body().length())));
                    }
                  } catch (IOException | InterruptedException e) {
                    error = label(e);
                  }
                  if (error == null) {
                    l.record(System.nanoTime() - s);
                    created.addAndGet(size);
                  } else {
                    l.error(error);
                    failures.incrementAndGet();
                    remaining.addAndGet(size); // those numbers are skipped; send others instead
                  }
                }
              },
              "load-" + c);
      threads.add(t);
      t.start();
    }
    long lastPrint = System.nanoTime();
    while (threads.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(200);
      if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(15)) {
        lastPrint = System.nanoTime();
        double s = (lastPrint - t0) / 1e9;
        double rate = created.get() / s;
        System.out.printf(
            "   ... %s created in %.0f s (%.0f patients/s), about %.0f s to go; load average %s%n",
            fmt(created.get()),
            s,
            rate,
            rate > 0 ? (target - before - created.get()) / rate : Double.NaN,
            loadAverage());
      }
    }
    for (Thread t : threads) t.join();
    Window w = monitor.end(Latencies.merge(parts), 0);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long after = patientCount();
    System.out.printf(
        "   created %s patients in %.1f s: %.0f patients/s (%s bundles; %d failed)%n",
        fmt(created.get()),
        seconds,
        created.get() / seconds,
        fmt(w.ok()),
        w.latencies().errorCount());
    printLatency("bundle of " + bundleSize, w);
    printErrors(w);
    printCpu(w, created.get(), "patient");
    System.out.printf("   patients after: %s%n", fmt(after));
    summary.put(
        "load",
        String.format(
            "%s patients created at %.0f patients/s (bundles of %d, %d posters)",
            fmt(created.get()), created.get() / seconds, bundleSize, clients));
    if (failures.get() >= 20) {
      throw new IllegalStateException("loading failed 20 times; see the first failure above");
    }
  }

  private void creates() throws Exception {
    int clients = intOpt("create-clients");
    section("2. Create: POST /fhir/r4/Patient, one Synthea-like patient per request");
    System.out.printf(
        "   how: %d concurrent clients, closed loop, clerk token; %d s warm-up then %d s measured%n",
        clients, intOpt("warmup"), intOpt("seconds"));
    AtomicLong next = new AtomicLong(patientCount());
    Window w =
        closedLoop(
            clients,
            () -> {
              String body =
                  SyntheticPatients.patient(next.getAndIncrement(), new SplittableRandom());
              HttpResponse<Void> r =
                  http.send(
                      post("/fhir/r4/Patient", "clerk", body),
                      HttpResponse.BodyHandlers.discarding());
              return r.statusCode() == 201 ? null : "HTTP " + r.statusCode();
            });
    printThroughput(w, "creates");
    summary.put(
        "create",
        String.format(
            "%.0f creates/s, p99 %.1f ms (%d clients)  [target >= 500/s]",
            w.ok() / w.seconds(), w.latencies().percentileMs(99), clients));
  }

  private void reads() throws Exception {
    int clients = intOpt("clients");
    section("3a. Read: GET /fhir/r4/Patient/{id} through the gateway, closed loop");
    System.out.printf(
        "   how: %d concurrent clients, each sends its next read when the previous answer"
            + " arrives; random ids of %s sampled patients; clerk token (checked by gateway and"
            + " records-service); every read writes its access event to the outbox in the same"
            + " transaction (audit included); %d s warm-up then %d s measured%n",
        clients, fmt(sample.size()), intOpt("warmup"), intOpt("seconds"));
    Window w = closedLoop(clients, this::readOne);
    printThroughput(w, "reads");
    System.out.println(
        "   note: closed loop, so latencies leave out the queueing an open arrival stream would"
            + " add (coordinated omission); see 3b for the open-loop figure at a fixed rate");
    closedLoopReadsPerSecond = w.ok() / w.seconds();
    summary.put(
        "read (closed loop)",
        String.format(
            "%.0f reads/s, p99 %.1f ms (%d clients)  [target >= 2,000/s with p99 <= 50 ms]",
            w.ok() / w.seconds(), w.latencies().percentileMs(99), clients));
  }

  private void readsAtRate() throws Exception {
    int asked = intOpt("read-rate");
    int clients = intOpt("rate-clients");
    if (asked <= 0) return;
    int rate = asked;
    String why = "";
    if (closedLoopReadsPerSecond > 0 && closedLoopReadsPerSecond < asked * 0.9) {
      // far above capacity an open loop only grows a queue; the useful figure is the latency
      // at a rate the platform can carry
      rate = Math.max(1, (int) (closedLoopReadsPerSecond * 0.8));
      why =
          String.format(
              " (80%% of the %.0f reads/s measured in 3a, instead of the %s/s asked: above capacity"
                  + " an open loop only grows a queue)",
              closedLoopReadsPerSecond, fmt(asked));
    }
    section(
        "3b. Read at a fixed rate: GET /fhir/r4/Patient/{id}, open loop at "
            + fmt(rate)
            + "/s"
            + why);
    System.out.printf(
        "   how: requests are scheduled every %.3f ms whatever the answers do, on up to %d"
            + " connections; latency counts from the scheduled time, so time spent waiting for a"
            + " free connection is included (no coordinated omission); %d s warm-up then %d s"
            + " measured%n",
        1000.0 / rate, clients, intOpt("warmup"), intOpt("seconds"));
    Window w = openLoop(rate, clients, this::readOne);
    printThroughput(w, "reads");
    long sent = w.ok() + w.latencies().errorCount();
    if (sent < w.offered() * 0.99) {
      System.out.printf(
          "   the platform did not keep up: %s of %s scheduled requests were answered in the"
              + " window; the missing ones would only have been later, so the real p99 is worse%n",
          fmt(sent), fmt(w.offered()));
    }
    summary.put(
        "read (open loop at " + fmt(rate) + "/s)",
        String.format(
            "%.0f reads/s answered, p99 %.1f ms%s  [target >= 2,000/s with p99 <= 50 ms]",
            w.ok() / w.seconds(),
            w.latencies().percentileMs(99),
            sent < w.offered() * 0.99 ? " (rate NOT sustained)" : ""));
  }

  private String readOne() throws Exception {
    Sampled p = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
    HttpResponse<Void> r =
        http.send(
            get("/fhir/r4/Patient/" + p.id(), "clerk"), HttpResponse.BodyHandlers.discarding());
    return r.statusCode() == 200 ? null : "HTTP " + r.statusCode();
  }

  private void searches() throws Exception {
    int clients = intOpt("clients");
    section("4. Search: GET /fhir/r4/Patient?family={family}&birthdate={date}");
    System.out.printf(
        "   how: %d concurrent clients, closed loop; pairs of family name and birth date of %s"
            + " sampled patients (so every search finds at least one); clerk token; %d s warm-up"
            + " then %d s measured%n",
        clients, fmt(sample.size()), intOpt("warmup"), intOpt("seconds"));
    AtomicLong matches = new AtomicLong();
    Window w =
        closedLoop(
            clients,
            () -> {
              Sampled p = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
              String q =
                  "/fhir/r4/Patient?family="
                      + URLEncoder.encode(p.family(), StandardCharsets.UTF_8)
                      + "&birthdate="
                      + p.birthDate();
              HttpResponse<String> r =
                  http.send(get(q, "clerk"), HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() != 200) return "HTTP " + r.statusCode();
              Matcher m = TOTAL.matcher(r.body());
              if (!m.find() || Long.parseLong(m.group(1)) < 1) return "no match";
              matches.addAndGet(Long.parseLong(m.group(1)));
              return null;
            });
    printThroughput(w, "searches");
    System.out.printf(
        "   matches per search: %.2f on average (closed loop: see the note under 3a)%n",
        w.ok() == 0 ? 0 : matches.get() / (double) (w.ok() + w.latencies().errorCount()));
    summary.put(
        "search family+birthdate",
        String.format(
            "%.0f searches/s, p99 %.1f ms (%d clients)  [target p99 <= 30 ms]",
            w.ok() / w.seconds(), w.latencies().percentileMs(99), clients));
  }

  private void imports() throws Exception {
    Path dir = Path.of(opt.get("synthea"));
    int clients = intOpt("import-clients");
    section("5. Import: Synthea patient bundles, POST /fhir/r4 (transaction)");
    if (!Files.isDirectory(dir)) {
      System.out.println("   skipped: no Synthea bundles at " + dir + " (--synthea DIR)");
      summary.put("import", "skipped (no Synthea bundles at " + dir + ")");
      return;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    List<Path> infrastructure =
        files.stream()
            .filter(p -> !Character.isUpperCase(p.getFileName().toString().charAt(0)))
            .toList();
    List<SyntheaBundle> patients = new ArrayList<>();
    for (Path f : files) {
      if (!infrastructure.contains(f)) patients.add(SyntheaBundle.read(f));
    }
    if (patients.isEmpty()) {
      System.out.println("   skipped: no patient bundles in " + dir);
      return;
    }
    int resources = patients.stream().mapToInt(SyntheaBundle::entries).sum();
    System.out.printf(
        "   data: %d patient bundles from %s, %s resources (%d to %d a bundle, %.0f kB average)%n",
        patients.size(),
        dir,
        fmt(resources),
        patients.stream().mapToInt(SyntheaBundle::entries).min().orElse(0),
        patients.stream().mapToInt(SyntheaBundle::entries).max().orElse(0),
        patients.stream().mapToInt(b -> b.json().length()).average().orElse(0) / 1024);
    for (Path f : infrastructure) {
      long t0 = System.nanoTime();
      String body = Files.readString(f);
      HttpResponse<String> r =
          http.send(post("/fhir/r4", "hospital", body), HttpResponse.BodyHandlers.ofString());
      System.out.printf(
          "   first %s: HTTP %d, %d resources in %.0f ms (not counted)%n",
          f.getFileName(),
          r.statusCode(),
          count(CREATED, r.body()),
          (System.nanoTime() - t0) / 1e6);
    }
    System.out.printf(
        "   how: %d concurrent posters (hospital-system token), the bundles in turn, each sent as"
            + " is except that the Patient's identifiers get a unique suffix per send (an"
            + " identifier belongs to one patient, so a re-sent bundle would be refused); %d s"
            + " warm-up then %d s measured; resources/s = resources created in the window /"
            + " window%n",
        clients, intOpt("warmup"), intOpt("seconds"));
    AtomicInteger turn = new AtomicInteger();
    AtomicLong created = new AtomicLong();
    String run = "b" + Long.toString(System.currentTimeMillis(), 36) + "-";
    long[] window = new long[2];
    Window w =
        closedLoopTimed(
            clients,
            window,
            () -> {
              int k = turn.getAndIncrement();
              SyntheaBundle b = patients.get(k % patients.size());
              String body = b.withFreshIdentifiers(run + Integer.toString(k, 36));
              long t0 = System.nanoTime();
              HttpResponse<String> r =
                  http.send(
                      post("/fhir/r4", "hospital", body), HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() != 200) {
                return "HTTP " + r.statusCode();
              }
              int n = count(CREATED, r.body());
              if (n != b.entries()) return "created " + n + " of " + b.entries();
              if (t0 >= window[0] && t0 < window[1]) created.addAndGet(n);
              return null;
            });
    double perSecond = created.get() / w.seconds();
    System.out.printf(
        "   %s bundles, %s resources imported in %.1f s: %.0f resources/s (%d errors)%n",
        fmt(w.ok()), fmt(created.get()), w.seconds(), perSecond, w.latencies().errorCount());
    printLatency("bundle", w);
    printErrors(w);
    printCpu(w, created.get(), "resource");
    summary.put(
        "import",
        String.format(
            "%.0f resources/s, bundle p50 %.0f ms (%d posters)  [target >= 1,000 resources/s]",
            perSecond, w.latencies().percentileMs(50), clients));
  }

  private void memory() {
    section("6. Memory: resident set size of each process");
    System.out.println(
        "   VmRSS now and VmHWM (peak since the process started) from /proc/<pid>/status; max"
            + " sampled = highest VmRSS seen every 0.5 s while this benchmark ran");
    System.out.printf(
        "   %-17s %7s %9s %9s %12s  %s%n",
        "process", "pid", "RSS MB", "peak MB", "max sampled", "JVM flags");
    Map<String, Long> now = processes.rssKb("VmRSS");
    Map<String, Long> hwm = processes.rssKb("VmHWM");
    StringBuilder services = new StringBuilder();
    for (ProcessStats.Watched p : processes.watched()) {
      boolean service = p.name().endsWith("-service") || p.name().equals("gateway");
      String flags =
          p.name().equals("postgres")
              ? String.format(
                  "(postmaster only; %d processes, %.0f MB summed, shared memory counted in each)",
                  processes.treeSize(p), processes.treeRssKb(p) / 1024.0)
              : ProcessStats.jvmFlags(p.pid());
      System.out.printf(
          "   %-17s %7d %9.0f %9.0f %12.0f  %s%n",
          p.name(),
          p.pid(),
          now.get(p.name()) / 1024.0,
          hwm.get(p.name()) / 1024.0,
          peakRssKb.getOrDefault(p.name(), 0L) / 1024.0,
          flags);
      if (service) {
        services.append(String.format("%s %.0f, ", p.name(), hwm.get(p.name()) / 1024.0));
      }
    }
    System.out.println(
        "   inside the services' JVMs (jstat -gc, committed MB): the rest of RSS is code cache,"
            + " thread stacks, GC and JIT structures, direct buffers and malloc");
    for (ProcessStats.Watched p : processes.watched()) {
      if (p.name().endsWith("-service") || p.name().equals("gateway")) {
        System.out.printf("   %-17s %s%n", p.name(), jvmMemory(p.pid()));
      }
    }
    long worst =
        processes.watched().stream()
            .filter(p -> p.name().endsWith("-service") || p.name().equals("gateway"))
            .mapToLong(p -> hwm.get(p.name()))
            .max()
            .orElse(0);
    summary.put(
        "memory (peak RSS MB)",
        services
            + String.format(
                "%s  [target < 300 MB each]",
                worst < 300 * 1024 ? "all under 300" : "NOT all under 300"));
  }

  /** Heap and metaspace of a JVM, from jstat -gc (S0C S1C S0U S1U EC EU OC OU MC MU ...). */
  private static String jvmMemory(long pid) {
    try {
      Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
      Process p =
          new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) return "(jstat failed)";
      String[] lines = out.trim().split("\n");
      String[] names = lines[0].trim().split("\\s+");
      String[] values = lines[1].trim().split("\\s+");
      Map<String, Double> v = new LinkedHashMap<>();
      for (int k = 0; k < names.length && k < values.length; k++) {
        try {
          v.put(names[k], Double.parseDouble(values[k].replace(',', '.')));
        } catch (NumberFormatException e) {
          v.put(names[k], 0.0); // "-" for collectors SerialGC does not have
        }
      }
      double heapCommitted = (v.get("S0C") + v.get("S1C") + v.get("EC") + v.get("OC")) / 1024;
      double heapUsed = (v.get("S0U") + v.get("S1U") + v.get("EU") + v.get("OU")) / 1024;
      return String.format(
          "heap %.0f (used %.0f, old generation %.0f), metaspace %.0f (class space %.0f);"
              + " %.0f young + %.0f full GCs, %.1f s in GC",
          heapCommitted,
          heapUsed,
          v.get("OC") / 1024,
          v.get("MC") / 1024,
          v.getOrDefault("CCSC", 0.0) / 1024,
          v.getOrDefault("YGC", 0.0),
          v.getOrDefault("FGC", 0.0),
          v.getOrDefault("GCT", 0.0));
    } catch (IOException | RuntimeException e) {
      return "(jstat not available: " + e.getClass().getSimpleName() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  /**
   * How far the audit trail is behind when a phase ends: reads a few patients with marker request
   * ids (on different patients, so on every partition of the access-event topic) and waits until
   * the privacy officer sees them all as AuditEvents. Events are relayed and consumed in order per
   * partition, so by then everything the phase caused is in the trail, and the next phase starts
   * without the backlog.
   */
  private void auditCatchUp() throws Exception {
    int limit = intOpt("audit-wait");
    if (limit <= 0) return;
    List<String> ids = new ArrayList<>();
    if (sample.size() >= 16) {
      for (int k = 0; k < 16; k++)
        ids.add(sample.get(ThreadLocalRandom.current().nextInt(sample.size())).id());
    } else {
      HttpResponse<String> r =
          http.send(
              get("/fhir/r4/Patient?_count=16", "clerk"), HttpResponse.BodyHandlers.ofString());
      for (Object e : Json.array(Json.object(Json.parse(r.body())).get("entry"))) {
        ids.add(Json.string(Json.object(Json.object(e).get("resource")).get("id")));
      }
    }
    Map<String, String> markers = new LinkedHashMap<>();
    String run = "bench-marker-" + UUID.randomUUID() + "-";
    long t0 = System.nanoTime();
    for (int k = 0; k < ids.size(); k++) {
      String requestId = run + k;
      http.send(
          HttpRequest.newBuilder(URI.create(gateway + "/fhir/r4/Patient/" + ids.get(k)))
              .header("Authorization", "Bearer " + tokens.get("clerk"))
              .header("X-Request-Id", requestId)
              .build(),
          HttpResponse.BodyHandlers.discarding());
      markers.put(requestId, ids.get(k));
    }
    while (!markers.isEmpty() && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(limit)) {
      for (var it = markers.entrySet().iterator(); it.hasNext(); ) {
        var m = it.next();
        HttpResponse<String> r =
            http.send(
                get("/fhir/r4/AuditEvent?entity=Patient/" + m.getValue() + "&_count=20", "privacy"),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains(m.getKey())) it.remove();
      }
      if (!markers.isEmpty()) Thread.sleep(500);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (markers.isEmpty()) {
      System.out.printf(
          "   audit trail: caught up %.1f s after the phase ended (marker reads visible as"
              + " AuditEvents to the privacy officer)%n",
          seconds);
    } else {
      System.out.printf(
          "   audit trail: still behind after %.0f s (--audit-wait): access events of this phase"
              + " are still queued; the next phase runs with that backlog%n",
          seconds);
    }
  }

  // ---------------------------------------------------------------- load drivers

  private Window closedLoop(int clients, Call call) throws InterruptedException {
    return closedLoopTimed(clients, new long[2], call);
  }

  /**
   * Runs {@code clients} threads that each call in a loop for warm-up + measured seconds; records
   * only calls started inside the measured window, whose bounds are written to {@code window}.
   */
  private Window closedLoopTimed(int clients, long[] window, Call call)
      throws InterruptedException {
    long start = System.nanoTime();
    window[0] = start + TimeUnit.SECONDS.toNanos(intOpt("warmup"));
    window[1] = window[0] + TimeUnit.SECONDS.toNanos(intOpt("seconds"));
    long from = window[0];
    long end = window[1];
    List<Latencies> parts = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                Latencies l = new Latencies();
                parts.add(l);
                while (true) {
                  long t0 = System.nanoTime();
                  if (t0 >= end) break;
                  String error = attempt(call);
                  if (t0 >= from) {
                    if (error == null) l.record(System.nanoTime() - t0);
                    else l.error(error);
                  }
                }
              },
              "client-" + c);
      threads.add(t);
      t.start();
    }
    return measure(from, end, threads, parts, 0);
  }

  /**
   * Offers {@code rate} requests a second on a fixed schedule, on up to {@code clients} threads;
   * latency is measured from each request's scheduled time.
   */
  private Window openLoop(int rate, int clients, Call call) throws InterruptedException {
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    long from = start + TimeUnit.SECONDS.toNanos(intOpt("warmup"));
    long end = from + TimeUnit.SECONDS.toNanos(intOpt("seconds"));
    double interval = 1e9 / rate;
    AtomicLong ticket = new AtomicLong();
    List<Latencies> parts = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                Latencies l = new Latencies();
                parts.add(l);
                while (true) {
                  long due = start + (long) (ticket.getAndIncrement() * interval);
                  if (due >= end) break;
                  long now;
                  while ((now = System.nanoTime()) < due) LockSupport.parkNanos(due - now);
                  // requests due in the window may still go out a little after it, so a late
                  // one counts with its lateness; beyond that they count as not answered
                  if (now >= end + GRACE_NANOS) break;
                  String error = attempt(call);
                  if (due >= from) {
                    if (error == null) l.record(System.nanoTime() - due);
                    else l.error(error);
                  }
                }
              },
              "rate-client-" + c);
      threads.add(t);
      t.start();
    }
    return measure(from, end, threads, parts, (long) (rate * ((end - from) / 1e9)));
  }

  private Window measure(
      long from, long end, List<Thread> threads, List<Latencies> parts, long offered)
      throws InterruptedException {
    sleepUntil(from);
    Monitor monitor = new Monitor();
    sleepUntil(end);
    Window cpu = monitor.end(null, offered);
    for (Thread t : threads) t.join();
    Latencies all = Latencies.merge(parts);
    return new Window(
        all, (end - from) / 1e9, cpu.cpuCores(), cpu.inside(), cpu.maxRssKb(), offered);
  }

  private static String attempt(Call call) {
    try {
      return call.call();
    } catch (Exception e) {
      return label(e);
    }
  }

  private static String label(Exception e) {
    if (e instanceof HttpConnectTimeoutException) return "connect timeout";
    if (e instanceof HttpTimeoutException) return "timeout (30 s)";
    if (e instanceof ConnectException) return "connection refused";
    return e.getClass().getSimpleName();
  }

  /** CPU and peak memory of the platform's processes over a window. */
  private final class Monitor {
    /** The processes whose inside (threads, or PostgreSQL backends by database) is shown. */
    private static final Set<String> OPENED =
        Set.of("gateway", "records-service", "audit-service", "postgres");

    private final long t0 = System.nanoTime();
    private final Map<String, Double> cpu0 = processes.cpuSeconds();
    private final Map<String, Map<String, Long>> inside0 = inside();

    Monitor() {
      phaseRssKb.clear();
    }

    private Map<String, Map<String, Long>> inside() {
      Map<String, Map<String, Long>> out = new LinkedHashMap<>();
      for (ProcessStats.Watched w : processes.watched()) {
        if (OPENED.contains(w.name())) out.put(w.name(), processes.ticksByPart(w));
      }
      return out;
    }

    /**
     * Cores used by each part of each opened process since the start, most first. Threads (or
     * PostgreSQL backends) that ended inside the window took their CPU with them: what the process
     * used beyond its live parts is shown as "ended in the window".
     */
    private Map<String, Map<String, Double>> insideCores(
        double seconds, Map<String, Double> processCores) {
      Map<String, Map<String, Double>> out = new LinkedHashMap<>();
      inside()
          .forEach(
              (process, parts) -> {
                Map<String, Long> before = inside0.getOrDefault(process, Map.of());
                Map<String, Double> byGroup = new LinkedHashMap<>();
                parts.forEach(
                    (key, ticks) ->
                        byGroup.merge(
                            key.substring(key.indexOf('\t') + 1),
                            ProcessStats.seconds(ticks - before.getOrDefault(key, 0L)) / seconds,
                            Double::sum));
                double live = byGroup.values().stream().mapToDouble(Double::doubleValue).sum();
                byGroup.put("ended in the window", processCores.getOrDefault(process, 0.0) - live);
                Map<String, Double> cores = new LinkedHashMap<>();
                byGroup.entrySet().stream()
                    .filter(e -> e.getValue() >= 0.005)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> cores.put(e.getKey(), e.getValue()));
                out.put(process, cores);
              });
      return out;
    }

    private Map<String, Double> cpuCores() {
      Map<String, Double> cpu1 = processes.cpuSeconds();
      double seconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Double> cores = new LinkedHashMap<>();
      double tracked = 0;
      for (var e : cpu1.entrySet()) {
        double used = (e.getValue() - cpu0.getOrDefault(e.getKey(), 0.0)) / seconds;
        cores.put(e.getKey(), used);
        if (!e.getKey().equals("machine")) tracked += used;
      }
      cores.put("other processes", Math.max(0, cores.get("machine") - tracked));
      return cores;
    }

    Window end(Latencies latencies, long offered) {
      double seconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Double> cpu = cpuCores();
      return new Window(
          latencies,
          seconds,
          cpu,
          insideCores(seconds, cpu),
          new LinkedHashMap<>(phaseRssKb),
          offered);
    }
  }

  private void sampleRss() {
    try {
      processes
          .rssKb("VmRSS")
          .forEach(
              (name, kb) -> {
                peakRssKb.merge(name, kb, Math::max);
                phaseRssKb.merge(name, kb, Math::max);
              });
    } catch (RuntimeException e) {
      // a process went away; the memory phase says so
    }
  }

  // ---------------------------------------------------------------- setup helpers

  private boolean platformRunning() {
    return LocalPlatformCheck.running(http, gateway, realm);
  }

  private void token(String name, String form) throws Exception {
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
          "no token for " + name + ": HTTP " + r.statusCode() + " " + r.body());
    }
    boolean first = tokens.put(name, value) == null;
    if (first) {
      // renew well before expiry (the local realm's tokens live 5 minutes)
      long lifetime = body.get("expires_in") instanceof Long l ? l : 300;
      long every = Math.max(10, lifetime * 6 / 10);
      background.scheduleAtFixedRate(
          () -> {
            try {
              token(name, form);
            } catch (Exception e) {
              System.err.println("token renewal for " + name + " failed: " + e.getMessage());
            }
          },
          every,
          every,
          TimeUnit.SECONDS);
    }
  }

  private long patientCount() throws Exception {
    HttpResponse<String> r =
        http.send(get("/fhir/r4/Patient?_count=0", "clerk"), HttpResponse.BodyHandlers.ofString());
    Matcher m = TOTAL.matcher(r.body());
    if (r.statusCode() != 200 || !m.find()) {
      throw new IllegalStateException(
          "cannot count patients: HTTP " + r.statusCode() + " " + r.body());
    }
    return Long.parseLong(m.group(1));
  }

  /** Random pages of the whole patient table, so reads and searches hit every part of it. */
  private void samplePatients() throws Exception {
    long total = patientCount();
    int wanted = (int) Math.min(intOpt("sample"), total);
    if (wanted == 0) throw new IllegalStateException("no patients to read: run the load phase");
    long t0 = System.nanoTime();
    Set<String> seen = new LinkedHashSet<>();
    SplittableRandom random = new SplittableRandom();
    while (sample.size() < wanted) {
      long offset = total <= 100 ? 0 : random.nextLong(total - 99);
      HttpResponse<String> r =
          http.send(
              get("/fhir/r4/Patient?_count=100&_offset=" + offset, "clerk"),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200)
        throw new IllegalStateException("sampling: HTTP " + r.statusCode());
      for (Object e : Json.array(Json.object(Json.parse(r.body())).get("entry"))) {
        Map<String, Object> p = Json.object(Json.object(e).get("resource"));
        String id = Json.string(p.get("id"));
        String family =
            Json.string(
                Json.object(Json.array(p.get("name")).stream().findFirst().orElse(null))
                    .get("family"));
        String birth = Json.string(p.get("birthDate"));
        if (id != null && family != null && birth != null && birth.length() == 10 && seen.add(id)) {
          sample.add(new Sampled(id, family, birth));
        }
        if (sample.size() >= wanted) break;
      }
      if (total <= 100) break;
    }
    System.out.printf(
        "%n   sampled %s of %s patients (ids, family, birth date) from random pages in %.1f s%n",
        fmt(sample.size()), fmt(total), (System.nanoTime() - t0) / 1e9);
    if (sample.isEmpty()) throw new IllegalStateException("no patient with family and birth date");
  }

  private static String patientBundle(long first, int size, SplittableRandom random) {
    StringBuilder b =
        new StringBuilder(size * 2700)
            .append("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
    for (int k = 0; k < size; k++) {
      if (k > 0) b.append(',');
      b.append("{\"fullUrl\":\"urn:uuid:")
          .append(new UUID(random.nextLong(), random.nextLong()))
          .append("\",\"resource\":")
          .append(SyntheticPatients.patient(first + k, random))
          .append(",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
    }
    return b.append("]}").toString();
  }

  private HttpRequest get(String path, String token) {
    return HttpRequest.newBuilder(URI.create(gateway + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + tokens.get(token))
        .header("Accept", FHIR_JSON)
        .GET()
        .build();
  }

  private HttpRequest post(String path, String token, String body) {
    return HttpRequest.newBuilder(URI.create(gateway + path))
        .timeout(Duration.ofSeconds(120))
        .header("Authorization", "Bearer " + tokens.get(token))
        .header("Content-Type", FHIR_JSON)
        .header("Accept", FHIR_JSON)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  // ---------------------------------------------------------------- output

  private void printHeader(Set<String> phases) throws Exception {
    System.out.println(
        "HIM records-service benchmark — "
            + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19));
    System.out.println("=".repeat(78));
    System.out.printf("gateway %s, realm %s%n", gateway, realm);
    System.out.printf(
        "machine: %d cores (%s), %s MB memory; load average at start %s%n",
        Runtime.getRuntime().availableProcessors(), cpuModel(), fmt(memTotalMb()), loadAverage());
    System.out.println(
        "   (the benchmark, the five services, PostgreSQL, Kafka and Keycloak share these cores;"
            + " \"other processes\" in the CPU lines is everything else on the machine)");
    System.out.printf(
        "benchmark JVM: Java %s, flags %s; java.net.http.HttpClient, HTTP/1.1 keep-alive, one"
            + " connection per concurrent client%n",
        System.getProperty("java.version"),
        ManagementFactory.getRuntimeMXBean().getInputArguments());
    System.out.printf("phases: %s; options: %s%n", String.join(",", phases), opt);
    System.out.println("processes watched (found by their listening port):");
    for (ProcessStats.Watched p : processes.watched()) {
      System.out.printf(
          "   %-17s port %-5d pid %-7d %s%n",
          p.name(),
          p.port(),
          p.pid(),
          p.name().equals("postgres") ? "" : ProcessStats.jvmFlags(p.pid()));
    }
    processes.watched().stream()
        .filter(p -> p.name().equals("postgres"))
        .findFirst()
        .ifPresent(
            p ->
                System.out.printf(
                    "PostgreSQL data directory: %s MB (all four databases, WAL included)%n",
                    fmt(directoryMb(Path.of("/proc/" + p.pid() + "/cwd")))));
    System.out.printf("patients now: %s%n", fmt(patientCount()));
  }

  private void printThroughput(Window w, String what) {
    System.out.printf(
        "   %s %s ok, %s errors in %.0f s: %.1f %s/s%n",
        what,
        fmt(w.ok()),
        fmt(w.latencies().errorCount()),
        w.seconds(),
        w.ok() / w.seconds(),
        what);
    printLatency("request", w);
    printErrors(w);
    printCpu(w, w.ok(), "request");
  }

  private static void printLatency(String unit, Window w) {
    Latencies l = w.latencies();
    System.out.printf(
        "   latency per %s (ms): p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  mean %.1f%n",
        unit,
        l.percentileMs(50),
        l.percentileMs(90),
        l.percentileMs(99),
        l.percentileMs(99.9),
        l.maxMs(),
        l.meanMs());
  }

  private static void printErrors(Window w) {
    if (!w.latencies().errors().isEmpty()) {
      System.out.println("   errors: " + w.latencies().errors());
    }
  }

  private void printCpu(Window w, long units, String unit) {
    StringBuilder b = new StringBuilder("   CPU used (cores; ms per " + unit + "):");
    w.cpuCores()
        .forEach(
            (name, cores) -> {
              if (name.equals("machine")) return;
              if (cores < 0.005) return;
              b.append(String.format(" %s %.2f", name, cores));
              if (units > 0 && !name.equals("other processes")) {
                b.append(String.format(" (%.2f)", cores * w.seconds() * 1000 / units));
              }
              b.append(';');
            });
    b.append(
        String.format(
            " whole machine %.2f of %d",
            w.cpuCores().get("machine"), Runtime.getRuntime().availableProcessors()));
    System.out.println(b);
    w.inside()
        .forEach(
            (process, parts) -> {
              StringBuilder in = new StringBuilder("     inside " + process + " (cores):");
              parts.entrySet().stream()
                  .limit(8)
                  .forEach(e -> in.append(String.format(" %s %.2f;", e.getKey(), e.getValue())));
              System.out.println(in);
            });
    StringBuilder m = new StringBuilder("   max RSS (MB):");
    w.maxRssKb().forEach((name, kb) -> m.append(String.format(" %s %.0f;", name, kb / 1024.0)));
    System.out.println(m);
    System.out.println("   load average at end: " + loadAverage());
  }

  private void printSummary() {
    section("Summary (targets of issue point 10), load average now " + loadAverage());
    summary.forEach((k, v) -> System.out.printf("   %-28s %s%n", k, v));
  }

  private static void section(String title) {
    System.out.println();
    System.out.println("== " + title);
  }

  // ---------------------------------------------------------------- small things

  private int intOpt(String name) {
    return Integer.parseInt(opt.get(name));
  }

  private static int port(String url) {
    URI u = URI.create(url);
    return u.getPort() > 0 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
  }

  private static int count(Pattern p, String s) {
    int n = 0;
    Matcher m = p.matcher(s);
    while (m.find()) n++;
    return n;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static long memTotalMb() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
      }
    } catch (IOException e) {
      // not Linux
    }
    return 0;
  }

  private static long directoryMb(Path link) {
    try (Stream<Path> s = Files.walk(link.toRealPath())) {
      return s.filter(Files::isRegularFile)
              .mapToLong(
                  p -> {
                    try {
                      return Files.size(p);
                    } catch (IOException e) {
                      return 0;
                    }
                  })
              .sum()
          / (1024 * 1024);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
