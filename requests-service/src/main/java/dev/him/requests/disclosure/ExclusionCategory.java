package dev.him.requests.disclosure;

/**
 * The disclosures 45 CFR 164.528(a)(1) leaves out of the accounting given to the individual. They
 * are still written to the ledger, with the category, so the record of disclosures is complete.
 */
public enum ExclusionCategory {
  TREATMENT_PAYMENT_OPERATIONS(
      "To carry out treatment, payment or health care operations (164.528(a)(1)(i))"),
  TO_INDIVIDUAL("To the individual about themselves (164.528(a)(1)(ii))"),
  INCIDENTAL("Incident to an otherwise permitted use or disclosure (164.528(a)(1)(iii))"),
  AUTHORIZATION("Under the individual's authorization, 164.508 (164.528(a)(1)(iv))"),
  FACILITY_DIRECTORY_OR_INVOLVED_PERSONS(
      "For the facility directory or to persons involved in the individual's care, 164.510"
          + " (164.528(a)(1)(v))"),
  NATIONAL_SECURITY("For national security or intelligence purposes (164.528(a)(1)(vi))"),
  CORRECTIONAL_CUSTODY(
      "To a correctional institution or law enforcement official having custody"
          + " (164.528(a)(1)(vii))"),
  LIMITED_DATA_SET("As part of a limited data set, 164.514(e) (164.528(a)(1)(viii))"),
  BEFORE_COMPLIANCE_DATE("Made before the compliance date, 14 April 2003 (164.528(a)(1)(ix))");

  private final String reason;

  ExclusionCategory(String reason) {
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
