package dev.him.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.him.deploy.k8s.Kustomize.Yaml11;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Models}: what counts as malformed, per model family. */
class ManifestCheckModelsTest {

  final Models models = new Models();

  @SuppressWarnings("unchecked")
  List<String> problems(String yaml) {
    return models.problems((Map<String, Object>) Yaml11.loadAll(yaml, "test").get(0));
  }

  @Test
  void aWellFormedDeploymentHasNoProblems() {
    assertThat(
            problems(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: example/web:1
                          env: [{name: A, value: "1"}]
                          resources: {limits: {cpu: 1, memory: 1Gi}}
                          ports: [{name: http, containerPort: 8080}]
                          readinessProbe: {httpGet: {path: /q/health/ready, port: http}}
                """))
        .isEmpty();
  }

  @Test
  void builtInKindsRefuseUnknownFieldsAndWrongTypes() {
    assertThat(
            problems(
                """
                apiVersion: v1
                kind: Service
                metadata: {name: web, lables: {a: b}}
                spec:
                  selector: {app: web}
                  ports: [{port: 80, targetPort: http, protocl: TCP}]
                """))
        .containsExactlyInAnyOrder(
            "malformed: unknown field metadata.lables",
            "malformed: unknown field spec.ports[0].protocl");
    assertThat(
            problems(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                data: {PORT: 8080}
                """))
        .singleElement()
        .asString()
        .startsWith("malformed: data.PORT: wrong type");
    assertThat(
            problems(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: 1.5}
                """))
        .singleElement()
        .asString()
        .startsWith("malformed: spec.replicas: wrong type");
  }

  @Test
  void unknownKindsAndRetiredVersionsHaveNoModel() {
    assertThat(problems("apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: web}\n"))
        .singleElement()
        .asString()
        .startsWith("malformed: no model for apiVersion apps/v1beta1 kind Deployment");
    assertThat(
            problems(
                "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c}\nspec: {}\n"))
        .singleElement()
        .asString()
        .startsWith("malformed: no model for apiVersion cert-manager.io/v1 kind Certificate");
  }

  @Test
  void strimziResourcesAreReadWithStrimzisModel() {
    assertThat(
            problems(
                """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: him.access-events, labels: {strimzi.io/cluster: k}}
                spec: {partitions: 12, replicas: 3, retention: 7d}
                """))
        .containsExactly("malformed: unknown field spec.retention");
    assertThat(
            problems(
                """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: Kafka
                metadata: {name: k}
                spec:
                  kafka:
                    listeners: [{name: plain, port: 9092, type: internall, tls: false}]
                """))
        .singleElement()
        .asString()
        .startsWith(
            "malformed: spec.kafka.listeners[0].type: the model does not accept the value \"internall\"");
    assertThat(
            problems(
                """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaNodePool
                metadata: {name: p, labels: {strimzi.io/cluster: k}}
                spec:
                  replicas: "3"
                  roles: [broker]
                  storage: {type: ephemeral}
                """))
        .singleElement()
        .asString()
        .startsWith("malformed: spec.replicas: wrong type");
  }

  @Test
  void otherOperatorsResourcesAreGenericWithTypedMetadata() {
    assertThat(
            problems(
                """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: m, annotation: {a: b}}
                spec: {anything: goes}
                """))
        .containsExactly("malformed: unknown field metadata.annotation");
    assertThat(
            problems(
                "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg}\nspec: {}\n"))
        .isEmpty();
  }
}
