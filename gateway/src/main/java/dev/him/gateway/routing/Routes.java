package dev.him.gateway.routing;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

/** Where each service lives (HIM_ROUTES_RECORDS=http://records:8081 and so on). */
@ConfigMapping(prefix = "him.routes")
public interface Routes {
  String records();

  String coding();

  String requests();

  String audit();

  /** The owning service's base URL for a path, if the gateway routes it. */
  default Optional<String> target(String path) {
    if (path.startsWith("/fhir/r4/AuditEvent")) return Optional.of(audit());
    // terminology ($lookup, $validate-code, $expand) is served from the code sets
    if (isType(path, "CodeSystem") || isType(path, "ValueSet")) return Optional.of(coding());
    // every other FHIR type, and transaction bundles at the base, belong to the record
    if (path.equals("/fhir/r4") || path.startsWith("/fhir/r4/")) return Optional.of(records());
    if (path.startsWith("/api/records/")) return Optional.of(records());
    if (path.startsWith("/api/coding/")) return Optional.of(coding());
    if (path.startsWith("/api/requests/")) return Optional.of(requests());
    if (path.startsWith("/api/audit/")) return Optional.of(audit());
    return Optional.empty();
  }

  /** /fhir/r4/{type}, or anything below it (/fhir/r4/{type}/$lookup), but not /fhir/r4/{type}X. */
  private static boolean isType(String path, String type) {
    String base = "/fhir/r4/" + type;
    return path.equals(base) || path.startsWith(base + "/");
  }

  default Map<String, String> all() {
    return Map.of(
        "records-service", records(),
        "coding-service", coding(),
        "requests-service", requests(),
        "audit-service", audit());
  }
}
