package dev.him.load;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One access token per role (clerk, coder, roi, privacy, importer), obtained from the realm once
 * when the run starts and renewed in the background before it expires, so a run longer than the
 * token lifetime (5 minutes in the local realm) keeps going. Virtual users only read the current
 * value: no virtual user waits on Keycloak, and Keycloak's own latency is not in the figures.
 *
 * <p>Per role R the grant is:
 *
 * <ul>
 *   <li>client credentials when {@code -Dhim.R.client-id} is set (with {@code
 *       -Dhim.R.client-secret}): a service account holding R's realm role, for deployments whose
 *       realm has no demo users and no direct-access-grant client;
 *   <li>otherwise the password grant of user {@code -Dhim.R.user} (default: the local demo user of
 *       that name) with {@code -Dhim.R.password} (default: the user name) through client {@code
 *       -Dhim.client-id} (default him-cli, public; {@code -Dhim.client-secret} for a confidential
 *       one).
 * </ul>
 *
 * The importer (bundle import and the setup patients) defaults to the local realm's confidential
 * client hospital-system (client credentials, its local demo secret). Secrets are never printed.
 */
final class Tokens implements AutoCloseable {
  private static final Pattern ACCESS_TOKEN =
      Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern EXPIRES_IN = Pattern.compile("\"expires_in\"\\s*:\\s*(\\d+)");
  private static final Map<String, String> DEMO_USERS =
      Map.of("clerk", "clerk", "coder", "coder", "roi", "roi", "privacy", "privacy");

  /** How a role gets its token: the form posted to the token endpoint, and a printable summary. */
  record Grant(String role, String form, String description) {}

  private final String tokenUrl;

  /** -Dhim.token.renew-every: renew at this interval instead of from each token's lifetime. */
  private final Duration renewEvery;

  private final HttpClient http;
  private final Map<String, Grant> grants = new LinkedHashMap<>();
  private final Map<String, String> bearer = new ConcurrentHashMap<>();
  private final AtomicInteger renewals = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private volatile boolean closed;
  private final ScheduledExecutorService renewer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "him-token-renewal");
            t.setDaemon(true);
            return t;
          });

  Tokens(LoadConfig config, HttpClient http) {
    this.tokenUrl = config.tokenUrl;
    this.renewEvery =
        LoadConfig.prop("him.token.renew-every", null) == null
            ? null
            : LoadConfig.duration("him.token.renew-every", "0");
    this.http = http;
    for (String role : config.roles()) {
      grants.put(role, grant(role));
    }
  }

  static Grant grant(String role) {
    String clientId = LoadConfig.prop("him." + role + ".client-id", null);
    String user = LoadConfig.prop("him." + role + ".user", null);
    String defaultSecret = "";
    if (clientId == null && user == null && role.equals("importer")) {
      // local demo realm only: the confidential client of the hospital systems and its secret
      clientId = "hospital-system";
      defaultSecret = "hospital-system-local-secret";
    }
    if (clientId != null) {
      String secret = LoadConfig.prop("him." + role + ".client-secret", defaultSecret);
      return new Grant(
          role,
          form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret),
          "client credentials of " + clientId);
    }
    if (user == null) user = DEMO_USERS.getOrDefault(role, role);
    String password = LoadConfig.prop("him." + role + ".password", user);
    String client = LoadConfig.prop("him.client-id", "him-cli");
    String clientSecret = LoadConfig.prop("him.client-secret", null);
    String form =
        clientSecret == null
            ? form(
                "grant_type",
                "password",
                "client_id",
                client,
                "username",
                user,
                "password",
                password)
            : form(
                "grant_type",
                "password",
                "client_id",
                client,
                "client_secret",
                clientSecret,
                "username",
                user,
                "password",
                password);
    return new Grant(role, form, "password grant of user " + user + " via " + client);
  }

  /** Fetches every role's token (failing the run at once when one is refused), then renews. */
  void start() {
    for (Grant g : grants.values()) {
      long lifetime = fetch(g);
      System.out.printf(
          "token for %-8s %s (lifetime %d s, renewed every %d s in the background)%n",
          g.role(), g.description(), lifetime, renewAfter(lifetime));
      schedule(g, renewAfter(lifetime));
    }
  }

  /** "Bearer ..." of the role's current token. */
  String bearer(String role) {
    String b = bearer.get(role);
    if (b == null) throw new IllegalStateException("no token for role " + role);
    return b;
  }

  List<String> roles() {
    return List.copyOf(grants.keySet());
  }

  String summary() {
    return "token renewals: " + renewals.get() + ", failed renewals: " + failures.get();
  }

  @Override
  public void close() {
    closed = true;
    renewer.shutdownNow();
  }

  private void schedule(Grant g, long seconds) {
    if (closed) return;
    renewer.schedule(
        () -> {
          try {
            long lifetime = fetch(g);
            renewals.incrementAndGet();
            schedule(g, renewAfter(lifetime));
          } catch (RuntimeException e) {
            if (closed) return;
            failures.incrementAndGet();
            System.err.println("token renewal for " + g.role() + " failed, retrying in 5 s: " + e);
            schedule(g, 5);
          }
        },
        seconds,
        TimeUnit.SECONDS);
  }

  /**
   * Seconds until renewal: after 60 % of the lifetime, and at least 30 s before it ends when it is
   * long enough; or the fixed -Dhim.token.renew-every.
   */
  private long renewAfter(long lifetime) {
    if (renewEvery != null) return Math.max(1, renewEvery.toSeconds());
    return Math.max(5, Math.min(lifetime * 6 / 10, lifetime - 30));
  }

  /** Gets a token for the grant, stores it and returns its lifetime in seconds. */
  private long fetch(Grant g) {
    HttpResponse<String> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(URI.create(tokenUrl))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(g.form()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "cannot reach the token endpoint " + tokenUrl + " (-Dhim.realm): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    Matcher token = ACCESS_TOKEN.matcher(r.body());
    if (r.statusCode() != 200 || !token.find()) {
      String body = r.body().length() > 300 ? r.body().substring(0, 300) : r.body();
      throw new IllegalStateException(
          "no token for role "
              + g.role()
              + " ("
              + g.description()
              + ") from "
              + tokenUrl
              + ": HTTP "
              + r.statusCode()
              + " "
              + body);
    }
    bearer.put(g.role(), "Bearer " + token.group(1));
    Matcher expires = EXPIRES_IN.matcher(r.body());
    return expires.find() ? Long.parseLong(expires.group(1)) : 300;
  }

  private static String form(String... pairs) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      if (b.length() > 0) b.append('&');
      b.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return b.toString();
  }
}
