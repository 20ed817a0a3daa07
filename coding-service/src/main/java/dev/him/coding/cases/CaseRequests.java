package dev.him.coding.cases;

/** The small request bodies of the case API. */
public final class CaseRequests {
  private CaseRequests() {}

  /**
   * @param assignee user name; omitted or null: the caller takes the case
   */
  public record Assign(String assignee) {}

  /** A reason: required to reopen; optional to withdraw a query. */
  public record Reason(String reason) {}

  /**
   * @param toPractitioner the Practitioner id the question goes to
   */
  public record Ask(String question, String toPractitioner) {}

  public record Answer(String answer) {}

  /**
   * @param grouper the grouper's name and version, shown as the DRG's source
   */
  public record GroupedDrg(String msDrg, String grouper) {}
}
