package dev.him.deploy.k8s;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A Kustomize renderer for the subset of Kustomize the platform's manifests use, so that the
 * overlays can be checked in the test suite without the kustomize binary or a cluster.
 *
 * <p>Supported kustomization fields: {@code apiVersion}, {@code kind}, {@code namespace}, {@code
 * resources} (YAML files, several documents each, or directories holding a kustomization.yaml,
 * rendered recursively), {@code labels} ({@code pairs}, {@code includeSelectors}, {@code
 * includeTemplates}), {@code images} ({@code name}, {@code newName}, {@code newTag}, {@code
 * digest}), {@code replicas} ({@code name}, {@code count}) and {@code patches} (strategic-merge
 * patches from {@code path} or inline {@code patch}, with an optional {@code target} of {@code
 * kind}, {@code name}, {@code group}, {@code version}, {@code namespace}). Any other field, at the
 * top or inside these entries, is refused with a {@link KustomizeException}, so a feature this
 * renderer does not implement can never be silently ignored.
 *
 * <p>As in Kustomize, the transformers of one kustomization run after its resources (and the
 * kustomizations they name) are rendered, in Kustomize's order: patches, namespace, labels,
 * replicas, images. Two deliberate departures, both stricter: a patch or a replicas entry that
 * matches no object is an error (Kustomize passes over a patch target that matches nothing), and a
 * patch must be a strategic-merge patch (JSON 6902 patches are refused).
 *
 * <p>Strategic merge: maps merge recursively, a {@code null} value deletes the key, {@code $patch:
 * replace} replaces a map or list and {@code $patch: delete} deletes a list item or, at the top of
 * a patch, the object. Lists merge by the key the Kubernetes API declares for them (patchMergeKey):
 * {@code containers}, {@code initContainers}, {@code env}, {@code volumes}, {@code
 * imagePullSecrets} by {@code name}; {@code volumeMounts} by {@code mountPath}; container {@code
 * ports} by {@code containerPort} and Service {@code ports} by {@code port} (as Kustomize does: a
 * patch renumbering a named container port adds a second port, it does not renumber it); and any
 * other list whose items all have a {@code name} by {@code name}. {@code envFrom}, {@code
 * tolerations}, {@code args}, {@code command} and all other lists are replaced.
 */
public final class Kustomize {

  /** A kustomization the renderer cannot render; the message names the file and the reason. */
  public static final class KustomizeException extends RuntimeException {
    KustomizeException(String message) {
      super(message);
    }
  }

  private static final List<String> FILE_NAMES =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
  private static final Set<String> FIELDS =
      Set.of(
          "apiVersion",
          "kind",
          "namespace",
          "resources",
          "labels",
          "images",
          "replicas",
          "patches");
  private static final Set<String> LABEL_FIELDS =
      Set.of("pairs", "includeSelectors", "includeTemplates");
  private static final Set<String> IMAGE_FIELDS = Set.of("name", "newName", "newTag", "digest");
  private static final Set<String> REPLICA_FIELDS = Set.of("name", "count");
  private static final Set<String> PATCH_FIELDS = Set.of("path", "patch", "target");
  private static final Set<String> TARGET_FIELDS =
      Set.of("kind", "name", "group", "version", "namespace");

  /** Kinds without a namespace: the namespace transformer leaves them alone. */
  static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Namespace",
          "Node",
          "PersistentVolume",
          "StorageClass",
          "ClusterRole",
          "ClusterRoleBinding",
          "CustomResourceDefinition",
          "PriorityClass",
          "IngressClass",
          "RuntimeClass",
          "CSIDriver",
          "APIService",
          "ValidatingWebhookConfiguration",
          "MutatingWebhookConfiguration",
          "ClusterIssuer");

  private Kustomize() {}

  /** Renders the kustomization in {@code dir}; the objects in Kustomize's output order. */
  public static List<Map<String, Object>> render(Path dir) {
    return build(dir.toAbsolutePath().normalize(), new ArrayDeque<>());
  }

  // ------------------------------------------------------------------ build

  private static List<Map<String, Object>> build(Path dir, Deque<Path> stack) {
    if (stack.contains(dir)) {
      throw new KustomizeException("cycle of kustomizations through " + dir);
    }
    stack.push(dir);
    try {
      Path file = kustomizationFile(dir);
      List<Object> docs = Yaml11.loadAll(file);
      if (docs.size() != 1 || !(docs.get(0) instanceof Map)) {
        throw new KustomizeException(file + ": a kustomization is one YAML mapping");
      }
      Map<String, Object> k = asMap(docs.get(0), file, "kustomization");
      for (String key : k.keySet()) {
        if (!FIELDS.contains(key)) {
          throw new KustomizeException(
              file
                  + ": unsupported kustomization field '"
                  + key
                  + "' (this renderer implements only "
                  + String.join(", ", new java.util.TreeSet<>(FIELDS))
                  + ")");
        }
      }
      Object apiVersion = k.get("apiVersion");
      if (apiVersion != null && !"kustomize.config.k8s.io/v1beta1".equals(apiVersion)) {
        throw new KustomizeException(file + ": unsupported apiVersion " + apiVersion);
      }
      Object kind = k.get("kind");
      if (kind != null && !"Kustomization".equals(kind)) {
        throw new KustomizeException(file + ": unsupported kind " + kind + " (only Kustomization)");
      }

      List<Map<String, Object>> objects = new ArrayList<>();
      for (Object r : list(k.get("resources"), file, "resources")) {
        if (!(r instanceof String ref)) {
          throw new KustomizeException(file + ": resources entry " + r + " is not a path");
        }
        if (ref.contains("://") || ref.startsWith("github.com/") || ref.startsWith("git@")) {
          throw new KustomizeException(file + ": remote resource " + ref + " is not supported");
        }
        Path p = dir.resolve(ref).normalize();
        List<Map<String, Object>> added;
        if (Files.isDirectory(p)) {
          added = build(p, stack);
        } else if (Files.isRegularFile(p)) {
          added = loadObjects(p);
        } else {
          throw new KustomizeException(file + ": resource " + ref + " does not exist");
        }
        for (Map<String, Object> o : added) {
          String id = id(o);
          for (Map<String, Object> existing : objects) {
            if (id(existing).equals(id)) {
              throw new KustomizeException(
                  file + ": resource " + ref + " adds " + id + " a second time");
            }
          }
          objects.add(o);
        }
      }

      for (Object p : list(k.get("patches"), file, "patches")) {
        applyPatch(objects, asMap(p, file, "patches entry"), dir, file);
      }
      Object ns = k.get("namespace");
      if (ns != null) {
        if (!(ns instanceof String namespace) || namespace.isBlank()) {
          throw new KustomizeException(file + ": namespace is not a name");
        }
        for (Map<String, Object> o : objects) {
          if (!CLUSTER_SCOPED.contains(String.valueOf(o.get("kind")))) {
            metadata(o).put("namespace", namespace);
          }
        }
      }
      for (Object l : list(k.get("labels"), file, "labels")) {
        applyLabels(objects, asMap(l, file, "labels entry"), file);
      }
      for (Object r : list(k.get("replicas"), file, "replicas")) {
        applyReplicas(objects, asMap(r, file, "replicas entry"), file);
      }
      for (Object i : list(k.get("images"), file, "images")) {
        applyImage(objects, asMap(i, file, "images entry"), file);
      }
      return objects;
    } finally {
      stack.pop();
    }
  }

  private static Path kustomizationFile(Path dir) {
    List<Path> found = new ArrayList<>();
    for (String n : FILE_NAMES) {
      Path p = dir.resolve(n);
      if (Files.isRegularFile(p)) {
        found.add(p);
      }
    }
    if (found.isEmpty()) {
      throw new KustomizeException(dir + ": no kustomization.yaml");
    }
    if (found.size() > 1) {
      throw new KustomizeException(dir + ": more than one kustomization file " + found);
    }
    return found.get(0);
  }

  /** The objects of one resource file; {@code kind: List} is flattened as Kustomize does. */
  private static List<Map<String, Object>> loadObjects(Path file) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object doc : Yaml11.loadAll(file)) {
      Map<String, Object> o = asMap(doc, file, "document");
      if ("List".equals(o.get("kind")) && o.get("items") instanceof List<?> items) {
        for (Object item : items) {
          out.add(checkObject(asMap(item, file, "List item"), file));
        }
      } else {
        out.add(checkObject(o, file));
      }
    }
    return out;
  }

  private static Map<String, Object> checkObject(Map<String, Object> o, Path file) {
    if (!(o.get("apiVersion") instanceof String) || !(o.get("kind") instanceof String)) {
      throw new KustomizeException(file + ": an object without apiVersion or kind: " + o);
    }
    if (!(o.get("metadata") instanceof Map<?, ?> md) || !(md.get("name") instanceof String)) {
      throw new KustomizeException(
          file + ": " + o.get("kind") + " without metadata.name (Kustomize requires one)");
    }
    return o;
  }

  /** Kustomize's resource id: group, kind, namespace and name. */
  static String id(Map<String, Object> o) {
    Map<String, Object> md = metadata(o);
    String ns = md.get("namespace") == null ? "" : md.get("namespace") + "/";
    return group(o) + "/" + o.get("kind") + " " + ns + md.get("name");
  }

  static String group(Map<String, Object> o) {
    String apiVersion = String.valueOf(o.get("apiVersion"));
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  static String version(Map<String, Object> o) {
    String apiVersion = String.valueOf(o.get("apiVersion"));
    return apiVersion.substring(apiVersion.indexOf('/') + 1);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> metadata(Map<String, Object> o) {
    return (Map<String, Object>) o.computeIfAbsent("metadata", x -> new LinkedHashMap<>());
  }

  // ---------------------------------------------------------------- patches

  private static void applyPatch(
      List<Map<String, Object>> objects, Map<String, Object> entry, Path dir, Path file) {
    for (String key : entry.keySet()) {
      if (!PATCH_FIELDS.contains(key)) {
        throw new KustomizeException(
            file
                + ": unsupported field '"
                + key
                + "' in a patches entry (supported: "
                + PATCH_FIELDS
                + ")");
      }
    }
    List<Object> docs;
    String where;
    if (entry.get("path") instanceof String path && entry.get("patch") == null) {
      Path p = dir.resolve(path).normalize();
      if (!Files.isRegularFile(p)) {
        throw new KustomizeException(file + ": patch file " + path + " does not exist");
      }
      docs = Yaml11.loadAll(p);
      where = p.toString();
    } else if (entry.get("patch") instanceof String inline && entry.get("path") == null) {
      docs = Yaml11.loadAll(inline, file + " (inline patch)");
      where = file + " (inline patch)";
    } else {
      throw new KustomizeException(file + ": a patches entry needs exactly one of path or patch");
    }
    Map<String, Object> target =
        entry.get("target") == null ? null : asMap(entry.get("target"), file, "patch target");
    if (target != null) {
      for (String key : target.keySet()) {
        if (!TARGET_FIELDS.contains(key)) {
          throw new KustomizeException(
              file
                  + ": unsupported patch target field '"
                  + key
                  + "' (supported: "
                  + TARGET_FIELDS
                  + ")");
        }
      }
    }
    for (Object doc : docs) {
      if (doc instanceof List) {
        throw new KustomizeException(
            where + ": JSON 6902 patches are not supported, only strategic-merge patches");
      }
      Map<String, Object> patch = asMap(doc, Path.of(where), "patch");
      List<Integer> matches = new ArrayList<>();
      for (int i = 0; i < objects.size(); i++) {
        if (target != null
            ? matchesTarget(objects.get(i), target)
            : matchesPatch(objects.get(i), patch)) {
          matches.add(i);
        }
      }
      if (matches.isEmpty()) {
        throw new KustomizeException(
            where
                + ": the patch matches no object"
                + (target != null ? " (target " + target + ")" : " (" + patchId(patch) + ")"));
      }
      for (int m = matches.size() - 1; m >= 0; m--) {
        int i = matches.get(m);
        Map<String, Object> o = objects.get(i);
        Map<String, Object> p = patch;
        if (target != null) {
          // As Kustomize: with a target, the patch's own kind and name do not matter.
          p = copyMap(patch);
          p.put("apiVersion", o.get("apiVersion"));
          p.put("kind", o.get("kind"));
          Map<String, Object> md = metadata(p);
          md.put("name", metadata(o).get("name"));
          if (metadata(o).get("namespace") != null) {
            md.put("namespace", metadata(o).get("namespace"));
          } else {
            md.remove("namespace");
          }
        }
        Map<String, Object> merged = StrategicMerge.mergeMap(o, p, where);
        if (merged == null) {
          objects.remove(i);
        } else {
          objects.set(i, merged);
        }
      }
    }
  }

  private static String patchId(Map<String, Object> patch) {
    Object md = patch.get("metadata");
    return patch.get("kind") + " " + (md instanceof Map<?, ?> m ? m.get("name") : null);
  }

  private static boolean matchesPatch(Map<String, Object> o, Map<String, Object> patch) {
    if (!Objects.equals(o.get("kind"), patch.get("kind"))) {
      return false;
    }
    if (patch.get("apiVersion") != null && !group(o).equals(group(patch))) {
      return false;
    }
    Map<String, Object> pm = patch.get("metadata") instanceof Map ? metadata(patch) : Map.of();
    if (!Objects.equals(metadata(o).get("name"), pm.get("name"))) {
      return false;
    }
    return pm.get("namespace") == null
        || Objects.equals(pm.get("namespace"), metadata(o).get("namespace"));
  }

  private static boolean matchesTarget(Map<String, Object> o, Map<String, Object> t) {
    if (t.get("kind") != null && !Objects.equals(t.get("kind"), o.get("kind"))) {
      return false;
    }
    if (t.get("group") != null && !Objects.equals(t.get("group"), group(o))) {
      return false;
    }
    if (t.get("version") != null && !Objects.equals(t.get("version"), version(o))) {
      return false;
    }
    if (t.get("namespace") != null
        && !Objects.equals(t.get("namespace"), metadata(o).get("namespace"))) {
      return false;
    }
    // Kustomize reads a target name as a regular expression matching the whole name.
    return t.get("name") == null
        || Pattern.compile("^(?:" + t.get("name") + ")$")
            .matcher(String.valueOf(metadata(o).get("name")))
            .matches();
  }

  // ----------------------------------------------------------------- labels

  /** One Kustomize field spec: where a transformer writes, for which kinds. */
  private record FieldSpec(String group, String version, String kind, String path, boolean create) {
    boolean selects(Map<String, Object> o) {
      return (kind == null || kind.equals(o.get("kind")))
          && (group == null || group.equals(Kustomize.group(o)))
          && (version == null || version.equals(Kustomize.version(o)));
    }
  }

  /** Kustomize's metadataLabelsFieldSpecs: the objects' and their pod templates' labels. */
  private static final List<FieldSpec> TEMPLATE_LABELS =
      List.of(
          new FieldSpec(null, null, null, "metadata/labels", true),
          new FieldSpec(null, "v1", "ReplicationController", "spec/template/metadata/labels", true),
          new FieldSpec(null, null, "Deployment", "spec/template/metadata/labels", true),
          new FieldSpec(null, null, "ReplicaSet", "spec/template/metadata/labels", true),
          new FieldSpec(null, null, "DaemonSet", "spec/template/metadata/labels", true),
          new FieldSpec("apps", null, "StatefulSet", "spec/template/metadata/labels", true),
          new FieldSpec(
              "apps", null, "StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", true),
          new FieldSpec("batch", null, "Job", "spec/template/metadata/labels", true),
          new FieldSpec("batch", null, "CronJob", "spec/jobTemplate/metadata/labels", true),
          new FieldSpec(
              "batch", null, "CronJob", "spec/jobTemplate/spec/template/metadata/labels", true));

  /** Kustomize's commonLabelFieldSpecs (includeSelectors: true): templates plus selectors. */
  private static final List<FieldSpec> SELECTOR_LABELS;

  static {
    List<FieldSpec> s = new ArrayList<>();
    s.add(new FieldSpec(null, "v1", "Service", "spec/selector", true));
    s.add(new FieldSpec(null, "v1", "ReplicationController", "spec/selector", true));
    s.add(new FieldSpec(null, null, "Deployment", "spec/selector/matchLabels", true));
    String[] affinity = {
      "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
      "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
      "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
      "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
      "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels"
    };
    for (String a : affinity) {
      s.add(new FieldSpec("apps", null, "Deployment", a, false));
    }
    s.add(new FieldSpec(null, null, "ReplicaSet", "spec/selector/matchLabels", true));
    s.add(new FieldSpec(null, null, "DaemonSet", "spec/selector/matchLabels", true));
    s.add(new FieldSpec("apps", null, "StatefulSet", "spec/selector/matchLabels", true));
    for (String a : affinity) {
      s.add(new FieldSpec("apps", null, "StatefulSet", a, false));
    }
    s.add(new FieldSpec("batch", null, "Job", "spec/selector/matchLabels", false));
    s.add(
        new FieldSpec(
            "batch", null, "CronJob", "spec/jobTemplate/spec/selector/matchLabels", false));
    s.add(new FieldSpec("policy", null, "PodDisruptionBudget", "spec/selector/matchLabels", false));
    s.add(
        new FieldSpec(
            "networking.k8s.io", null, "NetworkPolicy", "spec/podSelector/matchLabels", false));
    s.add(
        new FieldSpec(
            "networking.k8s.io",
            null,
            "NetworkPolicy",
            "spec/ingress/from/podSelector/matchLabels",
            false));
    s.add(
        new FieldSpec(
            "networking.k8s.io",
            null,
            "NetworkPolicy",
            "spec/egress/to/podSelector/matchLabels",
            false));
    s.addAll(TEMPLATE_LABELS);
    SELECTOR_LABELS = List.copyOf(s);
  }

  private static void applyLabels(
      List<Map<String, Object>> objects, Map<String, Object> entry, Path file) {
    for (String key : entry.keySet()) {
      if (!LABEL_FIELDS.contains(key)) {
        throw new KustomizeException(
            file
                + ": unsupported field '"
                + key
                + "' in a labels entry (supported: "
                + LABEL_FIELDS
                + ")");
      }
    }
    Map<String, Object> pairs = asMap(entry.get("pairs"), file, "labels pairs");
    Map<String, String> labels = new LinkedHashMap<>();
    pairs.forEach(
        (k, v) -> {
          if (!(v instanceof String s)) {
            throw new KustomizeException(
                file + ": label " + k + " has the non-string value " + v + " (quote it)");
          }
          labels.put(k, s);
        });
    List<FieldSpec> specs;
    if (Boolean.TRUE.equals(entry.get("includeSelectors"))) {
      specs = SELECTOR_LABELS;
    } else if (Boolean.TRUE.equals(entry.get("includeTemplates"))) {
      specs = TEMPLATE_LABELS;
    } else {
      specs = List.of(new FieldSpec(null, null, null, "metadata/labels", true));
    }
    for (Map<String, Object> o : objects) {
      for (FieldSpec spec : specs) {
        if (spec.selects(o)) {
          putAt(o, spec.path().split("/"), 0, spec.create(), labels);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void putAt(
      Object node, String[] segs, int i, boolean create, Map<String, String> labels) {
    if (node instanceof List<?> l) {
      for (Object item : l) {
        putAt(item, segs, i, create, labels);
      }
      return;
    }
    if (!(node instanceof Map)) {
      return;
    }
    Map<String, Object> m = (Map<String, Object>) node;
    String seg = segs[i];
    boolean isList = seg.endsWith("[]");
    String key = isList ? seg.substring(0, seg.length() - 2) : seg;
    Object child = m.get(key);
    if (child == null) {
      if (!create || isList) {
        return;
      }
      child = new LinkedHashMap<String, Object>();
      m.put(key, child);
    }
    if (i == segs.length - 1) {
      if (child instanceof Map) {
        ((Map<String, Object>) child).putAll(labels);
      }
      return;
    }
    putAt(child, segs, i + 1, create, labels);
  }

  // --------------------------------------------------------------- replicas

  private static final Set<String> SCALABLE =
      Set.of("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController");

  @SuppressWarnings("unchecked")
  private static void applyReplicas(
      List<Map<String, Object>> objects, Map<String, Object> entry, Path file) {
    for (String key : entry.keySet()) {
      if (!REPLICA_FIELDS.contains(key)) {
        throw new KustomizeException(
            file
                + ": unsupported field '"
                + key
                + "' in a replicas entry (supported: "
                + REPLICA_FIELDS
                + ")");
      }
    }
    if (!(entry.get("name") instanceof String name) || !(entry.get("count") instanceof Integer n)) {
      throw new KustomizeException(file + ": a replicas entry needs a name and an integer count");
    }
    boolean found = false;
    for (Map<String, Object> o : objects) {
      if (SCALABLE.contains(o.get("kind")) && name.equals(metadata(o).get("name"))) {
        ((Map<String, Object>) o.computeIfAbsent("spec", x -> new LinkedHashMap<>()))
            .put("replicas", n);
        found = true;
      }
    }
    if (!found) {
      throw new KustomizeException(file + ": replicas entry " + name + " matches no workload");
    }
  }

  // ----------------------------------------------------------------- images

  private static void applyImage(
      List<Map<String, Object>> objects, Map<String, Object> entry, Path file) {
    for (String key : entry.keySet()) {
      if (!IMAGE_FIELDS.contains(key)) {
        throw new KustomizeException(
            file
                + ": unsupported field '"
                + key
                + "' in an images entry (supported: "
                + IMAGE_FIELDS
                + ")");
      }
    }
    for (String key : entry.keySet()) {
      if (!(entry.get(key) instanceof String)) {
        throw new KustomizeException(
            file + ": images entry field " + key + " is not a string (quote it)");
      }
    }
    if (entry.get("name") == null) {
      throw new KustomizeException(file + ": an images entry needs a name");
    }
    for (Map<String, Object> o : objects) {
      replaceImages(o, entry);
    }
  }

  @SuppressWarnings("unchecked")
  private static void replaceImages(Object node, Map<String, Object> entry) {
    if (node instanceof List<?> l) {
      for (Object item : l) {
        replaceImages(item, entry);
      }
    } else if (node instanceof Map<?, ?> raw) {
      Map<String, Object> m = (Map<String, Object>) raw;
      for (Map.Entry<String, Object> e : m.entrySet()) {
        if ((e.getKey().equals("containers") || e.getKey().equals("initContainers"))
            && e.getValue() instanceof List<?> containers) {
          for (Object c : containers) {
            if (c instanceof Map<?, ?> cm && cm.get("image") instanceof String image) {
              String replaced = replaceImage(image, entry);
              if (replaced != null) {
                ((Map<String, Object>) cm).put("image", replaced);
              }
            }
          }
        } else {
          replaceImages(e.getValue(), entry);
        }
      }
    }
  }

  /** The image after the images entry, or null when the entry does not name it. */
  static String replaceImage(String image, Map<String, Object> entry) {
    ImageRef ref = ImageRef.parse(image);
    if (!ref.name().equals(entry.get("name"))) {
      return null;
    }
    String name = entry.get("newName") != null ? (String) entry.get("newName") : ref.name();
    String tag = ref.tag();
    String digest = ref.digest();
    if (entry.get("newTag") != null) {
      tag = (String) entry.get("newTag");
      digest = null;
    }
    if (entry.get("digest") != null) {
      digest = (String) entry.get("digest");
      tag = null;
    }
    return name + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }

  /** An image reference: name (with any registry), tag and digest. */
  record ImageRef(String name, String tag, String digest) {
    static ImageRef parse(String image) {
      String digest = null;
      int at = image.indexOf('@');
      if (at >= 0) {
        digest = image.substring(at + 1);
        image = image.substring(0, at);
      }
      String tag = null;
      int colon = image.lastIndexOf(':');
      if (colon > image.lastIndexOf('/')) {
        tag = image.substring(colon + 1);
        image = image.substring(0, colon);
      }
      return new ImageRef(image, tag, digest);
    }
  }

  // ---------------------------------------------------------------- helpers

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o, Path file, String what) {
    if (!(o instanceof Map)) {
      throw new KustomizeException(file + ": " + what + " is not a mapping: " + o);
    }
    return (Map<String, Object>) o;
  }

  private static List<?> list(Object o, Path file, String field) {
    if (o == null) {
      return List.of();
    }
    if (!(o instanceof List<?> l)) {
      throw new KustomizeException(file + ": " + field + " is not a list");
    }
    return l;
  }

  @SuppressWarnings("unchecked")
  static Object copy(Object o) {
    if (o instanceof Map<?, ?> m) {
      return copyMap((Map<String, Object>) m);
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object item : l) {
        out.add(copy(item));
      }
      return out;
    }
    return o;
  }

  static Map<String, Object> copyMap(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, copy(v)));
    return out;
  }

  /**
   * Strategic merge of a patch into an object, as Kustomize applies patches to built-in kinds (see
   * the class comment for the merge keys).
   */
  static final class StrategicMerge {
    private StrategicMerge() {}

    /** The merged map, or null when the patch deletes it ({@code $patch: delete}). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mergeMap(
        Map<String, Object> orig, Map<String, Object> patch, String where) {
      Object directive = patch.get("$patch");
      if ("delete".equals(directive)) {
        return null;
      }
      if ("replace".equals(directive)) {
        return clean(patch, where);
      }
      if (directive != null) {
        throw new KustomizeException(where + ": unsupported $patch: " + directive);
      }
      Map<String, Object> result = copyMap(orig);
      for (Map.Entry<String, Object> e : patch.entrySet()) {
        String k = e.getKey();
        Object pv = e.getValue();
        if (k.startsWith("$")) {
          throw new KustomizeException(where + ": unsupported strategic-merge directive " + k);
        }
        Object ov = result.get(k);
        if (pv == null) {
          result.remove(k);
        } else if (pv instanceof Map<?, ?> pm) {
          Map<String, Object> merged =
              ov instanceof Map<?, ?> om
                  ? mergeMap((Map<String, Object>) om, (Map<String, Object>) pm, where)
                  : "delete".equals(pm.get("$patch"))
                      ? null
                      : clean((Map<String, Object>) pm, where);
          if (merged == null) {
            result.remove(k);
          } else {
            result.put(k, merged);
          }
        } else if (pv instanceof List<?> pl) {
          result.put(k, mergeList(k, ov instanceof List<?> ol ? ol : null, pl, where));
        } else {
          result.put(k, pv);
        }
      }
      return result;
    }

    private static final Map<String, String> MERGE_KEYS =
        Map.ofEntries(
            Map.entry("containers", "name"),
            Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"),
            Map.entry("env", "name"),
            Map.entry("volumes", "name"),
            Map.entry("imagePullSecrets", "name"),
            Map.entry("volumeMounts", "mountPath"),
            Map.entry("volumeDevices", "devicePath"),
            Map.entry("hostAliases", "ip"),
            Map.entry("topologySpreadConstraints", "topologyKey"));
    private static final Set<String> ATOMIC = Set.of("envFrom", "tolerations", "args", "command");

    @SuppressWarnings("unchecked")
    private static List<Object> mergeList(String field, List<?> orig, List<?> patch, String where) {
      for (Object item : patch) {
        if (item instanceof Map<?, ?> m && "replace".equals(m.get("$patch"))) {
          List<Object> out = new ArrayList<>();
          for (Object i : patch) {
            if (i != item) {
              out.add(cleanAny(i, where));
            }
          }
          return out;
        }
      }
      String key = mergeKey(field, orig, patch);
      if (key == null) {
        for (Object item : patch) {
          if (item instanceof Map<?, ?> m && m.containsKey("$patch")) {
            throw new KustomizeException(
                where + ": $patch in list " + field + ", which has no merge key");
          }
        }
        return (List<Object>) cleanAny(patch, where);
      }
      List<Object> result = orig == null ? new ArrayList<>() : (List<Object>) copy(orig);
      for (Object item : patch) {
        if (!(item instanceof Map<?, ?> raw)) {
          throw new KustomizeException(where + ": list " + field + " mixes maps and values");
        }
        Map<String, Object> pi = (Map<String, Object>) raw;
        Object kv = pi.get(key);
        if (kv == null) {
          throw new KustomizeException(
              where + ": an item of " + field + " lacks its merge key " + key);
        }
        int idx = -1;
        for (int i = 0; i < result.size(); i++) {
          if (result.get(i) instanceof Map<?, ?> oi && kv.equals(oi.get(key))) {
            idx = i;
            break;
          }
        }
        if ("delete".equals(pi.get("$patch"))) {
          if (idx >= 0) {
            result.remove(idx);
          }
          continue;
        }
        if (idx >= 0) {
          result.set(idx, mergeMap((Map<String, Object>) result.get(idx), pi, where));
        } else {
          result.add(clean(pi, where));
        }
      }
      return result;
    }

    private static String mergeKey(String field, List<?> orig, List<?> patch) {
      if (ATOMIC.contains(field)) {
        return null;
      }
      List<Object> all = new ArrayList<>(patch);
      if (orig != null) {
        all.addAll(orig);
      }
      if (field.equals("ports")) {
        for (Object item : all) {
          if (item instanceof Map<?, ?> m && m.containsKey("containerPort")) {
            return "containerPort";
          }
        }
        for (Object item : all) {
          if (item instanceof Map<?, ?> m && m.containsKey("port")) {
            return "port";
          }
        }
      }
      if (MERGE_KEYS.containsKey(field)) {
        return MERGE_KEYS.get(field);
      }
      if (all.isEmpty()) {
        return null;
      }
      for (Object item : all) {
        if (!(item instanceof Map<?, ?> m) || !m.containsKey("name")) {
          return null;
        }
      }
      return "name";
    }

    @SuppressWarnings("unchecked")
    private static Object cleanAny(Object o, String where) {
      if (o instanceof Map<?, ?> m) {
        return clean((Map<String, Object>) m, where);
      }
      if (o instanceof List<?> l) {
        List<Object> out = new ArrayList<>();
        for (Object i : l) {
          out.add(cleanAny(i, where));
        }
        return out;
      }
      return o;
    }

    /** A patch value put where the object has nothing: without directives and null values. */
    private static Map<String, Object> clean(Map<String, Object> m, String where) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : m.entrySet()) {
        if (e.getKey().equals("$patch")) {
          continue;
        }
        if (e.getKey().startsWith("$")) {
          throw new KustomizeException(
              where + ": unsupported strategic-merge directive " + e.getKey());
        }
        if (e.getValue() != null) {
          out.put(e.getKey(), cleanAny(e.getValue(), where));
        }
      }
      return out;
    }
  }

  /**
   * YAML as Kubernetes reads it (YAML 1.1 scalars: yes/no/on/off are booleans), with duplicate keys
   * refused and dates kept as strings (Kubernetes' reader does not turn them into timestamps).
   */
  static final class Yaml11 {
    private Yaml11() {}

    private static final class NoTimestamps extends Resolver {
      @Override
      protected void addImplicitResolvers() {
        addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
        addImplicitResolver(Tag.INT, INT, "-+0123456789");
        addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
        addImplicitResolver(Tag.MERGE, MERGE, "<");
        addImplicitResolver(Tag.NULL, NULL, "~nN\0");
        addImplicitResolver(Tag.NULL, EMPTY, null);
      }
    }

    private static Yaml yaml() {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      DumperOptions dumper = new DumperOptions();
      return new Yaml(
          new SafeConstructor(options),
          new Representer(dumper),
          dumper,
          options,
          new NoTimestamps());
    }

    static List<Object> loadAll(Path file) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        return loadAll(r, file.toString());
      } catch (IOException e) {
        throw new KustomizeException(file + ": " + e.getMessage());
      }
    }

    static List<Object> loadAll(String text, String where) {
      return loadAll(new java.io.StringReader(text), where);
    }

    private static List<Object> loadAll(Reader r, String where) {
      List<Object> docs = new ArrayList<>();
      try {
        for (Object doc : yaml().loadAll(r)) {
          if (doc != null) {
            docs.add(doc);
          }
        }
      } catch (RuntimeException e) {
        throw new KustomizeException(where + ": not valid YAML: " + e.getMessage());
      }
      return docs;
    }
  }
}
