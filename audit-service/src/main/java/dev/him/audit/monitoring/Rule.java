package dev.him.audit.monitoring;

/** The privacy rules; each can be switched off under him.audit.monitoring.{kebab-name}. */
public enum Rule {
  SAME_SURNAME,
  SAME_ADDRESS,
  VIP,
  DECEASED,
  NO_TREATMENT_RELATIONSHIP,
  BREAK_THE_GLASS,
  UNUSUAL_VOLUME,
  OUTSIDE_HOURS,
  SELF_ACCESS
}
