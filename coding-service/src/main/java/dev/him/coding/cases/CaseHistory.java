package dev.him.coding.cases;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The case history: one row per thing done to a case, never changed afterwards. */
@ApplicationScoped
public class CaseHistory {
  @Inject Sql sql;

  public void add(UUID caseId, String actor, String action, String reason, String detail) {
    sql.update(
        "insert into coding_case_history (case_id, at, actor, action, reason, detail)"
            + " values (?, ?, ?, ?, ?, ?)",
        caseId,
        Instant.now(),
        actor,
        action,
        reason,
        detail);
  }

  public List<HistoryEntry> of(UUID caseId) {
    return sql.list(
        "select at, actor, action, reason, detail from coding_case_history where case_id = ?"
            + " order by id",
        rs ->
            new HistoryEntry(
                Sql.instant(rs, "at"),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("reason"),
                rs.getString("detail")),
        caseId);
  }
}
