package dev.him.audit.settings;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.UUID;

/**
 * One recorded change: a setting added, changed or removed (kind "setting"), or audit logging
 * started or stopped (kind "status", key audit-logging-status). Secrets appear only as "(redacted)"
 * / "(redacted, changed)". id is also the event id of its entry in the log.
 */
@JsonPropertyOrder({
  "changedAt",
  "kind",
  "key",
  "oldValue",
  "newValue",
  "changedBy",
  "source",
  "id"
})
public record SettingsChange(
    Instant changedAt,
    String kind,
    String key,
    String oldValue,
    String newValue,
    String changedBy,
    String source,
    UUID id) {}
