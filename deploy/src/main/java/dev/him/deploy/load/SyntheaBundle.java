package dev.him.deploy.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A Synthea patient transaction bundle as read from disk, and the identifier values of its Patient.
 * An identifier belongs to one patient, so sending the same bundle twice is refused (409); {@link
 * #withFreshIdentifiers} gives each send its own values and leaves everything else as Synthea wrote
 * it.
 */
record SyntheaBundle(Path file, String json, int entries, List<String> patientIdentifiers) {
  private static final Pattern UUID_SHAPE =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  static SyntheaBundle read(Path file) throws IOException {
    String json = Files.readString(file);
    List<Object> entries = Json.array(Json.object(Json.parse(json)).get("entry"));
    List<String> identifiers = new ArrayList<>();
    for (Object e : entries) {
      Map<String, Object> resource = Json.object(Json.object(e).get("resource"));
      if ("Patient".equals(resource.get("resourceType"))) {
        for (Object id : Json.array(resource.get("identifier"))) {
          String value = Json.string(Json.object(id).get("value"));
          if (value != null && !identifiers.contains(value)) identifiers.add(value);
        }
      }
    }
    return new SyntheaBundle(file, json, entries.size(), identifiers);
  }

  /** The bundle with each Patient identifier value made unique by {@code tag}. */
  String withFreshIdentifiers(String tag) {
    String out = json;
    for (String value : patientIdentifiers) {
      // UUIDs stay UUIDs (the Synthea id and the hospital record number share one)
      String fresh =
          UUID_SHAPE.matcher(value).matches() ? UUID.randomUUID().toString() : value + "-" + tag;
      out = out.replace("\"" + value + "\"", Json.quote(fresh));
    }
    return out;
  }
}
