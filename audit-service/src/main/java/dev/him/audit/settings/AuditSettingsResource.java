package dev.him.audit.settings;

import dev.him.audit.report.AccessQuery;
import dev.him.audit.report.AuditLogReads;
import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit settings in force and the record of their changes (ONC 170.315(d)(2)). */
@Path("/api/audit/settings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit settings", description = "Audit configuration and the record of its changes")
public class AuditSettingsResource {
  /** The record of changes answers with at most this many, oldest first. */
  static final int MAX_CHANGES = 5_000;

  private static final Set<String> KNOWN = Set.of("from", "to", "key");

  @Inject EffectiveSettings settings;
  @Inject SettingsChangeLog changes;
  @Inject AuditLogReads reads;
  @Context UriInfo uri;

  /** One setting; a secret's value is "(redacted)". */
  public record SettingValue(String key, String value, boolean secret, String source) {}

  public record Settings(List<SettingValue> settings) {}

  /** The changes in the period; truncated when more matched than listed. */
  public record Changes(
      Instant from, Instant to, long total, boolean truncated, List<SettingsChange> changes) {}

  @GET
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN})
  @Operation(
      summary = "The audit settings in force",
      description =
          "Every him.audit.* configuration property with its value and source; values of"
              + " properties whose name contains password, secret or key are \"(redacted)\"."
              + " Roles: privacy-officer, him-admin.")
  @APIResponse(responseCode = "200", description = "{settings: [{key, value, secret, source}]}")
  public Settings current() {
    List<SettingValue> out = new ArrayList<>();
    settings
        .read()
        .forEach(
            (key, s) ->
                out.add(
                    new SettingValue(
                        key,
                        EffectiveSettings.shown(key, s.value()),
                        EffectiveSettings.isSecret(key),
                        s.source())));
    return new Settings(out);
  }

  @GET
  @Path("changes")
  @Transactional
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN})
  @AuditedAccess(resourceType = AuditSettingsEvents.RESOURCE_TYPE, action = AccessAction.SEARCH)
  @Operation(
      summary = "The record of changes to the audit settings",
      description =
          "Every setting added, changed or removed (kind setting, with old and new value; secrets"
              + " redacted) and every start and clean stop of audit logging (kind status, key"
              + " audit-logging-status), oldest first. from and to: a day (to included) or an"
              + " instant, both optional; key: one setting. At most 5,000 (truncated). Roles:"
              + " privacy-officer, him-admin.")
  @APIResponse(responseCode = "200", description = "{from, to, total, truncated, changes}")
  @APIResponse(responseCode = "400", description = "A parameter is wrong (problem+json naming it)")
  public Changes changes() {
    var q = uri.getQueryParameters();
    List<InvalidParam> problems = new ArrayList<>();
    q.keySet().stream()
        .filter(k -> !KNOWN.contains(k))
        .forEach(k -> problems.add(new InvalidParam(k, "is not a filter of the settings changes")));
    Instant from = AccessQuery.instant(q.getFirst("from"), "from", false, problems);
    Instant to = AccessQuery.instant(q.getFirst("to"), "to", true, problems);
    if (from != null && to != null && !from.isBefore(to)) {
      problems.add(new InvalidParam("to", "must be after from"));
    }
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid query", "The settings query is wrong", problems);
    }
    String key =
        q.getFirst("key") == null || q.getFirst("key").isBlank() ? null : q.getFirst("key").strip();
    long total = changes.count(from, to, key);
    List<SettingsChange> list = changes.between(from, to, key, MAX_CHANGES);
    reads.read(AccessAction.SEARCH, AuditSettingsEvents.RESOURCE_TYPE, "audit settings changes", q);
    return new Changes(from, to, total, total > list.size(), list);
  }
}
