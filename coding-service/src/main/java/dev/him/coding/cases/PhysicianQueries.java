package dev.him.coding.cases;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Coder questions to the physician. An open query puts the case on hold (finalize is refused); when
 * the last open one is answered or withdrawn the case returns to the status it had. A query goes
 * open, then answered, then closed; or open, then withdrawn.
 */
@ApplicationScoped
public class PhysicianQueries {
  static final String OPEN = "open";
  static final String ANSWERED = "answered";
  static final String CLOSED = "closed";
  static final String WITHDRAWN = "withdrawn";

  @Inject Sql sql;
  @Inject CaseStore store;
  @Inject CaseHistory history;
  @Inject AccessRecorder access;
  @Inject RequestContext request;

  public List<QueryView> of(UUID caseId) {
    return sql.list(
        "select * from coding_query where case_id = ? order by asked_at, id",
        PhysicianQueries::read,
        caseId);
  }

  @Transactional
  public List<QueryView> list(UUID caseId) {
    CaseRow row = store.find(caseId).orElseThrow(() -> CaseStore.notFound(caseId));
    access.success(
        AccessAction.READ,
        CaseService.RESOURCE,
        caseId.toString(),
        List.of(row.patientId()),
        "queries");
    return of(caseId);
  }

  @Transactional
  public QueryView ask(UUID caseId, String question, String toPractitioner) {
    CaseRow row = store.lock(caseId);
    if (row.isFinal()) {
      throw CaseStore.conflict(
          "Case " + caseId + " is final: reopen it before querying the physician");
    }
    UUID id = UUID.randomUUID();
    sql.update(
        "insert into coding_query (id, case_id, question, to_practitioner, status, asked_by,"
            + " asked_at) values (?, ?, ?, ?, 'open', ?, ?)",
        id,
        caseId,
        question,
        toPractitioner,
        actor(),
        now());
    if (!CaseStatus.ON_HOLD.equals(row.status())) {
      sql.update(
          "update coding_case set held_status = status, status = 'on-hold', version = version + 1"
              + " where id = ?",
          caseId);
    }
    history.add(
        caseId,
        actor(),
        "query-opened",
        null,
        "to Practitioner/" + toPractitioner + ": " + question);
    access.success(
        AccessAction.UPDATE,
        CaseService.RESOURCE,
        caseId.toString(),
        List.of(row.patientId()),
        "physician query");
    return find(caseId, id);
  }

  @Transactional
  public QueryView answer(UUID caseId, UUID queryId, String answer) {
    CaseRow row = store.lock(caseId);
    QueryView q = find(caseId, queryId);
    if (!OPEN.equals(q.status())) {
      throw CaseStore.conflict(
          "Query " + queryId + " is " + q.status() + ": only an open query is answered");
    }
    sql.update(
        "update coding_query set status = 'answered', answer = ?, answered_by = ?, answered_at = ?"
            + " where id = ?",
        answer,
        actor(),
        now(),
        queryId);
    releaseHold(row);
    history.add(caseId, actor(), "query-answered", null, answer);
    access.success(
        AccessAction.UPDATE,
        CaseService.RESOURCE,
        caseId.toString(),
        List.of(row.patientId()),
        "query answered");
    return find(caseId, queryId);
  }

  @Transactional
  public QueryView close(UUID caseId, UUID queryId) {
    CaseRow row = store.lock(caseId);
    QueryView q = find(caseId, queryId);
    if (!ANSWERED.equals(q.status())) {
      throw CaseStore.conflict(
          "Query "
              + queryId
              + " is "
              + q.status()
              + ": only an answered query is closed (withdraw an open one)");
    }
    sql.update(
        "update coding_query set status = 'closed', closed_by = ?, closed_at = ? where id = ?",
        actor(),
        now(),
        queryId);
    history.add(caseId, actor(), "query-closed", null, null);
    access.success(
        AccessAction.UPDATE,
        CaseService.RESOURCE,
        caseId.toString(),
        List.of(row.patientId()),
        "query closed");
    return find(caseId, queryId);
  }

  @Transactional
  public QueryView withdraw(UUID caseId, UUID queryId, String reason) {
    CaseRow row = store.lock(caseId);
    QueryView q = find(caseId, queryId);
    if (!OPEN.equals(q.status())) {
      throw CaseStore.conflict(
          "Query " + queryId + " is " + q.status() + ": only an open query is withdrawn");
    }
    sql.update(
        "update coding_query set status = 'withdrawn', closed_by = ?, closed_at = ?,"
            + " close_reason = ? where id = ?",
        actor(),
        now(),
        reason,
        queryId);
    releaseHold(row);
    history.add(caseId, actor(), "query-withdrawn", reason, null);
    access.success(
        AccessAction.UPDATE,
        CaseService.RESOURCE,
        caseId.toString(),
        List.of(row.patientId()),
        "query withdrawn");
    return find(caseId, queryId);
  }

  /** Back to the status before the hold once no query is open. */
  private void releaseHold(CaseRow row) {
    if (CaseStatus.ON_HOLD.equals(row.status()) && store.openQueries(row.id()) == 0) {
      sql.update(
          "update coding_case set status = coalesce(held_status, 'in-progress'),"
              + " held_status = null, version = version + 1 where id = ?",
          row.id());
    }
  }

  private QueryView find(UUID caseId, UUID queryId) {
    return sql.one(
            "select * from coding_query where case_id = ? and id = ?",
            PhysicianQueries::read,
            caseId,
            queryId)
        .orElseThrow(
            () ->
                ProblemException.notFound(
                    "Query " + queryId + " is not a query of coding case " + caseId));
  }

  private static QueryView read(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new QueryView(
        rs.getObject("id", UUID.class),
        rs.getObject("case_id", UUID.class),
        rs.getString("question"),
        rs.getString("to_practitioner"),
        rs.getString("status"),
        rs.getString("asked_by"),
        Sql.instant(rs, "asked_at"),
        rs.getString("answer"),
        rs.getString("answered_by"),
        Sql.instant(rs, "answered_at"),
        rs.getString("closed_by"),
        Sql.instant(rs, "closed_at"),
        rs.getString("close_reason"));
  }

  private String actor() {
    return request.actor().username();
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
