package dev.him.requests.disclosure;

/** Where an entry of the ledger came from. */
public enum DisclosureSource {
  /** Written by the release of a request in this service. */
  RELEASE,
  /**
   * Entered by hand for a disclosure made elsewhere (a public-health report, an oversight audit).
   */
  MANUAL
}
