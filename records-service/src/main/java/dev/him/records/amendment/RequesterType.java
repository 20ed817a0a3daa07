package dev.him.records.amendment;

/** Who asks for the amendment: the individual, or someone with authority to act for them. */
public enum RequesterType {
  INDIVIDUAL,
  /** Parent, guardian, health care proxy, executor: the relationship is then required. */
  PERSONAL_REPRESENTATIVE
}
