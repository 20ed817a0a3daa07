package dev.him.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.gateway.observability.UpstreamEcho;
import dev.him.infra.testing.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Behind the cluster's TLS-terminating Ingress (deploy/k8s/base/gateway.yaml sets these three
 * settings in its ConfigMap; the NetworkPolicy lets only the ingress controller reach the gateway):
 * the services are told the scheme, host and client address the caller used, so the links they
 * build (Location, Bundle links) say https://{public host}, and access events record the real
 * client.
 */
@QuarkusTest
@TestProfile(BehindIngressTest.BehindIngress.class)
@QuarkusTestResource(KafkaResource.class)
class BehindIngressTest {
  static final ObjectMapper JSON = new ObjectMapper();

  public static class BehindIngress implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.http.proxy.proxy-address-forwarding", "true",
          "quarkus.http.proxy.allow-x-forwarded", "true",
          "quarkus.http.proxy.enable-forwarded-host", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(UpstreamEcho.class));
    }
  }

  @Test
  @TestSecurity(user = "clerk", roles = "him-clerk")
  void theServiceSeesTheSchemeHostAndClientTheIngressSaw() throws Exception {
    JsonNode upstream =
        JSON.readTree(
            given()
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "him.example.org")
                .header("X-Forwarded-For", "203.0.113.7")
                .get("/fhir/r4/Patient/p-1")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    assertThat(upstream.path("forwardedProto").asText()).isEqualTo("https");
    assertThat(upstream.path("forwardedHost").asText()).isEqualTo("him.example.org");
    assertThat(upstream.path("forwardedFor").asText()).isEqualTo("203.0.113.7");
  }
}
