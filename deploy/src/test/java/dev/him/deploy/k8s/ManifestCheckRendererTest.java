package dev.him.deploy.k8s;

import static dev.him.deploy.k8s.ManifestCheck.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.him.deploy.k8s.Kustomize.KustomizeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kustomize renderer behind {@link ManifestCheck}, feature by feature. */
class ManifestCheckRendererTest {

  @TempDir Path dir;

  static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app: web}
      spec:
        replicas: 1
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            initContainers:
              - name: migrate
                image: example/web:1.0
            containers:
              - name: web
                image: example/web:1.0
                ports:
                  - {name: http, containerPort: 8080}
                env:
                  - {name: A, value: "1"}
                  - {name: B, value: "2"}
                volumeMounts:
                  - {name: tmp, mountPath: /tmp}
              - name: sidecar
                image: example/sidecar@sha256:abc
            volumes:
              - name: tmp
                emptyDir: {}
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        selector: {app: web}
        ports:
          - {name: http, port: 80, targetPort: http}
      ---
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata:
        name: web
      spec:
        minAvailable: 1
        selector:
          matchLabels: {app: web}
      ---
      apiVersion: v1
      kind: Namespace
      metadata:
        name: other
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: reader
      rules: []
      """;

  void write(String path, String text) throws IOException {
    Path p = dir.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  void base() throws IOException {
    write("base/web.yaml", DEPLOYMENT);
    write("base/kustomization.yaml", "resources:\n  - web.yaml\n");
  }

  Map<String, Object> get(List<Map<String, Object>> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.get("kind")) && name.equals(ManifestCheck.name(o)))
        .findFirst()
        .orElseThrow();
  }

  List<Map<String, Object>> render(String kustomization) throws IOException {
    base();
    write("overlay/kustomization.yaml", kustomization);
    return Kustomize.render(dir.resolve("overlay"));
  }

  @Test
  void namespaceIsSetOnNamespacedObjectsOnly() throws IOException {
    List<Map<String, Object>> o = render("namespace: him\nresources:\n  - ../base\n");
    assertThat(at(get(o, "Deployment", "web"), "metadata.namespace")).isEqualTo("him");
    assertThat(at(get(o, "Service", "web"), "metadata.namespace")).isEqualTo("him");
    assertThat(at(get(o, "Namespace", "other"), "metadata.namespace")).isNull();
    assertThat(at(get(o, "ClusterRole", "reader"), "metadata.namespace")).isNull();
  }

  @Test
  void labelsWithSelectorsReachSelectorsAndTemplates() throws IOException {
    List<Map<String, Object>> o =
        render(
            """
            resources: [../base]
            labels:
              - pairs: {tier: backend}
                includeSelectors: true
              - pairs: {team: him}
            """);
    Map<String, Object> d = get(o, "Deployment", "web");
    assertThat(at(d, "metadata.labels"))
        .isEqualTo(Map.of("app", "web", "tier", "backend", "team", "him"));
    assertThat(at(d, "spec.selector.matchLabels"))
        .isEqualTo(Map.of("app", "web", "tier", "backend"));
    assertThat(at(d, "spec.template.metadata.labels"))
        .isEqualTo(Map.of("app", "web", "tier", "backend"));
    assertThat(at(get(o, "Service", "web"), "spec.selector"))
        .isEqualTo(Map.of("app", "web", "tier", "backend"));
    assertThat(at(get(o, "PodDisruptionBudget", "web"), "spec.selector.matchLabels"))
        .isEqualTo(Map.of("app", "web", "tier", "backend"));
    assertThat(at(get(o, "Namespace", "other"), "metadata.labels"))
        .isEqualTo(Map.of("tier", "backend", "team", "him"));
  }

  @Test
  void imagesReplaceNameAndTagInContainersAndInitContainers() throws IOException {
    List<Map<String, Object>> o =
        render(
            """
            resources: [../base]
            images:
              - name: example/web
                newName: registry.example.org:5000/him/web
                newTag: "2.0"
              - name: example/sidecar
                newTag: v3
              - name: example/unused
                newName: nowhere/at-all
            """);
    Map<String, Object> spec =
        ManifestCheck.map(at(get(o, "Deployment", "web"), "spec.template.spec"));
    assertThat(ManifestCheck.maps(spec.get("containers")))
        .extracting(c -> c.get("image"))
        .containsExactly("registry.example.org:5000/him/web:2.0", "example/sidecar:v3");
    assertThat(ManifestCheck.maps(spec.get("initContainers")))
        .extracting(c -> c.get("image"))
        .containsExactly("registry.example.org:5000/him/web:2.0");
  }

  @Test
  void replicasSetTheCountAndMustMatchAWorkload() throws IOException {
    List<Map<String, Object>> o =
        render("resources: [../base]\nreplicas:\n  - {name: web, count: 3}\n");
    assertThat(at(get(o, "Deployment", "web"), "spec.replicas")).isEqualTo(3);
    assertThatThrownBy(
            () -> render("resources: [../base]\nreplicas:\n  - {name: nothing, count: 3}\n"))
        .isInstanceOf(KustomizeException.class)
        .hasMessageContaining("replicas entry nothing matches no workload");
  }

  @Test
  void strategicMergeByNameAndDelete() throws IOException {
    write(
        "overlay/patch.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers:
                - name: web
                  env:
                    - {name: B, value: "20"}
                    - {name: C, value: "3"}
                    - {name: A, $patch: delete}
                  resources:
                    limits: {memory: 1Gi}
                - name: sidecar
                  $patch: delete
                - name: extra
                  image: example/extra:1
              volumes:
                - name: cache
                  emptyDir: {}
        """);
    List<Map<String, Object>> o = render("resources: [../base]\npatches:\n  - path: patch.yaml\n");
    Map<String, Object> spec =
        ManifestCheck.map(at(get(o, "Deployment", "web"), "spec.template.spec"));
    List<Map<String, Object>> containers = ManifestCheck.maps(spec.get("containers"));
    assertThat(containers).extracting(c -> c.get("name")).containsExactly("web", "extra");
    Map<String, Object> web = containers.get(0);
    assertThat(web.get("image")).isEqualTo("example/web:1.0");
    assertThat(ManifestCheck.maps(web.get("env")))
        .containsExactly(Map.of("name", "B", "value", "20"), Map.of("name", "C", "value", "3"));
    assertThat(at(web, "resources.limits.memory")).isEqualTo("1Gi");
    assertThat(web.get("ports")).isEqualTo(List.of(Map.of("name", "http", "containerPort", 8080)));
    assertThat(ManifestCheck.maps(spec.get("volumes")))
        .extracting(v -> v.get("name"))
        .containsExactly("tmp", "cache");
  }

  @Test
  void containerPortsMergeByContainerPortAsKustomizeDoes() throws IOException {
    write(
        "overlay/patch.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers:
                - name: web
                  ports:
                    - {name: metrics, containerPort: 9000}
                    - {containerPort: 8080, protocol: TCP}
        """);
    List<Map<String, Object>> o = render("resources: [../base]\npatches:\n  - path: patch.yaml\n");
    Map<String, Object> web =
        ManifestCheck.maps(at(get(o, "Deployment", "web"), "spec.template.spec.containers")).get(0);
    assertThat(web.get("ports"))
        .isEqualTo(
            List.of(
                Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"),
                Map.of("name", "metrics", "containerPort", 9000)));
  }

  @Test
  void nullDeletesAKeyAndTopLevelDeleteRemovesTheObject() throws IOException {
    write(
        "overlay/patch.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: null
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        $patch: delete
        """);
    List<Map<String, Object>> o = render("resources: [../base]\npatches:\n  - path: patch.yaml\n");
    assertThat(ManifestCheck.map(at(get(o, "Deployment", "web"), "spec")))
        .doesNotContainKey("replicas");
    assertThat(o).noneMatch(x -> "PodDisruptionBudget".equals(x.get("kind")));
  }

  @Test
  void aTargetedPatchAppliesToEveryMatchRegardlessOfItsOwnName() throws IOException {
    write(
        "overlay/patch.yaml",
        """
        apiVersion: v1
        kind: Service
        metadata: {name: ignored}
        spec:
          type: ClusterIP
        """);
    List<Map<String, Object>> o =
        render(
            """
            resources: [../base]
            patches:
              - path: patch.yaml
                target: {kind: Service, name: "w.*"}
            """);
    assertThat(at(get(o, "Service", "web"), "spec.type")).isEqualTo("ClusterIP");
    assertThat(at(get(o, "Service", "web"), "spec.ports")).isNotNull();
  }

  @Test
  void nestedDirectoriesRenderInnerKustomizationsFirst() throws IOException {
    base();
    write("mid/kustomization.yaml", "namespace: inner\nresources: [../base, extra.yaml]\n");
    write(
        "mid/extra.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\ndata: {A: b}\n");
    write(
        "overlay/kustomization.yaml",
        "namespace: outer\nresources: [../mid]\nreplicas:\n  - {name: web, count: 5}\n");
    List<Map<String, Object>> o = Kustomize.render(dir.resolve("overlay"));
    assertThat(o).extracting(ManifestCheck::name).contains("web", "extra");
    assertThat(at(get(o, "ConfigMap", "extra"), "metadata.namespace")).isEqualTo("outer");
    assertThat(at(get(o, "Deployment", "web"), "spec.replicas")).isEqualTo(5);
  }

  @Test
  void unsupportedFieldsAreRefusedAtEveryLevel() throws IOException {
    base();
    write("overlay/kustomization.yaml", "resources: [../base]\ncommonLabels: {a: b}\n");
    assertThatThrownBy(() -> Kustomize.render(dir.resolve("overlay")))
        .isInstanceOf(KustomizeException.class)
        .hasMessageContaining("unsupported kustomization field 'commonLabels'");
    write(
        "overlay/kustomization.yaml",
        "resources: [../base]\nlabels:\n  - pairs: {a: b}\n    fields: []\n");
    assertThatThrownBy(() -> Kustomize.render(dir.resolve("overlay")))
        .hasMessageContaining("unsupported field 'fields' in a labels entry");
    write("base/kustomization.yaml", "resources: [web.yaml]\nconfigMapGenerator: []\n");
    write("overlay/kustomization.yaml", "resources: [../base]\n");
    assertThatThrownBy(() -> Kustomize.render(dir.resolve("overlay")))
        .hasMessageContaining("unsupported kustomization field 'configMapGenerator'");
  }

  @Test
  void patchesThatMatchNothingOrAreJson6902AreRefused() throws IOException {
    write(
        "overlay/patch.yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: nothing}\nspec: {}\n");
    assertThatThrownBy(() -> render("resources: [../base]\npatches:\n  - path: patch.yaml\n"))
        .hasMessageContaining("the patch matches no object (Service nothing)");
    write("overlay/patch.yaml", "- op: replace\n  path: /spec/replicas\n  value: 3\n");
    assertThatThrownBy(
            () ->
                render(
                    "resources: [../base]\npatches:\n  - path: patch.yaml\n    target: {kind: Deployment}\n"))
        .hasMessageContaining("JSON 6902 patches are not supported");
  }

  @Test
  void duplicateObjectsAndDuplicateYamlKeysAreRefused() throws IOException {
    base();
    write("overlay/kustomization.yaml", "resources: [../base, ../base/web.yaml]\n");
    assertThatThrownBy(() -> Kustomize.render(dir.resolve("overlay")))
        .hasMessageContaining("a second time");
    write("dup/kustomization.yaml", "resources: [cm.yaml]\n");
    write(
        "dup/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  K: x\n  K: y\n");
    assertThatThrownBy(() -> Kustomize.render(dir.resolve("dup")))
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void datesStayStringsAndYesIsABoolean() throws IOException {
    write("y/kustomization.yaml", "resources: [cm.yaml]\n");
    write(
        "y/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  D: 2024-10-01\n  E: yes\n");
    Map<String, Object> cm = Kustomize.render(dir.resolve("y")).get(0);
    assertThat(at(cm, "data.D")).isEqualTo("2024-10-01");
    assertThat(at(cm, "data.E")).isEqualTo(Boolean.TRUE);
    assertThat(new Models().problems(cm))
        .singleElement()
        .asString()
        .contains("data.E")
        .contains("wrong type");
  }
}
