package dev.him.deploy.load;

import static dev.him.deploy.load.BenchmarkSupport.loadAverage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ROI work-queue benchmark (issue 5, point 9), run against a running local platform
 * (./run-local.sh) with a real roi-specialist token. It brings the number of benchmark requests in
 * the requests database to N (50,000 by default) with one INSERT ... SELECT through psql, rows told
 * apart by the requester name prefix "BENCH-QUEUE", then times GET /api/requests/roi shape by shape
 * (due states, status, assignee, basis, patient, deep offsets) with C concurrent clients, through
 * the gateway and straight to requests-service, printing throughput and p50/p95/p99 per shape and
 * the CPU each process used.
 *
 * <p>Run it with deploy/load/roi-queue-benchmark.sh [--requests 50000] [--seconds 10] ...; --help
 * lists the options; --cleanup removes the benchmark rows.
 */
public final class RoiQueueBenchmark {
  static final String PREFIX = "BENCH-QUEUE";
  static final int PATIENTS = 5000;
  static final int USERS = 8;
  private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");
  private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put("gateway", "http://localhost:8080");
    DEFAULTS.put("service", "http://localhost:8083");
    DEFAULTS.put("realm", "http://localhost:8180/realms/him");
    DEFAULTS.put("user", "roi");
    DEFAULTS.put("password", "roi");
    DEFAULTS.put("requests", "50000");
    DEFAULTS.put("targets", "gateway,service");
    DEFAULTS.put("clients", "4");
    DEFAULTS.put("seconds", "10");
    DEFAULTS.put("warmup", "3");
    DEFAULTS.put("warmup-round", "20");
    DEFAULTS.put("db-host", "localhost");
    DEFAULTS.put("db-port", "15432");
    DEFAULTS.put("db-user", "postgres");
    DEFAULTS.put("db-password", "postgres");
    DEFAULTS.put("db-name", "requests");
    DEFAULTS.put("cleanup", "false");
  }

  private static final String HELP =
      """
      roi-queue-benchmark: the ROI work queue with N requests (issue 5, point 9).
      Needs the local platform running (./run-local.sh) and psql on the PATH. Options:
        --requests N    benchmark requests to have in the database (added when fewer) [50000]
        --targets LIST  gateway, service (straight to requests-service) [gateway,service]
        --clients N     concurrent clients, closed loop [4]
        --seconds S     measured seconds per query shape and target [10]
        --warmup S      warm-up seconds per shape and target, not counted [3]
        --warmup-round S  warm-up seconds of the whole mix per target, first, not counted [20]
        --user U        realm user with roi-specialist (password grant, client him-cli) [roi]
        --password P    [roi]
        --gateway URL   [http://localhost:8080]
        --service URL   requests-service itself [http://localhost:8083]
        --realm URL     [http://localhost:8180/realms/him]
        --db-host H --db-port P --db-user U --db-password W --db-name D
                        the requests database [localhost 15432 postgres postgres requests]
        --cleanup true  delete the benchmark rows and stop
      """;

  private final Map<String, String> opt;
  private final String realm;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ScheduledExecutorService background =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "benchmark-token");
            t.setDaemon(true);
            return t;
          });
  private volatile String token;
  private ProcessStats processes;

  /** One query shape: a name and a path maker (parameters may vary per call). */
  record Shape(String name, Supplier<String> path) {}

  /** What one measured window gave. */
  record Window(Latencies latencies, double seconds, Map<String, Double> cores) {}

  private RoiQueueBenchmark(Map<String, String> opt) {
    this.opt = opt;
    this.realm = opt.get("realm").replaceAll("/$", "");
  }

  public static void main(String[] args) throws Exception {
    Optional<Map<String, String>> opt = BenchmarkSupport.parse(args, DEFAULTS, HELP);
    if (opt.isPresent()) {
      System.exit(new RoiQueueBenchmark(opt.get()).run());
    }
  }

  private int run() throws Exception {
    if (Boolean.parseBoolean(opt.get("cleanup"))) {
      psql(
          "delete from roi_transition where request_id in (select id from roi_request where"
              + " requester_name like '"
              + PREFIX
              + " %');"
              + " delete from roi_request where requester_name like '"
              + PREFIX
              + " %';");
      System.out.println("Benchmark rows removed.");
      return 0;
    }
    if (!LocalPlatformCheck.running(http, opt.get("gateway"), realm)) return 2;
    renewToken();
    background.scheduleAtFixedRate(
        () -> {
          try {
            renewToken();
          } catch (Exception e) {
            System.err.println("token renewal failed: " + e.getMessage());
          }
        },
        60,
        60,
        TimeUnit.SECONDS);
    System.out.printf(
        "== ROI work-queue benchmark, %s, %d cores, load average %s%n",
        LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    seed(Integer.parseInt(opt.get("requests")));

    processes =
        ProcessStats.find(
            new LinkedHashMap<>(
                Map.of(
                    "gateway", port(opt.get("gateway")),
                    "requests-service", port(opt.get("service")),
                    "postgres", Integer.parseInt(opt.get("db-port")))),
            Set.of("postgres"));

    List<Shape> shapes = shapes();
    Map<String, String> summary = new LinkedHashMap<>();
    double worstP99 = 0;
    for (String target : opt.get("targets").split(",")) {
      String base = opt.get(target.strip()).replaceAll("/$", "");
      System.out.printf(
          "%n-- %s: GET %s/api/requests/roi?..., %s clients, %s s per shape (after %s s warm-up)%n",
          target, base, opt.get("clients"), opt.get("seconds"), opt.get("warmup"));
      // JIT and connection pools warm on the whole mix before anything is counted
      closedLoop(
          base,
          new Shape("mix", () -> shapes.get(rnd(shapes.size())).path().get()),
          Integer.parseInt(opt.get("warmup-round")));
      System.out.printf(
          "   %-34s %8s %9s %8s %8s %8s %8s %7s  %s%n",
          "shape", "total", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "cpu cores");
      for (Shape s : shapes) {
        String first = get(base, s.path().get());
        Matcher m = TOTAL.matcher(first);
        String total = m.find() ? m.group(1) : "?";
        closedLoop(base, s, Integer.parseInt(opt.get("warmup")));
        Window w = closedLoop(base, s, Integer.parseInt(opt.get("seconds")));
        Latencies l = w.latencies();
        System.out.printf(
            Locale.ROOT,
            "   %-34s %8s %9.0f %8.1f %8.1f %8.1f %8.1f %7d  %s%n",
            s.name(),
            total,
            l.size() / w.seconds(),
            l.percentileMs(50),
            l.percentileMs(95),
            l.percentileMs(99),
            l.maxMs(),
            l.errorCount(),
            cores(w.cores()));
        if (l.errorCount() > 0) {
          System.out.println("      errors: " + l.errors());
        }
        worstP99 = Math.max(worstP99, l.percentileMs(99));
        summary.merge(
            target,
            String.format(Locale.ROOT, "%s p99 %.1f", s.name(), l.percentileMs(99)),
            (a, b) -> a + "; " + b);
      }
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "== Summary (issue 5, point 9): worst p99 over all shapes %.1f ms with %s requests"
            + "  [target: p99 <= 50 ms] %s%n",
        worstP99,
        opt.get("requests"),
        worstP99 <= 50 ? "MET" : "NOT MET");
    return 0;
  }

  // ---------------------------------------------------------------- the data

  /**
   * Brings the benchmark rows to n: received over the last 60 days (so due dates run from 30 days
   * ago to 30 days ahead: overdue, at risk and due), a third of them final, 60 % assigned to one of
   * 8 users, 5,000 patients with 10 requests each, every basis.
   */
  private void seed(int n) throws Exception {
    long have =
        Long.parseLong(
            psql("select count(*) from roi_request where requester_name like '" + PREFIX + " %';")
                .strip());
    if (have >= n) {
      // as autovacuum would have by now: statistics and the visibility map (index-only scans)
      psql("vacuum analyze roi_request; vacuum analyze roi_transition;");
      System.out.printf("Data: %,d benchmark requests already in the database.%n", have);
      return;
    }
    long start = System.nanoTime();
    String sql =
        """
        begin;
        create temporary table bench_new on commit drop as
          select gen_random_uuid() as id, g as n from generate_series(%1$d, %2$d - 1) g;
        insert into roi_request (id, patient_id, requester_type, requester_name, request_type,
            received_on, records_requested, delivery_format, status, due_on, original_due_on,
            created_at, created_by, patient_match_status, assignee, assigned_at)
        select id,
               'bench-pat-' || (n %% %3$d),
               (array['INDIVIDUAL','ATTORNEY','INSURER','PROVIDER','PERSONAL_REPRESENTATIVE'])[1 + n %% 5],
               '%4$s ' || n,
               (array['RIGHT_OF_ACCESS','AUTHORIZATION','SUBPOENA','COURT_ORDER','TREATMENT',
                      'REQUIRED_BY_LAW'])[1 + (n / 7) %% 6],
               current_date - (n %% 61),
               'Benchmark request',
               case when n %% 4 = 0 then 'PAPER' else 'ELECTRONIC' end,
               (array['RECEIVED','IDENTITY_VERIFIED','BASIS_VALIDATED','IN_PROCESSING',
                      'QUALITY_REVIEW','RELEASED','DENIED','CANCELLED','RELEASED'])[1 + (n / 3) %% 9],
               current_date - (n %% 61) + 30,
               current_date - (n %% 61) + 30,
               now(), 'benchmark', 'EXACT',
               case when n %% 5 < 3 then 'bench-user-' || (n %% %5$d) end,
               case when n %% 5 < 3 then now() end
        from bench_new;
        insert into roi_transition (id, request_id, from_status, to_status, actor, at)
        select gen_random_uuid(), id, null, 'RECEIVED', 'benchmark', now() from bench_new;
        commit;
        vacuum analyze roi_request;
        vacuum analyze roi_transition;
        """
            .formatted(have, n, PATIENTS, PREFIX, USERS);
    psql(sql);
    // once more, in a session of its own: a transaction open elsewhere during the first vacuum
    // keeps pages from being marked all-visible, and index-only scans need them marked
    psql("vacuum analyze roi_request;");
    System.out.printf(
        "Data: added %,d benchmark requests (now %,d) in %.1f s.%n",
        n - have, n, (System.nanoTime() - start) / 1e9);
  }

  private List<Shape> shapes() {
    int n = Integer.parseInt(opt.get("requests"));
    String q = "/api/requests/roi?count=20";
    List<Shape> shapes = new ArrayList<>();
    shapes.add(new Shape("all, first page", () -> q));
    shapes.add(new Shape("dueState=overdue", () -> q + "&dueState=overdue"));
    shapes.add(new Shape("dueState=at-risk", () -> q + "&dueState=at-risk"));
    shapes.add(new Shape("dueState=due", () -> q + "&dueState=due"));
    shapes.add(new Shape("status=RECEIVED", () -> q + "&status=RECEIVED"));
    shapes.add(
        new Shape(
            "status=IN_PROCESSING,QUALITY_REVIEW",
            () -> q + "&status=IN_PROCESSING,QUALITY_REVIEW"));
    shapes.add(new Shape("assignee=<user>", () -> q + "&assignee=bench-user-" + rnd(USERS)));
    shapes.add(
        new Shape(
            "assignee=unassigned&dueState=overdue",
            () -> q + "&assignee=unassigned&dueState=overdue"));
    shapes.add(new Shape("requestType=AUTHORIZATION", () -> q + "&requestType=AUTHORIZATION"));
    shapes.add(
        new Shape(
            "requestType=COURT_ORDER&dueState=at-risk",
            () -> q + "&requestType=COURT_ORDER&dueState=at-risk"));
    shapes.add(new Shape("patientId=<patient>", () -> q + "&patientId=bench-pat-" + rnd(PATIENTS)));
    shapes.add(
        new Shape(
            "assignee=<user>&status=IN_PROCESSING",
            () -> q + "&assignee=bench-user-" + rnd(USERS) + "&status=IN_PROCESSING"));
    shapes.add(new Shape("offset=1000..2000", () -> q + "&offset=" + (1000 + rnd(1000))));
    shapes.add(
        new Shape("offset=" + (n / 2) + " (deep)", () -> q + "&offset=" + (n / 2 + rnd(20))));
    shapes.add(
        new Shape(
            "dueState=overdue&offset=5000 (deep)",
            () -> q + "&dueState=overdue&offset=" + (5000 + rnd(20))));
    shapes.add(new Shape("count=100, all", () -> "/api/requests/roi?count=100"));
    return shapes;
  }

  private static int rnd(int bound) {
    return ThreadLocalRandom.current().nextInt(bound);
  }

  // ---------------------------------------------------------------- measuring

  private Window closedLoop(String base, Shape shape, int seconds) throws Exception {
    int clients = Integer.parseInt(opt.get("clients"));
    List<Latencies> parts = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Map<String, Double> before = processes.cpuSeconds();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Latencies mine = new Latencies();
      parts.add(mine);
      Thread t =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  long t0 = System.nanoTime();
                  try {
                    HttpResponse<Void> r =
                        http.send(
                            request(base + shape.path().get()),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                      mine.record(System.nanoTime() - t0);
                    } else {
                      mine.error("HTTP " + r.statusCode());
                    }
                  } catch (IOException e) {
                    mine.error(e.getClass().getSimpleName());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
              },
              "client-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join();
    double elapsed = (System.nanoTime() - start) / 1e9;
    Map<String, Double> after = processes.cpuSeconds();
    Map<String, Double> cores = new LinkedHashMap<>();
    after.forEach((k, v) -> cores.put(k, (v - before.getOrDefault(k, 0.0)) / elapsed));
    return new Window(Latencies.merge(parts), elapsed, cores);
  }

  private HttpRequest request(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .build();
  }

  private String get(String base, String path) throws Exception {
    HttpResponse<String> r = http.send(request(base + path), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private void renewToken() throws Exception {
    token = BenchmarkSupport.passwordToken(http, realm, opt.get("user"), opt.get("password"));
  }

  // ---------------------------------------------------------------- helpers

  /** Runs SQL with psql against the requests database; returns what it printed (unaligned). */
  private String psql(String sql) throws Exception {
    return BenchmarkSupport.psql(opt, sql);
  }

  private static int port(String url) {
    return URI.create(url).getPort();
  }

  private static String cores(Map<String, Double> cores) {
    StringBuilder b = new StringBuilder();
    cores.forEach(
        (k, v) -> {
          if (!k.equals("machine")) {
            b.append(String.format(Locale.ROOT, "%s %.2f  ", k, v));
          }
        });
    b.append(String.format(Locale.ROOT, "(machine %.2f)", cores.getOrDefault("machine", 0.0)));
    return b.toString();
  }
}
