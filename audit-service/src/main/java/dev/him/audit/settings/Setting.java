package dev.him.audit.settings;

/**
 * One effective audit setting as read from the configuration: the raw value (kept in memory only; a
 * secret's value is never stored or shown) and the configuration source it came from.
 */
public record Setting(String value, String source) {}
