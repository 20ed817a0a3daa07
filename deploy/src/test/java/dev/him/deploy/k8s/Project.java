package dev.him.deploy.k8s;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the manifests are checked against, read from the repository: the services (the modules with
 * a src/main/resources/application.properties), the configuration each reads and needs, the image
 * each is built as, and the Kafka topics the code uses.
 */
final class Project {

  final Path root;
  final List<Service> services;
  final Map<String, List<String>> topics;
  final Set<String> metrics;

  private Project(Path root, List<Service> services, Map<String, List<String>> topics) {
    this.root = root;
    this.services = services;
    this.topics = topics;
    this.metrics = metrics(root);
  }

  /**
   * Topics named in the channel configuration that nothing is ever written to, with the reason.
   * OutboxRelay (platform-common) sends every outbox row to the topic stored with it
   * (OutgoingKafkaRecordMetadata.withTopic), so the outbox channel's configured topic is only the
   * emitter's required default.
   */
  static final Map<String, String> NEVER_WRITTEN =
      Map.of(
          "him.unrouted",
          "default topic of the outbox channel; OutboxRelay sets each record's topic");

  /** The repository holding this module (the test runs in deploy/). */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("deploy/k8s")) && Files.isRegularFile(d.resolve("pom.xml"))) {
        return d;
      }
    }
    throw new IllegalStateException("no repository root above " + dir);
  }

  static Project load(Path root) {
    List<Service> services = new ArrayList<>();
    for (String module : modules(root)) {
      Path props = root.resolve(module).resolve("src/main/resources/application.properties");
      if (Files.isRegularFile(props)) {
        services.add(new Service(root, module));
      }
    }
    return new Project(root, List.copyOf(services), topics(root, services));
  }

  /** The same project restricted to some services (the fixtures deploy only one). */
  Project only(String... names) {
    List<Service> kept = new ArrayList<>();
    for (Service s : services) {
      if (List.of(names).contains(s.artifactId)) {
        kept.add(s);
      }
    }
    return new Project(root, List.copyOf(kept), topics(root, kept));
  }

  Service service(String artifactId) {
    return services.stream()
        .filter(s -> s.artifactId.equals(artifactId))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no service " + artifactId));
  }

  private static List<String> modules(Path root) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(read(root.resolve("pom.xml")));
    while (m.find()) {
      out.add(m.group(1).trim());
    }
    return out;
  }

  // ----------------------------------------------------------------- metrics

  private static final Pattern METER_NAME =
      Pattern.compile("\"(him\\.[a-z0-9]+(?:\\.[a-z0-9]+)*)\"");

  /**
   * The Prometheus names of the platform's own meters: string literals "him.x.y" in the main Java
   * sources of every module (Micrometer names; Prometheus writes them him_x_y). Configuration keys
   * match too, which only makes the set larger than needed: a rule naming one would still pass.
   */
  private static Set<String> metrics(Path root) {
    Set<String> out = new java.util.TreeSet<>();
    for (String module : modules(root)) {
      for (Path f : javaFiles(root.resolve(module).resolve("src/main/java"))) {
        Matcher m = METER_NAME.matcher(read(f));
        while (m.find()) {
          out.add(m.group(1).replace('.', '_'));
        }
      }
    }
    return out;
  }

  /**
   * Whether a series name in a rule is one of the platform's meters: the meter's own name, or a
   * series Prometheus derives from it (counter _total, timer or summary _count/_sum/_max, histogram
   * _bucket).
   */
  boolean exportsMetric(String series) {
    if (metrics.contains(series)) {
      return true;
    }
    for (String suffix : List.of("_total", "_count", "_sum", "_max", "_bucket")) {
      if (series.endsWith(suffix)
          && metrics.contains(series.substring(0, series.length() - suffix.length()))) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ topics

  private static final Pattern TOPIC_LITERAL =
      Pattern.compile("\"(him\\.[a-z0-9]+(?:-[a-z0-9]+)+(?:\\.[a-z0-9]+(?:-[a-z0-9]+)*)*)\"");

  /**
   * Every topic the code uses, with where: string constants in main Java sources of the services
   * and platform-common that look like topic names ("him." then a hyphenated word, as
   * dev.him.events.v1.Topics names them; configuration keys and metric names have no hyphen in
   * their first word), and the topics in each service's configuration: him.audit.ingest.topics,
   * mp.messaging.*.topic and the dead-letter topics of channels with the dead-letter-queue failure
   * strategy (Kafka connector default dead-letter-topic-CHANNEL).
   */
  private static Map<String, List<String>> topics(Path root, List<Service> services) {
    Map<String, List<String>> out = new TreeMap<>();
    List<Path> sourceDirs = new ArrayList<>();
    sourceDirs.add(root.resolve("platform-common/src/main/java"));
    for (Service s : services) {
      sourceDirs.add(s.dir.resolve("src/main/java"));
    }
    for (Path dir : sourceDirs) {
      for (Path f : javaFiles(dir)) {
        Matcher m = TOPIC_LITERAL.matcher(read(f));
        while (m.find()) {
          out.computeIfAbsent(m.group(1), k -> new ArrayList<>())
              .add(root.relativize(f).toString());
        }
      }
    }
    for (Service s : services) {
      String where = s.artifactId + " application.properties ";
      s.props.forEach(
          (k, v) -> {
            if (k.equals("him.audit.ingest.topics")) {
              for (String t : v.split(",")) {
                if (!t.isBlank()) {
                  out.computeIfAbsent(t.trim(), x -> new ArrayList<>()).add(where + k);
                }
              }
            } else if (k.matches("mp\\.messaging\\.(incoming|outgoing)\\.[^.]+\\.topic")
                || k.matches("mp\\.messaging\\.incoming\\.[^.]+\\.dead-letter-queue\\.topic")) {
              if (!NEVER_WRITTEN.containsKey(v)) {
                out.computeIfAbsent(v.trim(), x -> new ArrayList<>()).add(where + k);
              }
            } else if (k.matches("mp\\.messaging\\.incoming\\.[^.]+\\.failure-strategy")
                && v.trim().equals("dead-letter-queue")) {
              String channel = k.split("\\.")[3];
              String dlq = "mp.messaging.incoming." + channel + ".dead-letter-queue.topic";
              if (!s.props.containsKey(dlq)) {
                out.computeIfAbsent("dead-letter-topic-" + channel, x -> new ArrayList<>())
                    .add(where + k);
              }
            }
          });
    }
    return out;
  }

  // ---------------------------------------------------------------- services

  /** One deployable service and what it reads. */
  static final class Service {
    final Path dir;
    final String module;
    final String artifactId;
    final String pom;
    final Path propsFile;

    /** application.properties without profile-specific lines. */
    final Map<String, String> props = new LinkedHashMap<>();

    /** The values in a container: %prod.KEY over KEY. */
    final Map<String, String> prodProps = new LinkedHashMap<>();

    /** Every key of the file, profile prefixes removed. */
    final Set<String> fileKeys = new LinkedHashSet<>();

    /** Env-var form of every configuration key the service reads, with where it was found. */
    final Map<String, String> reads = new TreeMap<>();

    /** Env-var form of configuration prefixes the service reads whole (ConfigMapping, dynamic). */
    final Map<String, String> readPrefixes = new TreeMap<>();

    Service(Path root, String module) {
      this.module = module;
      this.dir = root.resolve(module);
      this.pom = read(dir.resolve("pom.xml"));
      this.artifactId = artifactId(pom);
      this.propsFile = dir.resolve("src/main/resources/application.properties");
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(propsFile, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, String> prod = new LinkedHashMap<>();
      for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
        String value = p.getProperty(key);
        if (key.startsWith("%")) {
          int dot = key.indexOf('.');
          String profiles = key.substring(1, dot);
          String bare = key.substring(dot + 1);
          fileKeys.add(bare);
          if (List.of(profiles.split(",")).contains("prod")) {
            prod.put(bare, value);
          }
        } else {
          fileKeys.add(key);
          props.put(key, value);
        }
      }
      prodProps.putAll(props);
      prodProps.putAll(prod);

      String where = module + "/src/main/resources/application.properties";
      for (String key : fileKeys) {
        reads.putIfAbsent(env(key), where);
      }
      // Names an expression refers to (${NAME} or ${NAME:default}) are read too: often env vars.
      for (String value : p.stringPropertyNames().stream().map(p::getProperty).toList()) {
        Matcher m = EXPRESSION.matcher(value);
        while (m.find()) {
          reads.putIfAbsent(env(m.group(1)), where + " (expression)");
        }
      }
      List<Path> sources = new ArrayList<>(javaFiles(dir.resolve("src/main/java")));
      sources.addAll(javaFiles(root.resolve("platform-common/src/main/java")));
      for (Path f : sources) {
        String text = read(f);
        String rel = root.relativize(f).toString();
        Matcher cp = CONFIG_PROPERTY.matcher(text);
        while (cp.find()) {
          reads.putIfAbsent(env(cp.group(1)), rel + " @ConfigProperty");
        }
        Matcher cm = CONFIG_MAPPING.matcher(text);
        while (cm.find()) {
          readPrefixes.putIfAbsent(env(cm.group(1)) + "_", rel + " @ConfigMapping");
        }
        Matcher gv = GET_VALUE.matcher(text);
        while (gv.find()) {
          if (gv.group(2) != null) {
            readPrefixes.putIfAbsent(env(gv.group(1)), rel + " (keys built from this prefix)");
          } else {
            reads.putIfAbsent(env(gv.group(1)), rel);
          }
        }
      }
    }

    /** quarkus.application.name, else the artifactId. */
    String appName() {
      return props.getOrDefault("quarkus.application.name", artifactId);
    }

    /** The image repository the build names: group/name (registry and tag vary). */
    String imageRepository() {
      String group = props.getOrDefault("quarkus.container-image.group", "him-platform");
      String name = props.getOrDefault("quarkus.container-image.name", artifactId);
      return resolve(group) + "/" + resolve(name);
    }

    private String resolve(String v) {
      // The Jib helper may write name=${quarkus.application.name}; resolve simple references.
      Matcher m = Pattern.compile("\\$\\{([^:}]+)(?::([^}]*))?}").matcher(v);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String ref = m.group(1);
        String val =
            ref.equals("project.artifactId")
                ? artifactId
                : props.getOrDefault(ref, m.group(2) != null ? m.group(2) : m.group());
        m.appendReplacement(out, Matcher.quoteReplacement(val));
      }
      m.appendTail(out);
      return out.toString();
    }

    /** The HTTP port from application.properties (Quarkus' default 8080 when unset). */
    int httpPort() {
      return Integer.parseInt(prodProps.getOrDefault("quarkus.http.port", "8080").trim());
    }

    boolean hasExtension(String artifact) {
      return pom.contains("<artifactId>" + artifact + "</artifactId>");
    }

    /** Whether the service reads a configuration key given as an environment variable name. */
    String whereRead(String envName) {
      String n = env(envName);
      if (reads.containsKey(n)) {
        return reads.get(n);
      }
      for (Map.Entry<String, String> p : readPrefixes.entrySet()) {
        if (n.startsWith(p.getKey())) {
          return p.getValue();
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return artifactId;
    }
  }

  static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^:}${]+)(:[^}]*)?}");
  private static final Pattern CONFIG_PROPERTY =
      Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern CONFIG_MAPPING =
      Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern GET_VALUE =
      Pattern.compile(
          "\\.get(?:Optional|Config)?Value\\(\\s*\"([a-z][a-zA-Z0-9_.-]*\\.[a-zA-Z0-9_.-]*)\"\\s*(\\+)?");

  /** The MicroProfile Config environment form of a name: non-alphanumerics to _, upper case. */
  static String env(String key) {
    StringBuilder b = new StringBuilder(key.length());
    for (char c : key.toCharArray()) {
      b.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
    }
    return b.toString().toUpperCase(Locale.ROOT);
  }

  private static String artifactId(String pom) {
    String withoutParent = pom.replaceAll("(?s)<parent>.*?</parent>", "");
    Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(withoutParent);
    if (!m.find()) {
      throw new IllegalStateException("pom without artifactId");
    }
    return m.group(1).trim();
  }

  static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> javaFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
