package dev.him.coding.cases;

import java.util.List;

/**
 * Where a case is in its work flow. open: nobody saved codes yet; in-progress: a draft is saved;
 * on-hold: a physician query is open (the status before returns when none is left); reopened: a
 * final case opened again with a reason, until it is finalized anew; final: coded and published.
 */
public final class CaseStatus {
  public static final String OPEN = "open";
  public static final String IN_PROGRESS = "in-progress";
  public static final String ON_HOLD = "on-hold";
  public static final String REOPENED = "reopened";
  public static final String FINAL = "final";

  public static final List<String> ALL = List.of(OPEN, IN_PROGRESS, ON_HOLD, REOPENED, FINAL);
  public static final List<String> NOT_FINAL = List.of(OPEN, IN_PROGRESS, ON_HOLD, REOPENED);

  private CaseStatus() {}
}
