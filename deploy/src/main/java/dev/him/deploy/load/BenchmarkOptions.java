package dev.him.deploy.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The command line of every benchmark: --name value pairs over its defaults, and --help. */
final class BenchmarkOptions {
  private BenchmarkOptions() {}

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
}
