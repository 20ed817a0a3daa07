package dev.him.load;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ClosedInjectionStep;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Load on the main flows of the HIM platform, all at once, through the gateway with real tokens:
 * FHIR read and search, bundle import, code search, release request to packet, audit query. The
 * setup creates the patients the flows use through the API; the tokens come from the realm once per
 * role and are renewed in the background. Every answer is checked; the global assertions (p99,
 * error rate, optionally throughput) decide whether the run passes.
 *
 * <p>Run it from the repository root (deploy/README.md, "Load tests with Gatling", lists every
 * option):
 *
 * <pre>
 * ./mvnw -f deploy/gatling/pom.xml gatling:test -Dhim.url=http://localhost:8080 \
 *     -Dhim.realm=http://localhost:8180/realms/him -Dusers=2 -Dduration=60s
 * </pre>
 */
public class HimSimulation extends Simulation {
  private final LoadConfig config = LoadConfig.fromSystemProperties();
  private final HttpClient setupHttp =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final Tokens tokens = new Tokens(config, setupHttp);
  private final Fixtures fixtures = new Fixtures(config, tokens, setupHttp);

  {
    Flows flows = new Flows(config, tokens, fixtures);
    HttpProtocolBuilder protocol =
        http.baseUrl(config.url)
            .acceptHeader("application/json")
            .userAgentHeader("him-gatling/" + config.runId)
            // services and hospital systems keep a connection pool; they do not reconnect per
            // user the way browsers do
            .shareConnections();

    List<PopulationBuilder> populations = new ArrayList<>();
    for (String flow : config.flows) {
      ScenarioBuilder scenario = flows.forFlow(flow);
      populations.add(
          config.closed(flow)
              ? scenario.injectClosed(closed(config.users.get(flow)))
              : scenario.injectOpen(open(config.rates.get(flow))));
    }

    List<Assertion> assertions = new ArrayList<>();
    assertions.add(global().responseTime().percentile(99.0).lt(config.assertP99Ms));
    assertions.add(global().failedRequests().percent().lte(config.assertErrorPercent));
    if (config.assertMinRps > 0) {
      assertions.add(global().requestsPerSec().gte(config.assertMinRps));
    }

    setUp(populations)
        .protocols(protocol)
        .assertions(assertions)
        // a safety net: users still busy well after the planned end are stopped
        .maxDuration(config.ramp.plus(config.duration).plusMinutes(2));
  }

  private ClosedInjectionStep[] closed(int users) {
    if (config.ramp.isZero()) {
      return new ClosedInjectionStep[] {constantConcurrentUsers(users).during(config.duration)};
    }
    return new ClosedInjectionStep[] {
      rampConcurrentUsers(0).to(users).during(config.ramp),
      constantConcurrentUsers(users).during(config.duration)
    };
  }

  private OpenInjectionStep[] open(double rate) {
    if (config.ramp.isZero()) {
      return new OpenInjectionStep[] {constantUsersPerSec(rate).during(config.duration)};
    }
    return new OpenInjectionStep[] {
      rampUsersPerSec(rate / 10).to(rate).during(config.ramp),
      constantUsersPerSec(rate).during(config.duration)
    };
  }

  @Override
  public void before() {
    System.out.println(config.describe());
    tokens.start();
    fixtures.setUp();
  }

  @Override
  public void after() {
    System.out.println(
        "HIM load test " + config.runId + " done; " + tokens.summary() + ". Report below.");
    tokens.close();
  }
}
