package dev.him.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Kubernetes manifests, checked without a cluster: every overlay under deploy/k8s/overlays is
 * rendered and checked by {@link ManifestCheck}; the fixtures under src/test/resources/k8s-fixtures
 * prove that each rule fails when it should.
 */
class ManifestCheckTest {

  static Path root;
  static Project project;
  static Path fixtures;

  @BeforeAll
  static void load() {
    root = Project.repoRoot();
    project = Project.load(root);
    fixtures = root.resolve("deploy/src/test/resources/k8s-fixtures");
  }

  // ------------------------------------------------------------- the real overlays

  @TestFactory
  Stream<DynamicTest> everyOverlayPasses() throws IOException {
    Path overlays = root.resolve("deploy/k8s/overlays");
    List<Path> dirs = new ArrayList<>();
    if (Files.isDirectory(overlays)) {
      try (Stream<Path> s = Files.list(overlays)) {
        s.filter(Files::isDirectory).sorted().forEach(dirs::add);
      }
    }
    if (dirs.isEmpty()) {
      return Stream.of(
          DynamicTest.dynamicTest(
              "overlays", () -> fail("no overlay directories under " + root.relativize(overlays))));
    }
    return dirs.stream()
        .map(
            dir ->
                DynamicTest.dynamicTest(
                    dir.getFileName().toString(),
                    () -> {
                      List<String> violations =
                          ManifestCheck.check(dir.getFileName().toString(), dir, project);
                      if (!violations.isEmpty()) {
                        fail(
                            violations.size()
                                + " violation(s) in "
                                + root.relativize(dir)
                                + ":\n"
                                + String.join("\n", violations));
                      }
                    }));
  }

  @Test
  void theProjectModelFindsTheServicesTopicsAndNeeds() {
    assertThat(project.services)
        .extracting(s -> s.artifactId)
        .containsExactly(
            "records-service", "coding-service", "requests-service", "audit-service", "gateway");
    assertThat(project.topics.keySet())
        .contains(
            "him.access-events",
            "him.patient-events",
            "him.encounter-events",
            "him.coding-events",
            "him.document-events",
            "him.deficiency-events",
            "him.request-events",
            "him.encounter-events.coding-dlq")
        .doesNotContain("him.unrouted");
    assertThat(ManifestCheck.needs(project.service("records-service")).keySet())
        .containsExactlyInAnyOrder(
            "quarkus.datasource.jdbc.url",
            "quarkus.datasource.username",
            "quarkus.datasource.password",
            "kafka.bootstrap.servers",
            "quarkus.oidc.auth-server-url");
    assertThat(ManifestCheck.needs(project.service("gateway")).keySet())
        .contains(
            "him.routes.records",
            "him.routes.coding",
            "him.routes.requests",
            "him.routes.audit",
            "kafka.bootstrap.servers",
            "quarkus.oidc.auth-server-url")
        .doesNotContain("quarkus.http.cors.origins");
    assertThat(ManifestCheck.needs(project.service("coding-service")).get("him.codesets.dir"))
        .containsExactly("HIM_CODESETS_DIR", "HIM_SHARED_DATA");
    assertThat(ManifestCheck.needs(project.service("audit-service")).keySet())
        .contains(
            "quarkus.flyway.username",
            "quarkus.flyway.password",
            "quarkus.oidc-client.credentials.secret",
            "quarkus.rest-client.records-service.url",
            "quarkus.rest-client.keycloak-admin.url",
            "him.audit.signing.private-key-file");
    Project.Service audit = project.service("audit-service");
    assertThat(audit.whereRead("HIM_AUDIT_MONITORING_VIP_EXTRA_CODES")).isNotNull();
    assertThat(audit.whereRead("HIM_AUDIT_INGEST_GROUP_ID")).contains("EventIngester");
    assertThat(audit.whereRead("HIM_AUDIT_NO_SUCH_SETTING")).isNull();
    assertThat(project.service("requests-service").whereRead("HIM_ROI_DUE_DAYS_OTHER")).isNotNull();
    assertThat(project.service("records-service").imageRepository())
        .isEqualTo("him-platform/records-service");
  }

  // ---------------------------------------------------------------- the fixtures

  static List<String> fixture(String name) {
    return ManifestCheck.check(name, fixtures.resolve(name), project.only("records-service"));
  }

  @Test
  void theGoodFixturePasses() {
    assertThat(fixture("good")).isEmpty();
  }

  @Test
  void anImageBehindARegistryWithAnotherTagPasses() {
    assertThat(fixture("registry-prefix")).isEmpty();
  }

  @Test
  void wrongProbePath() {
    assertThat(fixture("wrong-probe-path"))
        .containsExactly(
            "[wrong-probe-path] Deployment/records-service: container records-service readinessProbe path is /q/health/live, expected /q/health/ready");
  }

  @Test
  void portMismatch() {
    assertThat(fixture("port-mismatch"))
        .containsExactly(
            "[port-mismatch] Deployment/records-service: container records-service port http is 8081 but records-service listens on 8080 (QUARKUS_HTTP_PORT from ConfigMap records-service-config)");
  }

  @Test
  void wrongImageName() {
    assertThat(fixture("wrong-image"))
        .containsExactly(
            "[wrong-image] Deployment/records-service: container records-service image registry.example.org/him/records:1.2.3 is not the image the build makes: him-platform/records-service[:tag], optionally behind a registry host (quarkus.container-image.group/name of records-service)");
  }

  @Test
  void unknownConfigKey() {
    assertThat(fixture("unknown-config-key"))
        .containsExactly(
            "[unknown-config-key] Deployment/records-service: container records-service sets HIM_RECORDS_PAGE_COLOUR (from ConfigMap records-service-config), which is no configuration records-service reads (not in its application.properties, no @ConfigProperty/@ConfigMapping in its or platform-common's sources, not in the allow-list of runtime settings)");
  }

  @Test
  void missingNeededKey() {
    assertThat(fixture("missing-needed-key"))
        .containsExactly(
            "[missing-needed-key] Deployment/records-service: container records-service lacks kafka.bootstrap.servers, which records-service needs (set one of [KAFKA_BOOTSTRAP_SERVERS])");
  }

  @Test
  void topicWithoutKafkaTopic() {
    assertThat(fixture("topic-without-kafkatopic"))
        .containsExactly(
            "[topic-without-kafkatopic] topic him.patient-events (used in platform-common/src/main/java/dev/him/events/v1/Topics.java) has no KafkaTopic (kafka.strimzi.io)");
  }

  @Test
  void missingLimits() {
    assertThat(fixture("missing-limits"))
        .containsExactly(
            "[missing-limits] Deployment/records-service: containers[records-service] has no cpu limit (resources.limits.cpu)",
            "[missing-limits] Deployment/records-service: containers[records-service] has no memory limit (resources.limits.memory)");
  }

  @Test
  void missingReadOnlyRootFilesystem() {
    assertThat(fixture("missing-readonly-rootfs"))
        .containsExactly(
            "[missing-readonly-rootfs] Deployment/records-service: containers[records-service] securityContext.readOnlyRootFilesystem is not true");
  }

  @Test
  void malformedUnknownField() {
    assertThat(fixture("malformed-unknown-field"))
        .containsExactly(
            "[malformed-unknown-field] Deployment/records-service: malformed: unknown field spec.template.spec.containers[0].livenessProbe.periodSecond");
  }

  @Test
  void malformedWrongType() {
    assertThat(fixture("malformed-wrong-type"))
        .containsExactly(
            "[malformed-wrong-type] Deployment/records-service: malformed: spec.replicas: wrong type (Cannot coerce String value (\"2\") to `java.lang.Integer` value (but might if coercion using `CoercionConfig` was enabled))");
  }

  @Test
  void unsupportedKustomizationField() {
    assertThat(fixture("unsupported-field"))
        .containsExactly(
            "[unsupported-field] cannot render the overlay: "
                + fixtures
                + "/unsupported-field/kustomization.yaml: unsupported kustomization field 'namePrefix' (this renderer implements only apiVersion, images, kind, labels, namespace, patches, replicas, resources)");
  }

  @Test
  void missingPodDisruptionBudget() {
    assertThat(fixture("no-pdb"))
        .containsExactly(
            "[no-pdb] Deployment/records-service: no PodDisruptionBudget selects its pods");
  }

  @Test
  void valuesThatMissTheOverlaysBackingServices() {
    assertThat(fixture("wrong-backing-services"))
        .containsExactly(
            "[wrong-backing-services] Deployment/records-service: container records-service"
                + " QUARKUS_OIDC_AUTH_SERVER_URL http://keycloak:8080/realms/him: keycloak is no"
                + " Service of the overlay",
            "[wrong-backing-services] Deployment/records-service: container records-service"
                + " KAFKA_BOOTSTRAP_SERVERS him-kafka-kafka-bootstrap:9093 is no"
                + " <kafka>-kafka-bootstrap:<listener port> of the overlay's Kafka");
  }

  @Test
  void anAlertOnAMetricNoServiceExports() {
    assertThat(fixture("alert-on-unknown-metric"))
        .containsExactly(
            "[alert-on-unknown-metric] PrometheusRule/him-business: rule OutboxBacklogTypo reads"
                + " him_outbox_backlogs, which no service exports (no Micrometer meter of that name"
                + " in the sources)");
  }

  @Test
  void anIngressToAServiceOtherThanTheGateway() {
    assertThat(fixture("ingress-to-records"))
        .containsExactly(
            "[ingress-to-records] Ingress/records: routes to Service records-service of Deployment records-service: only the gateway may have an Ingress");
  }
}
