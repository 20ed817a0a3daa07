package dev.him.records.deficiency;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The deficiency rules, read at startup from a JSON file (comments allowed): by default
 * deficiency-rules.json on the classpath, or the file {@code him.deficiency.rules} names. A rule is
 * data: code, description, severity, the encounter classes it applies to, a kind (one evaluator per
 * kind) and that kind's parameters. A file with a mistake stops the service at startup with the
 * rule and field named, rather than judging charts by half a rule book.
 */
@Startup
@ApplicationScoped
public class RuleBook {
  static final Set<String> SEVERITIES = Set.of("high", "medium", "low");
  private static final Set<String> FIELDS =
      Set.of("code", "description", "severity", "appliesTo", "kind", "parameters", "enabled");

  /** "classpath:name" or a file path. */
  @ConfigProperty(name = "him.deficiency.rules", defaultValue = "classpath:deficiency-rules.json")
  String location;

  /** Rule codes switched off without editing the file. */
  @ConfigProperty(name = "him.deficiency.disabled-rules")
  Optional<Set<String>> disabled;

  private List<Rule> rules = List.of();

  @PostConstruct
  void load() {
    try (InputStream in = open(location)) {
      List<Rule> parsed = parse(in, location);
      Set<String> off = disabled.orElse(Set.of());
      for (String code : off) {
        if (parsed.stream().noneMatch(r -> r.code().equals(code))) {
          throw new IllegalArgumentException(
              "him.deficiency.disabled-rules names " + code + ", which " + location + " lacks");
        }
      }
      rules =
          parsed.stream()
              .map(
                  r ->
                      off.contains(r.code())
                          ? new Rule(
                              r.code(),
                              r.description(),
                              r.severity(),
                              r.appliesTo(),
                              r.kind(),
                              r.check(),
                              false)
                          : r)
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the deficiency rules at " + location, e);
    }
  }

  /** The rules that judge charts. */
  public List<Rule> active() {
    return rules.stream().filter(Rule::enabled).toList();
  }

  /** Any rule of the file, switched on or off (to describe deficiencies it opened). */
  public Optional<Rule> byCode(String code) {
    return rules.stream().filter(r -> r.code().equals(code)).findFirst();
  }

  private static InputStream open(String location) throws IOException {
    if (location.startsWith("classpath:")) {
      String name = location.substring("classpath:".length());
      InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name);
      if (in == null) {
        throw new IllegalArgumentException("deficiency rules " + location + " not found");
      }
      return in;
    }
    return Files.newInputStream(Path.of(location));
  }

  /** Reads and checks a rules file; IllegalArgumentException names the rule and field at fault. */
  static List<Rule> parse(InputStream in, String source) throws IOException {
    ObjectMapper json =
        new ObjectMapper()
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    JsonNode root = json.readTree(in);
    if (root == null || !root.path("rules").isArray()) {
      throw new IllegalArgumentException(source + ": a \"rules\" array is required");
    }
    List<Rule> out = new ArrayList<>();
    Set<String> codes = new HashSet<>();
    int i = 0;
    for (JsonNode node : root.get("rules")) {
      String where = source + ": rules[" + i++ + "]";
      if (!node.isObject()) {
        throw new IllegalArgumentException(where + " must be an object");
      }
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!FIELDS.contains(name)) {
          throw new IllegalArgumentException(where + "." + name + " is not a rule field");
        }
      }
      String code = text(node, "code", where);
      if (!code.matches("[a-z0-9][a-z0-9-]{0,63}")) {
        throw new IllegalArgumentException(
            where + ".code must be lower-case letters, digits and dashes (at most 64)");
      }
      if (!codes.add(code)) {
        throw new IllegalArgumentException(where + ".code " + code + " appears twice");
      }
      where = source + ": rule " + code;
      String description = text(node, "description", where);
      String severity = text(node, "severity", where);
      if (!SEVERITIES.contains(severity)) {
        throw new IllegalArgumentException(where + ".severity must be one of " + SEVERITIES);
      }
      Set<String> appliesTo = new LinkedHashSet<>();
      JsonNode classes = node.path("appliesTo");
      if (!classes.isMissingNode()) {
        if (!classes.isArray()) {
          throw new IllegalArgumentException(where + ".appliesTo must be a list of classes");
        }
        classes.forEach(c -> appliesTo.add(c.asText()));
      }
      String kind = text(node, "kind", where);
      Class<? extends Check> type = Check.KINDS.get(kind);
      if (type == null) {
        throw new IllegalArgumentException(
            where + ".kind " + kind + " is unknown; known kinds: " + Check.KINDS.keySet());
      }
      JsonNode parameters = node.path("parameters");
      if (parameters.isMissingNode() || parameters.isNull()) {
        parameters = json.createObjectNode();
      }
      if (!(parameters instanceof ObjectNode)) {
        throw new IllegalArgumentException(where + ".parameters must be an object");
      }
      Check check;
      try {
        check = json.treeToValue(parameters, type);
        check.validate();
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ".parameters: " + firstLine(e.getMessage()), e);
      }
      boolean enabled = !node.has("enabled") || node.get("enabled").asBoolean(true);
      out.add(new Rule(code, description, severity, Set.copyOf(appliesTo), kind, check, enabled));
    }
    return List.copyOf(out);
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + "." + field + " is required");
    }
    return v.asText();
  }

  private static String firstLine(String message) {
    if (message == null) return "invalid";
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
