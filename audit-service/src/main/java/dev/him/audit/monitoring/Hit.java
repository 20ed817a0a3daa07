package dev.him.audit.monitoring;

import java.util.Map;

/**
 * A rule that fired on an access to one patient, with its evidence (identifiers and counts only).
 */
public record Hit(Rule rule, String patientId, Map<String, Object> evidence) {}
