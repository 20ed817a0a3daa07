package dev.him.records.fhir;

/**
 * A searchset Bundle assembled as text around the stored JSON of each resource: the stored JSON is
 * already what the client gets, and parsing it into HAPI objects only to write it out again was the
 * largest CPU cost of a search.
 */
public final class SearchsetJson {
  private final StringBuilder json = new StringBuilder(4096);
  private boolean empty = true;

  public SearchsetJson(long total, String self, String next) {
    json.append("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":")
        .append(total)
        .append(",\"link\":[{\"relation\":\"self\",\"url\":")
        .append(quote(self))
        .append('}');
    if (next != null) {
      json.append(",{\"relation\":\"next\",\"url\":").append(quote(next)).append('}');
    }
    json.append("],\"entry\":[");
  }

  public SearchsetJson match(String fullUrl, String resourceJson) {
    return entry(fullUrl, resourceJson, "match");
  }

  public SearchsetJson include(String fullUrl, String resourceJson) {
    return entry(fullUrl, resourceJson, "include");
  }

  /** An entry given whole (e.g. an OperationOutcome with search.mode outcome). */
  public SearchsetJson raw(String entryJson) {
    separate();
    json.append(entryJson);
    return this;
  }

  public String build() {
    return json + "]}";
  }

  private SearchsetJson entry(String fullUrl, String resourceJson, String mode) {
    separate();
    json.append("{\"fullUrl\":")
        .append(quote(fullUrl))
        .append(",\"resource\":")
        .append(resourceJson)
        .append(",\"search\":{\"mode\":\"")
        .append(mode)
        .append("\"}}");
    return this;
  }

  private void separate() {
    if (!empty) json.append(',');
    empty = false;
  }

  public static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
