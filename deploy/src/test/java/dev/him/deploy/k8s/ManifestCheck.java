package dev.him.deploy.k8s;

import dev.him.deploy.k8s.Kustomize.ImageRef;
import dev.him.deploy.k8s.Kustomize.KustomizeException;
import dev.him.deploy.k8s.Project.Service;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks one rendered overlay against the services it deploys. Each violation is one line naming
 * the overlay, the object (kind/name) and the problem. The rules:
 *
 * <ul>
 *   <li>(a) Every object parses with a Kubernetes model ({@link Models}): built-in kinds with
 *       fabric8's, Strimzi's with Strimzi's; CloudNativePG, Keycloak Operator and Prometheus
 *       Operator resources generically, with the fields the platform relies on checked here. Names
 *       must be valid, a Deployment's selector must select its own pods. The operators' resources
 *       must hold together: KafkaNodePools and KafkaTopics belong to a Kafka of the overlay that
 *       runs a topic operator, topic replicas fit the brokers; Databases and ScheduledBackups
 *       (six-field cron) name a CloudNativePG Cluster with the backup method they use; a
 *       KeycloakRealmImport names a Keycloak and imports no user accounts and no client with direct
 *       access grants; ServiceMonitors select Services by a named port on /q/metrics and every
 *       service is scraped; PrometheusRule groups and rules are well formed.
 *   <li>(b) Each service's container has a port named http whose number is the port the service
 *       listens on (QUARKUS_HTTP_PORT set by the manifest, else quarkus.http.port in its
 *       application.properties, else 8080); startup, liveness and readiness probes GET
 *       /q/health/started, /q/health/live and /q/health/ready on that port; a Service selects the
 *       pods and targets that port.
 *   <li>(c) The service's image is the one the build names: quarkus.container-image.group /
 *       quarkus.container-image.name from application.properties (him-platform / the artifactId
 *       when unset), optionally behind a registry host, with any tag.
 *   <li>(d) Every environment variable the manifests give the service is configuration it reads,
 *       and everything it needs is given (see {@link #needs} and {@link #RUNTIME_ENV}). Values that
 *       point into the cluster must reach the overlay: in-cluster URLs a Service and one of its
 *       ports, Kafka bootstrap servers a Strimzi bootstrap Service and listener port, the JDBC URL
 *       a CloudNativePG Cluster and one of its databases, the OIDC server a realm the overlay
 *       imports (and the OIDC client a service-account client of it).
 *   <li>(e) Every Kafka topic the code uses has a KafkaTopic in the overlay.
 *   <li>(f) Every Deployment has cpu and memory requests and limits, runs as non-root without
 *       privilege escalation on a read-only root filesystem with all capabilities dropped, and has
 *       a PodDisruptionBudget (that lets at least one pod be evicted) and a
 *       HorizontalPodAutoscaler; only the gateway has an Ingress, with TLS.
 * </ul>
 */
public final class ManifestCheck {

  static final String STARTED = "/q/health/started";
  static final String LIVE = "/q/health/live";
  static final String READY = "/q/health/ready";
  static final String METRICS = "/q/metrics";

  /** The one service reachable from outside the cluster. */
  static final String GATEWAY = "gateway";

  /**
   * Environment variables the manifests may set although no application.properties or source names
   * them, each with why it is read, and the extension that must be on the service for it to be.
   */
  static final Map<String, String[]> RUNTIME_ENV =
      Map.ofEntries(
          Map.entry("QUARKUS_HTTP_PORT", new String[] {"Quarkus core: the HTTP port", null}),
          Map.entry("QUARKUS_PROFILE", new String[] {"Quarkus core: the active profile", null}),
          Map.entry("QUARKUS_LOG_LEVEL", new String[] {"Quarkus core: the root log level", null}),
          Map.entry(
              "QUARKUS_SHUTDOWN_TIMEOUT",
              new String[] {"Quarkus core: graceful shutdown, drain time", null}),
          Map.entry(
              "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING",
              new String[] {"Quarkus core: trust the reverse proxy's forwarding headers", null}),
          Map.entry(
              "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED",
              new String[] {"Quarkus core: read X-Forwarded-* from the reverse proxy", null}),
          Map.entry(
              "QUARKUS_HTTP_PROXY_ENABLE_FORWARDED_HOST",
              new String[] {"Quarkus core: the host from X-Forwarded-Host", null}),
          Map.entry(
              "QUARKUS_LOG_CONSOLE_JSON",
              new String[] {"JSON console logs (3.x switch)", "quarkus-logging-json"}),
          Map.entry(
              "QUARKUS_LOG_CONSOLE_JSON_ENABLED",
              new String[] {"JSON console logs", "quarkus-logging-json"}),
          Map.entry(
              "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT",
              new String[] {"OpenTelemetry export endpoint", "quarkus-opentelemetry"}),
          Map.entry(
              "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
              new String[] {"OpenTelemetry trace export endpoint", "quarkus-opentelemetry"}),
          Map.entry(
              "QUARKUS_OTEL_SDK_DISABLED",
              new String[] {"OpenTelemetry on or off", "quarkus-opentelemetry"}),
          Map.entry(
              "QUARKUS_OTEL_TRACES_SAMPLER",
              new String[] {"OpenTelemetry sampler", "quarkus-opentelemetry"}),
          Map.entry(
              "QUARKUS_OTEL_TRACES_SAMPLER_ARG",
              new String[] {"OpenTelemetry sampling ratio", "quarkus-opentelemetry"}),
          Map.entry(
              "QUARKUS_OTEL_RESOURCE_ATTRIBUTES",
              new String[] {"OpenTelemetry resource attributes", "quarkus-opentelemetry"}),
          // The JVM reads it at start-up whatever the image's entrypoint is.
          Map.entry("JAVA_TOOL_OPTIONS", new String[] {"read by the JVM itself", null}));

  /**
   * Read by run-java.sh, the entrypoint Quarkus Jib gives images built on its default Red Hat UBI
   * OpenJDK runtime base (JibProcessor); with any other base image the entrypoint is java itself
   * and these are ignored. The image itself sets JAVA_OPTS_APPEND to the Jib JVM arguments, so a
   * manifest's JAVA_OPTS_APPEND replaces them and must keep the log manager argument.
   */
  static final Set<String> RUN_JAVA_ENV =
      Set.of("JAVA_OPTS_APPEND", "JAVA_MAX_MEM_RATIO", "JAVA_INITIAL_MEM_RATIO");

  static final String LOG_MANAGER = "-Djava.util.logging.manager=org.jboss.logmanager.LogManager";

  /**
   * What a service needs from the manifests beyond what its application.properties derive (see
   * {@link #needs}): configuration whose default names a path inside the image's working directory,
   * which on Kubernetes must come from a mounted volume. audit-service's signing keys are a mounted
   * Secret in production and its checkpoint file must live on a writable volume (the root
   * filesystem is read-only); coding-service reads the agencies' code-set files from a volume
   * (him.codesets.dir, or HIM_SHARED_DATA it is built from).
   */
  static final Map<String, List<String>> SERVICE_NEEDS =
      Map.of(
          "audit-service",
              List.of(
                  "him.audit.signing.private-key-file",
                  "him.audit.signing.public-key-file",
                  "him.audit.checkpoint.file"),
          "coding-service", List.of("him.codesets.dir"));

  /**
   * Configuration fixed when the image is built (the Jib and container-image settings, packaging):
   * a container's environment cannot change it, so it is neither needed nor settable there.
   */
  static final List<String> BUILD_TIME =
      List.of("quarkus.container-image.", "quarkus.jib.", "quarkus.package.", "quarkus.native.");

  /** Names Quarkus defines itself, from the build (the project's artifactId and version). */
  static final Set<String> QUARKUS_DEFINED =
      Set.of("quarkus.application.name", "quarkus.application.version");

  /** Keys whose localhost default does no harm in a cluster (browser origins of dev front ends). */
  static final Set<String> LOCALHOST_HARMLESS = Set.of("quarkus.http.cors.origins");

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern EXPANSION =
      Pattern.compile("(?<!\\$)\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
  private static final Pattern IN_CLUSTER_URL =
      Pattern.compile(
          "(https?)://([a-z0-9-]+|[a-z0-9-]+\\.[a-z0-9-]+\\.svc(?:\\.cluster\\.local)?)(?::(\\d+))?(?:[/?#]|$)");
  private static final Pattern DURATION = Pattern.compile("0|([0-9]+(ms|s|m|h|d|w|y))+");

  /** Series of the platform's own meters in a rule expression. */
  private static final Pattern OWN_SERIES = Pattern.compile("\\bhim_[a-z0-9_]+");

  private static final Set<String> RULE_FIELDS =
      Set.of("alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations");
  private static final Set<String> GROUP_FIELDS =
      Set.of(
          "name",
          "interval",
          "rules",
          "limit",
          "partial_response_strategy",
          "query_offset",
          "labels");

  private ManifestCheck() {}

  /** Renders the overlay and checks it; the violations, none when all is well. */
  public static List<String> check(String overlay, Path dir, Project project) {
    List<Map<String, Object>> objects;
    try {
      objects = Kustomize.render(dir);
    } catch (KustomizeException e) {
      return List.of("[" + overlay + "] cannot render the overlay: " + e.getMessage());
    }
    return new Run(overlay, objects, project).run();
  }

  /** One overlay's check. */
  private static final class Run {
    final String overlay;
    final List<Map<String, Object>> objects;
    final Project project;
    final List<String> violations = new ArrayList<>();
    final Models models = new Models();

    Run(String overlay, List<Map<String, Object>> objects, Project project) {
      this.overlay = overlay;
      this.objects = objects;
      this.project = project;
    }

    List<String> run() {
      for (Map<String, Object> o : objects) {
        for (String p : models.problems(o)) {
          report(o, p);
        }
        checkNames(o);
      }
      Map<Service, Map<String, Object>> deployed = new LinkedHashMap<>();
      for (Map<String, Object> d : kind("Deployment")) {
        checkDeployment(d);
        Service s = serviceOf(d);
        if (s != null) {
          if (deployed.containsKey(s)) {
            report(d, "a second Deployment of " + s + " (also " + name(deployed.get(s)) + ")");
          } else {
            deployed.put(s, d);
          }
          checkService(s, d);
        }
      }
      for (Service s : project.services) {
        if (!deployed.containsKey(s)) {
          report("no Deployment of " + s + " (a Deployment named " + s + ")");
        }
      }
      checkIngresses(deployed);
      checkTopics();
      checkStrimzi();
      checkCnpg();
      checkKeycloak(deployed);
      checkMonitoring(deployed);
      return violations;
    }

    // -------------------------------------------------------------- reports

    void report(Map<String, Object> o, String problem) {
      violations.add("[" + overlay + "] " + o.get("kind") + "/" + name(o) + ": " + problem);
    }

    void report(String problem) {
      violations.add("[" + overlay + "] " + problem);
    }

    List<Map<String, Object>> kind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    List<Map<String, Object>> kind(String group, String kind) {
      return objects.stream()
          .filter(o -> kind.equals(o.get("kind")) && group.equals(Kustomize.group(o)))
          .toList();
    }

    Map<String, Object> find(String kind, String namespace, String name) {
      for (Map<String, Object> o : kind(kind)) {
        if (name.equals(name(o)) && Objects.equals(namespace, namespace(o))) {
          return o;
        }
      }
      return null;
    }

    // ---------------------------------------------------------------- (a)

    void checkNames(Map<String, Object> o) {
      String name = name(o);
      boolean service = "Service".equals(o.get("kind")) && "v1".equals(o.get("apiVersion"));
      if (service
          ? !DNS_LABEL.matcher(name).matches() || name.length() > 63
          : !DNS_SUBDOMAIN.matcher(name).matches() || name.length() > 253) {
        report(
            o,
            "malformed: metadata.name is no valid "
                + (service ? "DNS-1035 label" : "DNS subdomain name"));
      }
      labelsOk(o, map(at(o, "metadata.labels")), "metadata.labels");
      if ("Deployment".equals(o.get("kind"))) {
        labelsOk(o, map(at(o, "spec.template.metadata.labels")), "spec.template.metadata.labels");
      }
    }

    void labelsOk(Map<String, Object> o, Map<String, Object> labels, String where) {
      labels.forEach(
          (k, v) -> {
            String s = String.valueOf(v);
            if (s.length() > 63 || !LABEL_VALUE.matcher(s).matches()) {
              report(o, "malformed: " + where + "." + k + " value '" + s + "' is no label value");
            }
          });
    }

    // ---------------------------------------------------------------- (f)

    void checkDeployment(Map<String, Object> d) {
      Map<String, Object> podLabels = map(at(d, "spec.template.metadata.labels"));
      Map<String, Object> selector = map(at(d, "spec.selector"));
      if (selector.isEmpty()) {
        report(d, "malformed: spec.selector is missing");
      } else if (!selects(selector, podLabels)) {
        report(d, "malformed: spec.selector does not select the pod template's labels");
      }
      Map<String, Object> pod = map(at(d, "spec.template.spec"));
      if (!Boolean.TRUE.equals(at(pod, "securityContext.runAsNonRoot"))) {
        report(d, "spec.template.spec.securityContext.runAsNonRoot is not true");
      }
      for (String list : List.of("initContainers", "containers")) {
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> c : maps(pod.get(list))) {
          String cn = String.valueOf(c.get("name"));
          if (!names.add(cn)) {
            report(d, "malformed: two " + list + " named " + cn);
          }
          checkContainer(d, list, c);
        }
      }
      if (maps(pod.get("containers")).isEmpty()) {
        report(d, "malformed: no containers");
      }
      int minReplicas = replicasOf(d);
      List<Map<String, Object>> hpas = new ArrayList<>();
      for (Map<String, Object> h : kind("HorizontalPodAutoscaler")) {
        Map<String, Object> ref = map(at(h, "spec.scaleTargetRef"));
        if ("Deployment".equals(ref.get("kind"))
            && name(d).equals(ref.get("name"))
            && Objects.equals(namespace(d), namespace(h))) {
          hpas.add(h);
          if (!"apps/v1".equals(ref.get("apiVersion"))) {
            report(
                h, "spec.scaleTargetRef.apiVersion is " + ref.get("apiVersion") + ", not apps/v1");
          }
          if (at(h, "spec.minReplicas") instanceof Integer min) {
            minReplicas = min;
          } else {
            minReplicas = 1;
          }
          if (at(h, "spec.maxReplicas") instanceof Integer max && max < minReplicas) {
            report(h, "spec.maxReplicas " + max + " is below minReplicas " + minReplicas);
          }
        }
      }
      if (hpas.isEmpty()) {
        report(d, "no HorizontalPodAutoscaler targets this Deployment");
      } else if (hpas.size() > 1) {
        report(d, "more than one HorizontalPodAutoscaler targets this Deployment");
      }
      boolean pdb = false;
      for (Map<String, Object> p : kind("PodDisruptionBudget")) {
        if (Objects.equals(namespace(d), namespace(p))
            && !map(at(p, "spec.selector")).isEmpty()
            && selects(map(at(p, "spec.selector")), podLabels)) {
          pdb = true;
          Object minAvailable = at(p, "spec.minAvailable");
          Object maxUnavailable = at(p, "spec.maxUnavailable");
          if (minAvailable != null && maxUnavailable != null) {
            report(p, "malformed: both minAvailable and maxUnavailable are set");
          }
          if ((minAvailable instanceof Integer n && n >= minReplicas)
              || "100%".equals(minAvailable)
              || Integer.valueOf(0).equals(maxUnavailable)
              || "0%".equals(maxUnavailable)) {
            report(
                p,
                "lets no pod of Deployment "
                    + name(d)
                    + " be evicted (minAvailable "
                    + minAvailable
                    + ", maxUnavailable "
                    + maxUnavailable
                    + ", at least "
                    + minReplicas
                    + " replicas): node drains would hang");
          }
        }
      }
      if (!pdb) {
        report(d, "no PodDisruptionBudget selects its pods");
      }
    }

    int replicasOf(Map<String, Object> d) {
      return at(d, "spec.replicas") instanceof Integer r ? r : 1;
    }

    void checkContainer(Map<String, Object> d, String list, Map<String, Object> c) {
      String where = list + "[" + c.get("name") + "]";
      Map<String, Object> resources = map(c.get("resources"));
      for (String kind : List.of("requests", "limits")) {
        for (String r : List.of("cpu", "memory")) {
          Object q = at(resources, kind + "." + r);
          if (q == null) {
            report(
                d,
                where
                    + " has no "
                    + r
                    + " "
                    + kind.replaceAll("s$", "")
                    + " (resources."
                    + kind
                    + "."
                    + r
                    + ")");
          } else if (Models.amount(q) == null) {
            report(
                d,
                "malformed: " + where + " resources." + kind + "." + r + " is no quantity: " + q);
          }
        }
      }
      for (String r : List.of("cpu", "memory")) {
        BigDecimal request = Models.amount(at(resources, "requests." + r));
        BigDecimal limit = Models.amount(at(resources, "limits." + r));
        if (request != null && limit != null && request.compareTo(limit) > 0) {
          report(d, where + " requests more " + r + " than its limit");
        }
      }
      Map<String, Object> sc = map(c.get("securityContext"));
      if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
        report(d, where + " securityContext.allowPrivilegeEscalation is not false");
      }
      if (!Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
        report(d, where + " securityContext.readOnlyRootFilesystem is not true");
      }
      if (!list(at(sc, "capabilities.drop")).contains("ALL")) {
        report(d, where + " securityContext.capabilities.drop does not contain ALL");
      }
      if (Boolean.FALSE.equals(sc.get("runAsNonRoot"))) {
        report(d, where + " securityContext.runAsNonRoot is false");
      }
      if (Boolean.TRUE.equals(sc.get("privileged"))) {
        report(d, where + " securityContext.privileged is true");
      }
      Set<String> ports = new LinkedHashSet<>();
      for (Map<String, Object> p : maps(c.get("ports"))) {
        if (p.get("name") != null && !ports.add(String.valueOf(p.get("name")))) {
          report(d, "malformed: " + where + " has two ports named " + p.get("name"));
        }
      }
    }

    // ------------------------------------------------------- (b), (c), (d)

    Service serviceOf(Map<String, Object> d) {
      for (Service s : project.services) {
        if (s.artifactId.equals(name(d)) || s.appName().equals(name(d))) {
          return s;
        }
      }
      return null;
    }

    Map<String, Object> appContainer(Service s, Map<String, Object> d) {
      List<Map<String, Object>> containers = maps(at(d, "spec.template.spec.containers"));
      for (Map<String, Object> c : containers) {
        if (s.artifactId.equals(c.get("name")) || s.appName().equals(c.get("name"))) {
          return c;
        }
      }
      if (containers.size() == 1) {
        return containers.get(0);
      }
      report(d, "no container named " + s + " among " + containers.size() + " containers");
      return null;
    }

    /** One environment variable of a container: its value when known, and where it comes from. */
    record Env(String value, String source) {}

    void checkService(Service s, Map<String, Object> d) {
      Map<String, Object> c = appContainer(s, d);
      if (c == null) {
        return;
      }
      String cname = "container " + c.get("name");

      // (c) image
      String image = String.valueOf(c.get("image"));
      String expected = s.imageRepository();
      String repo = ImageRef.parse(image).name();
      boolean ok = repo.equals(expected);
      if (!ok && repo.endsWith("/" + expected)) {
        String registry = repo.substring(0, repo.length() - expected.length() - 1);
        ok =
            !registry.contains("/")
                && (registry.contains(".")
                    || registry.contains(":")
                    || registry.equals("localhost"));
      }
      if (!ok) {
        report(
            d,
            cname
                + " image "
                + image
                + " is not the image the build makes: "
                + expected
                + "[:tag], optionally behind a registry host (quarkus.container-image.group/name of "
                + s
                + ")");
      }

      // (d) environment
      Map<String, Env> env = env(d, c);
      checkEnv(s, d, c, cname, env);

      // (b) port and probes
      int port = s.httpPort();
      String portSource =
          "quarkus.http.port in " + s.module + "/src/main/resources/application.properties";
      Env httpEnv = env.get("QUARKUS_HTTP_PORT");
      if (httpEnv != null && httpEnv.value() != null) {
        try {
          port = Integer.parseInt(httpEnv.value().trim());
          portSource = "QUARKUS_HTTP_PORT from " + httpEnv.source();
        } catch (NumberFormatException e) {
          report(d, cname + " QUARKUS_HTTP_PORT " + httpEnv.value() + " is no port number");
        }
      }
      Integer httpPort = null;
      for (Map<String, Object> p : maps(c.get("ports"))) {
        if ("http".equals(p.get("name"))) {
          httpPort = p.get("containerPort") instanceof Integer n ? n : null;
        }
      }
      if (httpPort == null) {
        report(d, cname + " has no port named http");
      } else if (httpPort != port) {
        report(
            d,
            cname
                + " port http is "
                + httpPort
                + " but "
                + s
                + " listens on "
                + port
                + " ("
                + portSource
                + ")");
      }
      checkProbe(d, c, cname, "startupProbe", STARTED, httpPort);
      checkProbe(d, c, cname, "livenessProbe", LIVE, httpPort);
      checkProbe(d, c, cname, "readinessProbe", READY, httpPort);

      Map<String, Object> podLabels = map(at(d, "spec.template.metadata.labels"));
      List<Map<String, Object>> services = servicesSelecting(d);
      if (services.isEmpty()) {
        report(d, "no Service selects its pods");
      }
      for (Map<String, Object> svc : services) {
        boolean targetsHttp = false;
        for (Map<String, Object> sp : maps(at(svc, "spec.ports"))) {
          Object target = sp.get("targetPort") != null ? sp.get("targetPort") : sp.get("port");
          Integer resolved = containerPort(d, target);
          if (resolved == null) {
            report(
                svc,
                "port "
                    + (sp.get("name") != null ? sp.get("name") : sp.get("port"))
                    + " targets "
                    + target
                    + ", which is no container port of "
                    + name(d));
          } else if (httpPort != null && resolved.equals(httpPort)) {
            targetsHttp = true;
          }
        }
        if (!targetsHttp) {
          report(svc, "no port targets the http port of " + name(d));
        }
      }
      if (podLabels.isEmpty()) {
        report(d, "the pod template has no labels");
      }
    }

    void checkProbe(
        Map<String, Object> d,
        Map<String, Object> c,
        String cname,
        String probe,
        String path,
        Integer httpPort) {
      Map<String, Object> p = map(c.get(probe));
      if (p.isEmpty()) {
        report(d, cname + " has no " + probe);
        return;
      }
      Map<String, Object> get = map(p.get("httpGet"));
      if (get.isEmpty()) {
        report(d, cname + " " + probe + " is not an httpGet probe on " + path);
        return;
      }
      if (!path.equals(get.get("path"))) {
        report(d, cname + " " + probe + " path is " + get.get("path") + ", expected " + path);
      }
      Object port = get.get("port");
      boolean portOk =
          "http".equals(port)
              || (httpPort != null && port instanceof Integer n && n.equals(httpPort));
      if (!portOk) {
        report(d, cname + " " + probe + " port is " + port + ", expected the port named http");
      }
      if (get.get("scheme") != null && !"HTTP".equals(get.get("scheme"))) {
        report(
            d,
            cname + " " + probe + " scheme is " + get.get("scheme") + ", the service speaks HTTP");
      }
    }

    List<Map<String, Object>> servicesSelecting(Map<String, Object> d) {
      Map<String, Object> podLabels = map(at(d, "spec.template.metadata.labels"));
      List<Map<String, Object>> out = new ArrayList<>();
      for (Map<String, Object> svc : kind("Service")) {
        Map<String, Object> sel = map(at(svc, "spec.selector"));
        if (!sel.isEmpty()
            && Objects.equals(namespace(svc), namespace(d))
            && matchLabels(sel, podLabels)) {
          out.add(svc);
        }
      }
      return out;
    }

    /** The container port a Service targetPort (number or name) reaches, or null. */
    Integer containerPort(Map<String, Object> d, Object target) {
      for (Map<String, Object> c : maps(at(d, "spec.template.spec.containers"))) {
        for (Map<String, Object> p : maps(c.get("ports"))) {
          if (target instanceof String name && name.equals(p.get("name"))) {
            return p.get("containerPort") instanceof Integer n ? n : null;
          }
          if (target instanceof Integer n && n.equals(p.get("containerPort"))) {
            return n;
          }
        }
      }
      return null;
    }

    /** The container's environment: envFrom ConfigMaps first, env entries over them. */
    Map<String, Env> env(Map<String, Object> d, Map<String, Object> c) {
      Map<String, Env> env = new LinkedHashMap<>();
      String cname = "container " + c.get("name");
      for (Map<String, Object> from : maps(c.get("envFrom"))) {
        String prefix = from.get("prefix") == null ? "" : String.valueOf(from.get("prefix"));
        Map<String, Object> cmRef = map(from.get("configMapRef"));
        Map<String, Object> secretRef = map(from.get("secretRef"));
        if (!cmRef.isEmpty()) {
          Map<String, Object> cm =
              find("ConfigMap", namespace(d), String.valueOf(cmRef.get("name")));
          if (cm == null) {
            if (!Boolean.TRUE.equals(cmRef.get("optional"))) {
              report(
                  d,
                  cname + " envFrom ConfigMap " + cmRef.get("name") + ", which the overlay lacks");
            }
            continue;
          }
          map(cm.get("data"))
              .forEach(
                  (k, v) ->
                      env.put(prefix + k, new Env(String.valueOf(v), "ConfigMap " + name(cm))));
        }
        if (!secretRef.isEmpty()) {
          report(
              d,
              cname
                  + " envFrom Secret "
                  + secretRef.get("name")
                  + ": which keys it sets cannot be checked; name each with env valueFrom.secretKeyRef");
        }
      }
      for (Map<String, Object> e : maps(c.get("env"))) {
        String name = String.valueOf(e.get("name"));
        Map<String, Object> from = map(e.get("valueFrom"));
        if (from.isEmpty()) {
          env.put(
              name, new Env(e.get("value") == null ? "" : String.valueOf(e.get("value")), "env"));
        } else if (!map(from.get("secretKeyRef")).isEmpty()) {
          env.put(name, new Env(null, "Secret " + at(from, "secretKeyRef.name")));
        } else if (!map(from.get("configMapKeyRef")).isEmpty()) {
          Map<String, Object> ref = map(from.get("configMapKeyRef"));
          Map<String, Object> cm = find("ConfigMap", namespace(d), String.valueOf(ref.get("name")));
          Object value =
              cm == null ? null : map(cm.get("data")).get(String.valueOf(ref.get("key")));
          if (value == null && !Boolean.TRUE.equals(ref.get("optional"))) {
            report(
                d,
                cname
                    + " env "
                    + name
                    + " refers to key "
                    + ref.get("key")
                    + " of ConfigMap "
                    + ref.get("name")
                    + ", which the overlay lacks");
          }
          env.put(
              name,
              new Env(
                  value == null ? null : String.valueOf(value), "ConfigMap " + ref.get("name")));
        } else {
          env.put(name, new Env(null, "env valueFrom"));
        }
      }
      return env;
    }

    /**
     * Variables the container spec refers to as $(NAME), which Kubernetes substitutes in command,
     * args, env values and volumeMounts' subPathExpr: used by Kubernetes, not configuration.
     */
    Set<String> expandedNames(Map<String, Object> c) {
      List<Object> texts = new ArrayList<>();
      texts.addAll(list(c.get("command")));
      texts.addAll(list(c.get("args")));
      maps(c.get("env")).forEach(e -> texts.add(e.get("value")));
      maps(c.get("volumeMounts")).forEach(m -> texts.add(m.get("subPathExpr")));
      Set<String> out = new LinkedHashSet<>();
      for (Object t : texts) {
        if (t != null) {
          Matcher m = EXPANSION.matcher(String.valueOf(t));
          while (m.find()) {
            out.add(m.group(1));
          }
        }
      }
      return out;
    }

    void checkEnv(
        Service s,
        Map<String, Object> d,
        Map<String, Object> c,
        String cname,
        Map<String, Env> env) {
      String base = s.prodProps.getOrDefault("quarkus.jib.base-jvm-image", "");
      boolean runJava =
          base.isEmpty()
              || base.matches(
                  "registry\\.access\\.redhat\\.com/ubi\\d+/openjdk-\\d+-runtime(:.*)?");
      Set<String> expanded = expandedNames(c);
      for (Map.Entry<String, Env> e : env.entrySet()) {
        String name = e.getKey();
        String from = e.getValue().source();
        if (expanded.contains(name)) {
          continue; // Kubernetes substitutes it as $(NAME) in the container spec
        }
        if (RUN_JAVA_ENV.contains(name)) {
          if (!runJava) {
            report(
                d,
                cname
                    + " sets "
                    + name
                    + " (from "
                    + from
                    + "), which only run-java.sh of the UBI OpenJDK base images reads; "
                    + s
                    + " is built on "
                    + base);
          } else if (name.equals("JAVA_OPTS_APPEND")
              && (e.getValue().value() == null || !e.getValue().value().contains(LOG_MANAGER))) {
            report(
                d,
                cname
                    + " JAVA_OPTS_APPEND (from "
                    + from
                    + ") replaces the image's JVM arguments and drops "
                    + LOG_MANAGER);
          }
          continue;
        }
        String[] runtime = RUNTIME_ENV.get(name);
        if (runtime != null && (runtime[1] == null || s.hasExtension(runtime[1]))) {
          continue;
        }
        if (s.whereRead(name) == null) {
          report(
              d,
              cname
                  + " sets "
                  + name
                  + " (from "
                  + from
                  + "), which is no configuration "
                  + s
                  + " reads (not in its application.properties, no @ConfigProperty/@ConfigMapping"
                  + " in its or platform-common's sources, not in the allow-list of runtime settings)");
        }
      }
      for (Map.Entry<String, Set<String>> need : needs(s).entrySet()) {
        if (need.getValue().stream().noneMatch(env::containsKey)) {
          report(
              d,
              cname
                  + " lacks "
                  + need.getKey()
                  + ", which "
                  + s
                  + " needs (set one of "
                  + need.getValue()
                  + ")");
        }
      }
      checkBackingValues(s, d, cname, env);
    }

    // ------------------------------------------------------------ (e)

    void checkTopics() {
      Map<String, Map<String, Object>> byTopic = new LinkedHashMap<>();
      for (Map<String, Object> t : kind("kafka.strimzi.io", "KafkaTopic")) {
        String topic = at(t, "spec.topicName") instanceof String n ? n : name(t);
        Map<String, Object> prev = byTopic.put(topic, t);
        if (prev != null) {
          report(t, "a second KafkaTopic for topic " + topic + " (also " + name(prev) + ")");
        }
      }
      project.topics.forEach(
          (topic, where) -> {
            if (!byTopic.containsKey(topic)) {
              report(
                  "topic "
                      + topic
                      + " (used in "
                      + String.join(", ", where)
                      + ") has no KafkaTopic (kafka.strimzi.io)");
            }
          });
    }

    // ------------------------------------------------------- Strimzi (a)

    void checkStrimzi() {
      Map<String, Integer> brokers = new LinkedHashMap<>();
      for (Map<String, Object> k : kind("kafka.strimzi.io", "Kafka")) {
        brokers.put(namespace(k) + "/" + name(k), 0);
        if (maps(at(k, "spec.kafka.listeners")).isEmpty()) {
          report(k, "spec.kafka.listeners is empty");
        }
      }
      for (Map<String, Object> p : kind("kafka.strimzi.io", "KafkaNodePool")) {
        String cluster = clusterOf(p);
        if (cluster == null) {
          continue;
        }
        List<Object> roles = list(at(p, "spec.roles"));
        if (roles.isEmpty()) {
          report(p, "spec.roles is empty");
        }
        if (at(p, "spec.storage") == null) {
          report(p, "spec.storage is missing");
        }
        if (roles.contains("broker") && at(p, "spec.replicas") instanceof Integer n) {
          brokers.merge(cluster, n, Integer::sum);
        }
      }
      for (Map<String, Object> k : kind("kafka.strimzi.io", "Kafka")) {
        int n = brokers.get(namespace(k) + "/" + name(k));
        if (n == 0) {
          report(k, "no KafkaNodePool with the broker role belongs to it");
        }
        Map<String, Object> config = map(at(k, "spec.kafka.config"));
        for (String key :
            List.of(
                "default.replication.factor",
                "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor",
                "min.insync.replicas")) {
          if (config.get(key) instanceof Integer r && r > n) {
            report(k, "spec.kafka.config " + key + " " + r + " exceeds the " + n + " brokers");
          }
        }
        if (!kind("kafka.strimzi.io", "KafkaTopic").isEmpty()
            && at(k, "spec.entityOperator.topicOperator") == null) {
          report(k, "has KafkaTopics but no spec.entityOperator.topicOperator to create them");
        }
      }
      for (Map<String, Object> t : kind("kafka.strimzi.io", "KafkaTopic")) {
        String cluster = clusterOf(t);
        if (cluster == null) {
          continue;
        }
        if (!(at(t, "spec.partitions") instanceof Integer parts) || parts < 1) {
          report(t, "spec.partitions is not set (choose it: it bounds consumer parallelism)");
        }
        Object replicas = at(t, "spec.replicas");
        int n = brokers.getOrDefault(cluster, 0);
        if (!(replicas instanceof Integer r) || r < 1) {
          report(t, "spec.replicas is not set");
        } else {
          if (r > n) {
            report(t, "spec.replicas " + r + " exceeds the " + n + " brokers of " + cluster);
          }
          if (map(at(t, "spec.config")).get("min.insync.replicas") instanceof Integer isr
              && isr > r) {
            report(t, "min.insync.replicas " + isr + " exceeds its " + r + " replicas");
          }
        }
      }
    }

    /** The Kafka cluster (namespace/name) a Strimzi resource belongs to, reporting when none. */
    String clusterOf(Map<String, Object> o) {
      Object cluster = map(at(o, "metadata.labels")).get("strimzi.io/cluster");
      if (cluster == null) {
        report(o, "no strimzi.io/cluster label");
        return null;
      }
      Map<String, Object> k = find("Kafka", namespace(o), String.valueOf(cluster));
      if (k == null || !"kafka.strimzi.io".equals(Kustomize.group(k))) {
        report(
            o,
            "label strimzi.io/cluster names Kafka "
                + cluster
                + ", which is not in its namespace ("
                + namespace(o)
                + ")");
        return null;
      }
      return namespace(k) + "/" + name(k);
    }

    // --------------------------------------------------------- CNPG (a)

    void checkCnpg() {
      for (Map<String, Object> c : kind("postgresql.cnpg.io", "Cluster")) {
        if (!(at(c, "spec.instances") instanceof Integer n) || n < 1) {
          report(c, "spec.instances is not a positive integer");
        }
        if (at(c, "spec.storage.size") == null && at(c, "spec.storage.pvcTemplate") == null) {
          report(c, "spec.storage.size is missing");
        } else if (at(c, "spec.storage.size") != null
            && Models.amount(at(c, "spec.storage.size")) == null) {
          report(c, "malformed: spec.storage.size is no quantity");
        }
        for (Map<String, Object> role : maps(at(c, "spec.managed.roles"))) {
          if (!(role.get("name") instanceof String)) {
            report(c, "malformed: a spec.managed.roles entry has no name");
          }
        }
        Object bos = at(c, "spec.backup.barmanObjectStore");
        if (bos != null && at(c, "spec.backup.barmanObjectStore.destinationPath") == null) {
          report(c, "spec.backup.barmanObjectStore.destinationPath is missing");
        }
        for (Map<String, Object> plugin : maps(at(c, "spec.plugins"))) {
          if (!(plugin.get("name") instanceof String)) {
            report(c, "malformed: a spec.plugins entry has no name");
          }
          Object store = at(plugin, "parameters.barmanObjectName");
          if (store != null
              && kind("barmancloud.cnpg.io", "ObjectStore").stream()
                  .noneMatch(
                      o -> store.equals(name(o)) && Objects.equals(namespace(o), namespace(c)))) {
            report(
                c,
                "plugin "
                    + plugin.get("name")
                    + " names ObjectStore "
                    + store
                    + ", which is not in its namespace ("
                    + namespace(c)
                    + ")");
          }
        }
      }
      for (Map<String, Object> db : kind("postgresql.cnpg.io", "Database")) {
        Map<String, Object> cluster = cnpgCluster(db);
        for (String f : List.of("spec.name", "spec.owner")) {
          if (!(at(db, f) instanceof String)) {
            report(db, f + " is missing");
          }
        }
        if (cluster != null && at(db, "spec.owner") instanceof String owner) {
          Set<Object> roles = new LinkedHashSet<>();
          maps(at(cluster, "spec.managed.roles")).forEach(r -> roles.add(r.get("name")));
          roles.add(at(cluster, "spec.bootstrap.initdb.owner"));
          roles.add("postgres");
          if (!roles.contains(owner)) {
            report(
                db,
                "owner "
                    + owner
                    + " is no role of Cluster "
                    + name(cluster)
                    + " (spec.managed.roles)");
          }
        }
      }
      for (Map<String, Object> b : kind("postgresql.cnpg.io", "ScheduledBackup")) {
        Map<String, Object> cluster = cnpgCluster(b);
        Object schedule = at(b, "spec.schedule");
        if (!(schedule instanceof String s) || s.trim().split("\\s+").length != 6) {
          report(
              b,
              "spec.schedule "
                  + schedule
                  + " is not a six-field cron expression (CloudNativePG's has seconds first)");
        }
        String method =
            String.valueOf(
                at(b, "spec.method") == null ? "barmanObjectStore" : at(b, "spec.method"));
        if (cluster != null
            && method.equals("barmanObjectStore")
            && at(cluster, "spec.backup.barmanObjectStore") == null) {
          report(
              b,
              "backs up with barmanObjectStore but Cluster "
                  + name(cluster)
                  + " has no spec.backup.barmanObjectStore");
        }
        if (cluster != null && method.equals("plugin")) {
          Object plugin = at(b, "spec.pluginConfiguration.name");
          boolean has =
              maps(at(cluster, "spec.plugins")).stream()
                  .anyMatch(p -> Objects.equals(p.get("name"), plugin));
          if (plugin == null || !has) {
            report(
                b,
                "backs up with plugin "
                    + plugin
                    + ", which Cluster "
                    + name(cluster)
                    + " does not list in spec.plugins");
          }
        }
      }
      for (Map<String, Object> p : kind("postgresql.cnpg.io", "Pooler")) {
        cnpgCluster(p);
        if (!List.of("rw", "ro").contains(at(p, "spec.type"))) {
          report(p, "spec.type is not rw or ro");
        }
      }
      for (Map<String, Object> s : kind("barmancloud.cnpg.io", "ObjectStore")) {
        if (at(s, "spec.configuration.destinationPath") == null) {
          report(s, "spec.configuration.destinationPath is missing");
        }
      }
    }

    Map<String, Object> cnpgCluster(Map<String, Object> o) {
      Object name = at(o, "spec.cluster.name");
      if (!(name instanceof String n)) {
        report(o, "spec.cluster.name is missing");
        return null;
      }
      Map<String, Object> c = find("Cluster", namespace(o), n);
      if (c == null || !"postgresql.cnpg.io".equals(Kustomize.group(c))) {
        report(
            o,
            "spec.cluster.name "
                + n
                + " is no CloudNativePG Cluster in its namespace ("
                + namespace(o)
                + ")");
        return null;
      }
      return c;
    }

    // ----------------------------------------------------- Keycloak (a)

    void checkKeycloak(Map<Service, Map<String, Object>> deployed) {
      for (Map<String, Object> k : kind("k8s.keycloak.org", "Keycloak")) {
        Object instances = at(k, "spec.instances");
        if (instances != null && (!(instances instanceof Integer n) || n < 1)) {
          report(k, "spec.instances is not a positive integer");
        }
        if (!Boolean.TRUE.equals(at(k, "spec.http.httpEnabled"))
            && at(k, "spec.http.tlsSecret") == null) {
          report(
              k,
              "neither spec.http.tlsSecret nor spec.http.httpEnabled: true (the operator needs one)");
        }
        if (at(k, "spec.db") != null && !(at(k, "spec.db.vendor") instanceof String)) {
          report(k, "spec.db.vendor is missing");
        }
        if (at(k, "spec.hostname") != null
            && !(at(k, "spec.hostname.hostname") instanceof String)
            && !Boolean.FALSE.equals(at(k, "spec.hostname.strict"))) {
          report(k, "spec.hostname.hostname is missing");
        }
      }
      for (Map<String, Object> r : kind("k8s.keycloak.org", "KeycloakRealmImport")) {
        Object kc = at(r, "spec.keycloakCRName");
        Map<String, Object> target =
            kc instanceof String n ? find("Keycloak", namespace(r), n) : null;
        if (target == null) {
          report(
              r,
              "spec.keycloakCRName "
                  + kc
                  + " is no Keycloak in its namespace ("
                  + namespace(r)
                  + ")");
        }
        if (!(at(r, "spec.realm.realm") instanceof String)) {
          report(r, "spec.realm.realm is missing");
        }
        // A realm export lists the service-account user of each client with a service account
        // (serviceAccountClientId set, holding its roles); any other user is a person's account.
        List<Object> people = new ArrayList<>();
        for (Map<String, Object> u : maps(at(r, "spec.realm.users"))) {
          if (u.get("serviceAccountClientId") == null) {
            people.add(u.get("username"));
          }
        }
        if (!people.isEmpty()) {
          report(r, "the realm imports user accounts " + people + ": no demo users in a cluster");
        }
        for (Map<String, Object> client : maps(at(r, "spec.realm.clients"))) {
          if (Boolean.TRUE.equals(client.get("directAccessGrantsEnabled"))) {
            report(
                r,
                "client "
                    + client.get("clientId")
                    + " has directAccessGrantsEnabled (password grant)");
          }
        }
      }
    }

    /** The realms imported into the overlay's Keycloak, with their clients. */
    Map<String, Map<String, Object>> realms() {
      Map<String, Map<String, Object>> out = new LinkedHashMap<>();
      for (Map<String, Object> r : kind("k8s.keycloak.org", "KeycloakRealmImport")) {
        if (at(r, "spec.realm.realm") instanceof String realm) {
          out.put(realm, map(at(r, "spec.realm")));
        }
      }
      return out;
    }

    /**
     * An http(s) URL at an in-cluster host (one DNS label, or NAME.NAMESPACE.svc[.cluster.local])
     * must name a Service of the overlay and one of its ports, or the Service the Keycloak Operator
     * makes for a Keycloak of the overlay (NAME-service, port 8080 for HTTP when httpEnabled, 8443
     * for HTTPS, or the ports spec.http sets).
     */
    void checkInClusterUrl(Map<String, Object> d, String cname, String var, String value) {
      Matcher m = IN_CLUSTER_URL.matcher(value);
      if (!m.lookingAt()) {
        return;
      }
      String scheme = m.group(1);
      String host = m.group(2);
      String svcName = host.split("\\.")[0];
      String ns = host.contains(".") ? host.split("\\.")[1] : namespace(d);
      int port =
          m.group(3) != null ? Integer.parseInt(m.group(3)) : scheme.equals("https") ? 443 : 80;
      Map<String, Object> svc = find("Service", ns, svcName);
      if (svc != null && "v1".equals(svc.get("apiVersion"))) {
        if (maps(at(svc, "spec.ports")).stream()
            .noneMatch(p -> Objects.equals(p.get("port"), port))) {
          report(
              d,
              cname
                  + " "
                  + var
                  + " "
                  + value
                  + ": port "
                  + port
                  + " is no port of Service "
                  + svcName);
        }
        return;
      }
      for (Map<String, Object> kc : kind("k8s.keycloak.org", "Keycloak")) {
        if (svcName.equals(name(kc) + "-service") && Objects.equals(ns, namespace(kc))) {
          boolean http = scheme.equals("http");
          if (http && !Boolean.TRUE.equals(at(kc, "spec.http.httpEnabled"))) {
            report(
                d,
                cname
                    + " "
                    + var
                    + " "
                    + value
                    + ": Keycloak "
                    + name(kc)
                    + " has no HTTP (spec.http.httpEnabled)");
          }
          Object configured = at(kc, http ? "spec.http.httpPort" : "spec.http.httpsPort");
          int expected = configured instanceof Integer n ? n : http ? 8080 : 8443;
          if (port != expected) {
            report(
                d,
                cname
                    + " "
                    + var
                    + " "
                    + value
                    + ": Keycloak "
                    + name(kc)
                    + " serves "
                    + scheme
                    + " on "
                    + expected);
          }
          return;
        }
      }
      report(d, cname + " " + var + " " + value + ": " + host + " is no Service of the overlay");
    }

    /**
     * Values that must point at the overlay's own backing services, when the overlay has them:
     * Kafka bootstrap servers at a Strimzi cluster's bootstrap Service and a listener port, the
     * JDBC URL at a CloudNativePG Cluster's (or Pooler's) Service and one of its databases, the
     * OIDC server at a realm the overlay imports, the OIDC client at a client of that realm.
     */
    void checkBackingValues(Service s, Map<String, Object> d, String cname, Map<String, Env> env) {
      env.forEach(
          (name, e) -> {
            if (e.value() != null) {
              checkInClusterUrl(d, cname, name, e.value().trim());
            }
          });
      Env kafka = env.get("KAFKA_BOOTSTRAP_SERVERS");
      List<Map<String, Object>> kafkas = kind("kafka.strimzi.io", "Kafka");
      if (kafka != null && kafka.value() != null && !kafkas.isEmpty()) {
        for (String server : kafka.value().split(",")) {
          String[] hp = server.trim().split(":");
          boolean ok = false;
          for (Map<String, Object> k : kafkas) {
            boolean hostOk =
                hp[0].equals(name(k) + "-kafka-bootstrap")
                    || hp[0].startsWith(name(k) + "-kafka-bootstrap.");
            boolean portOk =
                hp.length == 2
                    && maps(at(k, "spec.kafka.listeners")).stream()
                        .anyMatch(l -> String.valueOf(l.get("port")).equals(hp[1]));
            ok |= hostOk && portOk;
          }
          if (!ok) {
            report(
                d,
                cname
                    + " KAFKA_BOOTSTRAP_SERVERS "
                    + server.trim()
                    + " is no <kafka>-kafka-bootstrap:<listener port> of the overlay's Kafka");
          }
        }
      }
      Env jdbc = env.get("QUARKUS_DATASOURCE_JDBC_URL");
      List<Map<String, Object>> clusters = kind("postgresql.cnpg.io", "Cluster");
      if (jdbc != null && jdbc.value() != null && !clusters.isEmpty()) {
        Matcher m =
            Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]+).*")
                .matcher(jdbc.value().trim());
        if (!m.matches()) {
          report(
              d,
              cname
                  + " QUARKUS_DATASOURCE_JDBC_URL "
                  + jdbc.value()
                  + " is no jdbc:postgresql://host/database URL");
        } else {
          String host = m.group(1).split("\\.")[0];
          String database = m.group(3);
          Map<String, Object> cluster = null;
          for (Map<String, Object> c : clusters) {
            if (host.equals(name(c) + "-rw")
                || host.equals(name(c) + "-ro")
                || host.equals(name(c) + "-r")) {
              cluster = c;
            }
          }
          for (Map<String, Object> p : kind("postgresql.cnpg.io", "Pooler")) {
            if (host.equals(name(p)) && at(p, "spec.cluster.name") instanceof String cn) {
              cluster = find("Cluster", namespace(p), cn);
            }
          }
          if (cluster == null) {
            report(
                d,
                cname
                    + " QUARKUS_DATASOURCE_JDBC_URL host "
                    + m.group(1)
                    + " is no Service of the overlay's CloudNativePG Clusters (<cluster>-rw) or Poolers");
          } else {
            Set<Object> databases = new LinkedHashSet<>();
            databases.add(at(cluster, "spec.bootstrap.initdb.database"));
            for (Map<String, Object> db : kind("postgresql.cnpg.io", "Database")) {
              if (name(cluster).equals(at(db, "spec.cluster.name"))) {
                databases.add(at(db, "spec.name"));
              }
            }
            if (!databases.contains(database)) {
              report(
                  d,
                  cname
                      + " QUARKUS_DATASOURCE_JDBC_URL database "
                      + database
                      + " is no database of Cluster "
                      + name(cluster)
                      + " (Database resources, bootstrap.initdb)");
            }
          }
        }
      }
      Map<String, Map<String, Object>> realms = realms();
      Env oidc = env.get("QUARKUS_OIDC_AUTH_SERVER_URL");
      if (oidc != null && oidc.value() != null && !realms.isEmpty()) {
        String path;
        try {
          path = URI.create(oidc.value().trim()).getPath();
        } catch (IllegalArgumentException e) {
          path = "";
        }
        Matcher m = Pattern.compile(".*/realms/([^/]+)/?").matcher(path == null ? "" : path);
        if (!m.matches() || !realms.containsKey(m.group(1))) {
          report(
              d,
              cname
                  + " QUARKUS_OIDC_AUTH_SERVER_URL "
                  + oidc.value()
                  + " is no realm the overlay imports "
                  + realms.keySet());
        } else if (s.prodProps.containsKey("quarkus.oidc-client.client-id")) {
          String clientId =
              env.containsKey("QUARKUS_OIDC_CLIENT_CLIENT_ID")
                      && env.get("QUARKUS_OIDC_CLIENT_CLIENT_ID").value() != null
                  ? env.get("QUARKUS_OIDC_CLIENT_CLIENT_ID").value()
                  : s.prodProps.get("quarkus.oidc-client.client-id");
          boolean found =
              maps(realms.get(m.group(1)).get("clients")).stream()
                  .anyMatch(
                      c ->
                          clientId.equals(c.get("clientId"))
                              && Boolean.TRUE.equals(c.get("serviceAccountsEnabled")));
          if (!found) {
            report(
                d,
                cname
                    + " OIDC client "
                    + clientId
                    + " is no client of realm "
                    + m.group(1)
                    + " with serviceAccountsEnabled");
          }
        }
      }
    }

    // ---------------------------------------------------------- Ingress (f)

    void checkIngresses(Map<Service, Map<String, Object>> deployed) {
      Map<String, Object> gateway = null;
      for (Map.Entry<Service, Map<String, Object>> e : deployed.entrySet()) {
        if (e.getKey().artifactId.equals(GATEWAY)) {
          gateway = e.getValue();
        }
      }
      boolean gatewayExposed = false;
      for (Map<String, Object> ing : kind("Ingress")) {
        List<Map<String, Object>> backends = new ArrayList<>();
        if (at(ing, "spec.defaultBackend") != null) {
          backends.add(map(at(ing, "spec.defaultBackend")));
        }
        for (Map<String, Object> rule : maps(at(ing, "spec.rules"))) {
          for (Map<String, Object> p : maps(at(rule, "http.paths"))) {
            backends.add(map(p.get("backend")));
          }
        }
        for (Map<String, Object> b : backends) {
          Object svcName = at(b, "service.name");
          Map<String, Object> svc =
              svcName == null ? null : find("Service", namespace(ing), String.valueOf(svcName));
          if (svc == null) {
            report(ing, "backend Service " + svcName + " is not in the overlay");
            continue;
          }
          Object port =
              at(b, "service.port.name") != null
                  ? at(b, "service.port.name")
                  : at(b, "service.port.number");
          boolean portOk =
              maps(at(svc, "spec.ports")).stream()
                  .anyMatch(
                      p ->
                          Objects.equals(p.get("name"), port)
                              || Objects.equals(p.get("port"), port));
          if (!portOk) {
            report(ing, "backend port " + port + " is no port of Service " + svcName);
          }
          for (Map<String, Object> d : kind("Deployment")) {
            if (servicesSelecting(d).contains(svc)) {
              if (d == gateway) {
                gatewayExposed = true;
              } else {
                report(
                    ing,
                    "routes to Service "
                        + svcName
                        + " of Deployment "
                        + name(d)
                        + ": only the gateway may have an Ingress");
              }
            }
          }
        }
        if (maps(at(ing, "spec.tls")).isEmpty()) {
          report(ing, "has no TLS (spec.tls)");
        }
        for (Map<String, Object> tls : maps(at(ing, "spec.tls"))) {
          if (tls.get("secretName") == null) {
            report(ing, "a spec.tls entry has no secretName");
          }
        }
      }
      if (gateway != null && !gatewayExposed) {
        report(gateway, "no Ingress routes to the gateway");
      }
    }

    // ------------------------------------------------------- monitoring (a)

    void checkMonitoring(Map<Service, Map<String, Object>> deployed) {
      Set<Map<String, Object>> scraped = new LinkedHashSet<>();
      for (Map<String, Object> sm : kind("monitoring.coreos.com", "ServiceMonitor")) {
        Map<String, Object> selector = map(at(sm, "spec.selector"));
        if (selector.isEmpty()) {
          report(sm, "spec.selector is missing");
          continue;
        }
        List<Object> names = list(at(sm, "spec.namespaceSelector.matchNames"));
        boolean any = Boolean.TRUE.equals(at(sm, "spec.namespaceSelector.any"));
        List<Map<String, Object>> selected = new ArrayList<>();
        for (Map<String, Object> svc : kind("Service")) {
          boolean nsOk =
              any
                  || (names.isEmpty()
                      ? Objects.equals(namespace(svc), namespace(sm))
                      : names.contains(namespace(svc)));
          if (nsOk && selects(selector, map(at(svc, "metadata.labels")))) {
            selected.add(svc);
          }
        }
        if (selected.isEmpty()) {
          report(
              sm,
              "selects no Service of the overlay (spec.selector against the Services' metadata.labels)");
        }
        List<Map<String, Object>> endpoints = maps(at(sm, "spec.endpoints"));
        if (endpoints.isEmpty()) {
          report(sm, "spec.endpoints is empty");
        }
        for (Map<String, Object> ep : endpoints) {
          if (!METRICS.equals(ep.get("path"))) {
            report(
                sm,
                "endpoint path is "
                    + ep.get("path")
                    + ", the services serve metrics at "
                    + METRICS);
          }
          Object port = ep.get("port");
          if (port == null) {
            report(sm, "an endpoint names no port (the Service port's name)");
            continue;
          }
          for (Map<String, Object> svc : selected) {
            if (maps(at(svc, "spec.ports")).stream().noneMatch(p -> port.equals(p.get("name")))) {
              report(sm, "endpoint port " + port + " is no port name of Service " + name(svc));
            }
          }
        }
        scraped.addAll(selected);
      }
      for (Map.Entry<Service, Map<String, Object>> e : deployed.entrySet()) {
        if (servicesSelecting(e.getValue()).stream().noneMatch(scraped::contains)) {
          report(e.getValue(), "no ServiceMonitor scrapes a Service of " + e.getKey());
        }
      }
      for (Map<String, Object> pr : kind("monitoring.coreos.com", "PrometheusRule")) {
        List<Map<String, Object>> groups = maps(at(pr, "spec.groups"));
        if (groups.isEmpty()) {
          report(pr, "spec.groups is empty");
        }
        Set<Object> groupNames = new LinkedHashSet<>();
        for (Map<String, Object> g : groups) {
          for (String f : g.keySet()) {
            if (!GROUP_FIELDS.contains(f)) {
              report(pr, "malformed: unknown field " + f + " in group " + g.get("name"));
            }
          }
          if (!(g.get("name") instanceof String) || !groupNames.add(g.get("name"))) {
            report(pr, "a group has no name or a name used twice: " + g.get("name"));
          }
          if (g.get("interval") != null
              && !DURATION.matcher(String.valueOf(g.get("interval"))).matches()) {
            report(pr, "group " + g.get("name") + " interval is no duration");
          }
          List<Map<String, Object>> rules = maps(g.get("rules"));
          if (rules.isEmpty()) {
            report(pr, "group " + g.get("name") + " has no rules");
          }
          for (Map<String, Object> r : rules) {
            Object id = r.get("alert") != null ? r.get("alert") : r.get("record");
            for (String f : r.keySet()) {
              if (!RULE_FIELDS.contains(f)) {
                report(pr, "malformed: unknown field " + f + " in rule " + id);
              }
            }
            if ((r.get("alert") == null) == (r.get("record") == null)) {
              report(pr, "rule " + id + " needs exactly one of alert and record");
            }
            if (r.get("expr") == null || String.valueOf(r.get("expr")).isBlank()) {
              report(pr, "rule " + id + " has no expr");
            } else {
              // a misspelt or never-exported metric makes an alert that can never fire
              Matcher m = OWN_SERIES.matcher(String.valueOf(r.get("expr")));
              Set<String> unknown = new java.util.TreeSet<>();
              while (m.find()) {
                if (!project.exportsMetric(m.group())) {
                  unknown.add(m.group());
                }
              }
              for (String series : unknown) {
                report(
                    pr,
                    "rule "
                        + id
                        + " reads "
                        + series
                        + ", which no service exports (no Micrometer meter of that name in the"
                        + " sources)");
              }
            }
            for (String f : List.of("for", "keep_firing_for")) {
              if (r.get(f) != null && !DURATION.matcher(String.valueOf(r.get(f))).matches()) {
                report(pr, "rule " + id + " " + f + " is no duration: " + r.get(f));
              }
            }
            for (String f : List.of("labels", "annotations")) {
              if (r.get(f) != null) {
                map(r.get(f))
                    .forEach(
                        (k, v) -> {
                          if (!(v instanceof String)) {
                            report(
                                pr,
                                "malformed: rule " + id + " " + f + "." + k + " is not a string");
                          }
                        });
              }
            }
          }
        }
      }
    }
  }

  /**
   * What a service needs the manifests to set, each with the environment variables that would set
   * it. The rule, applied to application.properties as a container reads it (%prod. values over
   * plain ones):
   *
   * <ol>
   *   <li>build-time keys ({@link #BUILD_TIME}) are left out: they are fixed in the image;
   *   <li>a key whose value is an expression without a default (${NAME}) naming nothing the file or
   *       Quarkus ({@link #QUARKUS_DEFINED}) defines: NAME or the key;
   *   <li>a key whose value points at localhost or 127.0.0.1, a developer's machine (datasource
   *       JDBC URL, kafka.bootstrap.servers, quarkus.oidc.auth-server-url, REST client URLs,
   *       gateway routes), except {@link #LOCALHOST_HARMLESS}: the key, or an environment variable
   *       its value's expressions name;
   *   <li>credentials the file holds only as local demo values: quarkus.datasource.username and
   *       .password, quarkus.flyway.username and .password, and any key ending in .secret or
   *       .password (e.g. quarkus.oidc-client.credentials.secret);
   *   <li>the per-service list {@link #SERVICE_NEEDS}.
   * </ol>
   */
  static Map<String, Set<String>> needs(Service s) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    s.prodProps.forEach(
        (key, value) -> {
          if (BUILD_TIME.stream().anyMatch(key::startsWith)) {
            return;
          }
          Matcher m = Project.EXPRESSION.matcher(value);
          Set<String> referenced = new LinkedHashSet<>();
          boolean undefined = false;
          while (m.find()) {
            String name = m.group(1);
            boolean defined = s.prodProps.containsKey(name) || QUARKUS_DEFINED.contains(name);
            if (m.group(2) == null && !defined) {
              undefined = true;
            }
            if (!defined) {
              referenced.add(Project.env(name));
            }
          }
          boolean localhost =
              (value.contains("localhost") || value.contains("127.0.0.1"))
                  && !LOCALHOST_HARMLESS.contains(key);
          boolean credential =
              key.matches("quarkus\\.(datasource|flyway)\\.(username|password)")
                  || key.endsWith(".secret")
                  || key.endsWith(".password");
          if (undefined || localhost || credential) {
            Set<String> satisfiers = new LinkedHashSet<>();
            satisfiers.add(Project.env(key));
            satisfiers.addAll(referenced);
            out.put(key, satisfiers);
          }
        });
    for (String key : SERVICE_NEEDS.getOrDefault(s.artifactId, List.of())) {
      Set<String> satisfiers = new LinkedHashSet<>();
      satisfiers.add(Project.env(key));
      String value = s.prodProps.getOrDefault(key, "");
      Matcher m = Project.EXPRESSION.matcher(value);
      while (m.find()) {
        if (!s.prodProps.containsKey(m.group(1))) {
          satisfiers.add(Project.env(m.group(1)));
        }
      }
      out.put(key, satisfiers);
    }
    return out;
  }

  // ------------------------------------------------------------------ helpers

  static String name(Map<String, Object> o) {
    return String.valueOf(Kustomize.metadata(o).get("name"));
  }

  static String namespace(Map<String, Object> o) {
    Object ns = Kustomize.metadata(o).get("namespace");
    return ns == null ? null : String.valueOf(ns);
  }

  /** The value at a dotted path of maps, or null. */
  static Object at(Object o, String path) {
    Object cur = o;
    for (String seg : path.split("\\.")) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(seg);
    }
    return cur;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }

  static List<Map<String, Object>> maps(Object o) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object item : list(o)) {
      if (item instanceof Map) {
        out.add(map(item));
      }
    }
    return out;
  }

  static boolean matchLabels(Map<String, Object> wanted, Map<String, Object> labels) {
    for (Map.Entry<String, Object> e : wanted.entrySet()) {
      if (!Objects.equals(
          String.valueOf(e.getValue()),
          labels.get(e.getKey()) == null ? null : String.valueOf(labels.get(e.getKey())))) {
        return false;
      }
    }
    return true;
  }

  /** Whether a LabelSelector (matchLabels, matchExpressions) selects the labels. */
  static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
    if (!matchLabels(map(selector.get("matchLabels")), labels)) {
      return false;
    }
    for (Map<String, Object> ex : maps(selector.get("matchExpressions"))) {
      String key = String.valueOf(ex.get("key"));
      List<Object> values = list(ex.get("values"));
      Object v = labels.get(key);
      boolean ok =
          switch (String.valueOf(ex.get("operator"))) {
            case "In" -> v != null && values.contains(v);
            case "NotIn" -> v == null || !values.contains(v);
            case "Exists" -> v != null;
            case "DoesNotExist" -> v == null;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return !map(selector.get("matchLabels")).isEmpty()
        || !maps(selector.get("matchExpressions")).isEmpty();
  }
}
