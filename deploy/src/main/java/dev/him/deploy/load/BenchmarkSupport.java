package dev.him.deploy.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What every benchmark shares: its command line (--name value over defaults, --help), formatting.
 */
final class BenchmarkSupport {
  private BenchmarkSupport() {}

  /**
   * The options, or empty when the caller asked for help (printed). An unknown option or one
   * without a value prints the help and exits with 2.
   */
  static Optional<Map<String, String>> parse(
      String[] args, Map<String, String> defaults, String help) {
    Map<String, String> opt = new LinkedHashMap<>(defaults);
    for (int i = 0; i < args.length; i++) {
      String key = args[i].replaceFirst("^--", "");
      if (key.equals("help") || key.equals("h")) {
        System.out.print(help);
        return Optional.empty();
      }
      if (!defaults.containsKey(key) || i + 1 >= args.length) {
        System.err.println("Unknown option or missing value: " + args[i] + "\n\n" + help);
        System.exit(2);
      }
      opt.put(key, args[++i]);
    }
    return Optional.of(opt);
  }

  /** Sleeps until System.nanoTime() reaches the given value (paced load). */
  static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
    }
  }

  /** 50000 → "50,000". */
  static String fmt(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** The 1, 5 and 15 minute load averages, to tell a busy machine in the printed figures. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "(unknown)";
    }
  }

  /** A user's access token from the realm (password grant, client him-cli: demo realm only). */
  static String passwordToken(
      java.net.http.HttpClient http, String realm, String user, String password) throws Exception {
    String form =
        "client_id=him-cli&grant_type=password&username="
            + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8)
            + "&password="
            + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
    java.net.http.HttpResponse<String> r =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    String value = Json.string(Json.object(Json.parse(r.body())).get("access_token"));
    if (value == null) {
      throw new IllegalStateException(
          "no token for " + user + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return value;
  }

  /**
   * Runs SQL with psql (options db-host, db-port, db-user, db-password, db-name); returns what it
   * printed, unaligned and without headers.
   */
  static String psql(Map<String, String> opt, String sql) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            "psql",
            "-h",
            opt.get("db-host"),
            "-p",
            opt.get("db-port"),
            "-U",
            opt.get("db-user"),
            "-d",
            opt.get("db-name"),
            "-X",
            "-q",
            "-t",
            "-A",
            "-v",
            "ON_ERROR_STOP=1");
    pb.environment().put("PGPASSWORD", opt.get("db-password"));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try (java.io.OutputStream in = p.getOutputStream()) {
      in.write(sql.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String out;
    try (java.io.InputStream o = p.getInputStream()) {
      out = new String(o.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("psql failed: " + out);
    }
    return out;
  }
}
