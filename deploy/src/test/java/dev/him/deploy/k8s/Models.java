package dev.him.deploy.k8s;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.rebalance.KafkaRebalance;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads rendered objects with the Kubernetes models: fabric8's for the built-in kinds, Strimzi's
 * for Kafka resources, and fabric8's GenericKubernetesResource for the other operators' kinds
 * (their fields are checked by {@link ManifestCheck}). Malformed means what the API server would
 * refuse: a field of the wrong type (no coercion from strings to numbers or booleans or back, as
 * Kubernetes' strict JSON decoding) or a field the model does not know (anything left in an
 * additionalProperties map anywhere in the typed tree).
 */
final class Models {

  /** Built-in API groups: "" (core) and the *.k8s.io groups. */
  static boolean builtInGroup(String group) {
    return group.isEmpty() || group.endsWith(".k8s.io") || !group.contains(".");
  }

  static final Map<String, Class<? extends KubernetesResource>> STRIMZI =
      Map.of(
          "Kafka", Kafka.class,
          "KafkaNodePool", KafkaNodePool.class,
          "KafkaTopic", KafkaTopic.class,
          "KafkaUser", KafkaUser.class,
          "KafkaRebalance", KafkaRebalance.class);
  static final Set<String> STRIMZI_VERSIONS = Set.of("v1beta2", "v1");

  /** The other operators' kinds the platform uses, by group and the versions accepted. */
  static final Map<String, Set<String>> GENERIC_KINDS =
      Map.of(
          "postgresql.cnpg.io/v1",
              Set.of("Cluster", "Database", "ScheduledBackup", "Pooler", "Backup"),
          "barmancloud.cnpg.io/v1", Set.of("ObjectStore"),
          "k8s.keycloak.org/v2beta1", Set.of("Keycloak", "KeycloakRealmImport"),
          "k8s.keycloak.org/v2alpha1", Set.of("Keycloak", "KeycloakRealmImport"),
          "monitoring.coreos.com/v1", Set.of("ServiceMonitor", "PodMonitor", "PrometheusRule"));

  private final ObjectMapper mapper;
  private final KubernetesSerialization serialization;

  Models() {
    mapper = new ObjectMapper();
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    serialization = new KubernetesSerialization(mapper, true);
    // fabric8's GoCompatibilityModule reads integers from strings ("2"); the API server does not.
    // A module registered later wins, so integers are read by Jackson's own, strict deserializer.
    mapper.registerModule(
        new SimpleModule("strict-integers")
            .addDeserializer(
                Integer.class, new NumberDeserializers.IntegerDeserializer(Integer.class, null)));
  }

  /** The model class for an object, or null when none is known. */
  Class<? extends KubernetesResource> modelOf(String apiVersion, String kind) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    if (group.equals("kafka.strimzi.io")) {
      return STRIMZI_VERSIONS.contains(version) ? STRIMZI.get(kind) : null;
    }
    if (GENERIC_KINDS.getOrDefault(apiVersion, Set.of()).contains(kind)) {
      return GenericKubernetesResource.class;
    }
    if (builtInGroup(group)) {
      Class<? extends KubernetesResource> c =
          serialization.getRegisteredKubernetesResource(apiVersion, kind);
      return c == null || c == GenericKubernetesResource.class ? null : c;
    }
    return null;
  }

  /** The problems of one object: unknown kind, wrong types, unknown fields. */
  List<String> problems(Map<String, Object> raw) {
    String apiVersion = String.valueOf(raw.get("apiVersion"));
    String kind = String.valueOf(raw.get("kind"));
    Class<? extends KubernetesResource> model = modelOf(apiVersion, kind);
    if (model == null) {
      return List.of(
          "malformed: no model for apiVersion "
              + apiVersion
              + " kind "
              + kind
              + " (not a built-in kind at that version, nor a kind the check knows: Strimzi "
              + STRIMZI.keySet()
              + ", "
              + GENERIC_KINDS
              + ")");
    }
    Object typed;
    try {
      typed = serialization.convertValue(raw, model);
    } catch (IllegalArgumentException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String path = "";
      String message = cause.getMessage();
      if (cause instanceof JsonMappingException jme) {
        path = path(jme.getPath());
        message = jme.getOriginalMessage();
      }
      int nl = message == null ? -1 : message.indexOf('\n');
      if (nl > 0) {
        message = message.substring(0, nl);
      }
      return List.of(
          "malformed: " + (path.isEmpty() ? "" : path + ": ") + "wrong type (" + message + ")");
    }
    List<String> out = new ArrayList<>();
    if (typed instanceof GenericKubernetesResource g) {
      unknownFields(g.getMetadata(), "metadata", out, new IdentityHashMap<>());
    } else {
      unknownFields(typed, "", out, new IdentityHashMap<>());
      // A text the model read as nothing (Strimzi reads an unknown enum constant as null, where
      // the API server's schema refuses it): present in the object, gone after the round trip.
      dropped(mapper.valueToTree(raw), mapper.valueToTree(typed), "", out);
    }
    return out;
  }

  private static void dropped(JsonNode in, JsonNode out, String path, List<String> problems) {
    if (in.isObject()) {
      in.fields()
          .forEachRemaining(
              e -> {
                JsonNode v = e.getValue();
                if (v.isNull() || (v.isContainerNode() && v.isEmpty())) {
                  return;
                }
                String p = join(path, e.getKey());
                JsonNode o = out.get(e.getKey());
                if (o == null || o.isNull()) {
                  // Only text: false and 0 are left out of the output as defaults, text never.
                  if (v.isTextual()) {
                    problems.add("malformed: " + p + ": the model does not accept the value " + v);
                  }
                } else {
                  dropped(v, o, p, problems);
                }
              });
    } else if (in.isArray() && out.isArray()) {
      for (int i = 0; i < in.size() && i < out.size(); i++) {
        dropped(in.get(i), out.get(i), path + "[" + i + "]", problems);
      }
    }
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  private void unknownFields(
      Object o, String path, List<String> out, IdentityHashMap<Object, Boolean> seen) {
    if (o == null
        || o instanceof String
        || o instanceof Number
        || o instanceof Boolean
        || o instanceof Enum
        || o instanceof Quantity
        || o instanceof IntOrString
        || seen.put(o, Boolean.TRUE) != null) {
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> unknownFields(v, join(path, String.valueOf(k)), out, seen));
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object item : c) {
        unknownFields(item, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    String cls = o.getClass().getName();
    if (!cls.startsWith("io.fabric8.") && !cls.startsWith("io.strimzi.")) {
      return;
    }
    try {
      Method m = o.getClass().getMethod("getAdditionalProperties");
      Object extra = m.invoke(o);
      if (extra instanceof Map<?, ?> em && !em.isEmpty()) {
        for (Object key : ((Map<Object, Object>) em).keySet()) {
          out.add("malformed: unknown field " + join(path, String.valueOf(key)));
        }
      }
    } catch (NoSuchMethodException e) {
      // a model class without the catch-all map
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    BeanDescription bd =
        mapper.getSerializationConfig().introspect(mapper.constructType(o.getClass()));
    for (BeanPropertyDefinition p : bd.findProperties()) {
      AnnotatedMember accessor = p.getAccessor();
      if (accessor == null || p.getName().equals("additionalProperties")) {
        continue;
      }
      Object value;
      try {
        value = accessor.getValue(o);
      } catch (RuntimeException e) {
        continue;
      }
      unknownFields(value, join(path, p.getName()), out, seen);
    }
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** A quantity's amount (cores or bytes), or null when it is no quantity. */
  static java.math.BigDecimal amount(Object q) {
    if (q == null) {
      return null;
    }
    try {
      return new Quantity(String.valueOf(q)).getNumericalAmount();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
