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
}
