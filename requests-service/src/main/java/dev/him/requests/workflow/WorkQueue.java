package dev.him.requests.workflow;

import dev.him.common.access.AccessRecorder;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.roi.RequestType;
import dev.him.requests.roi.RequesterType;
import dev.him.requests.roi.RoiRequest;
import dev.him.requests.roi.RoiStatus;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The technicians' work queue: requests by due date, oldest first, filtered by status, due state,
 * basis and patient. Uses the roi_request_queue_* indexes (V3). The page names patients, so the
 * search is recorded as an access event naming every patient shown.
 */
@ApplicationScoped
public class WorkQueue {
  public static final int MAX_COUNT = 100;

  /** The assignee filter value for requests nobody is working on. */
  public static final String UNASSIGNED = "unassigned";

  static final List<RoiStatus> FINAL =
      List.of(RoiStatus.RELEASED, RoiStatus.DENIED, RoiStatus.CANCELLED);

  @Inject AccessRecorder access;
  @Inject Deadlines deadlines;

  @Transactional
  public QueuePage page(
      List<String> statuses,
      String dueState,
      String requestType,
      String patientId,
      String assignee,
      int count,
      int offset) {
    if (count < 1 || count > MAX_COUNT) {
      throw ProblemException.badRequest("count", "must be between 1 and " + MAX_COUNT);
    }
    if (offset < 0) {
      throw ProblemException.badRequest("offset", "must not be negative");
    }
    LocalDate today = LocalDate.now();
    StringBuilder where = new StringBuilder("1 = 1");
    Map<String, Object> params = new HashMap<>();
    List<RoiStatus> wanted = new ArrayList<>();
    for (String s : statuses == null ? List.<String>of() : statuses) {
      for (String one : s.split(",")) {
        if (!one.isBlank()) {
          wanted.add(parse(RoiStatus.class, one.strip(), "status"));
        }
      }
    }
    if (!wanted.isEmpty()) {
      where.append(" and status in :statuses");
      params.put("statuses", wanted);
    }
    if (requestType != null && !requestType.isBlank()) {
      where.append(" and requestType = :type");
      params.put("type", parse(RequestType.class, requestType.strip(), "requestType"));
    }
    if (patientId != null && !patientId.isBlank()) {
      where.append(" and patientId = :patientId");
      params.put("patientId", patientId.strip());
    }
    if (assignee != null && !assignee.isBlank()) {
      if (UNASSIGNED.equalsIgnoreCase(assignee.strip())) {
        where.append(" and assignee is null");
      } else {
        where.append(" and assignee = :assignee");
        params.put("assignee", assignee.strip());
      }
    }
    if (dueState != null && !dueState.isBlank()) {
      DueState state =
          DueState.parse(dueState.strip())
              .orElseThrow(
                  () -> ProblemException.badRequest("dueState", "must be due, at-risk or overdue"));
      // Final requests are never due, at risk or overdue.
      where.append(" and status not in :final");
      params.put("final", FINAL);
      params.put("today", today);
      switch (state) {
        case DUE -> where.append(" and dueOn >= :today");
        case AT_RISK -> {
          where.append(" and dueOn >= :today and dueOn <= :riskEnd");
          params.put("riskEnd", today.plusDays(deadlines.atRiskDays()));
        }
        case OVERDUE -> where.append(" and dueOn < :today");
      }
    }
    PanacheQuery<RoiRequest> query =
        RoiRequest.find(where.toString(), Sort.by("dueOn").and("id"), params);
    long total = query.count();
    List<QueuePage.Item> items = page(where.toString(), params, offset, count, today);
    access.success(
        AccessAction.SEARCH,
        WorkflowService.RESOURCE_TYPE,
        "work-queue",
        items.stream()
            .map(QueuePage.Item::patientId)
            .filter(java.util.Objects::nonNull)
            .distinct()
            .toList(),
        "work queue");
    return new QueuePage(total, offset, count, items);
  }

  /**
   * The page's ids first, then only the columns the queue shows: the ids come from the (due_on, id)
   * indexes alone (index-only scan), so a deep offset skips index entries instead of reading
   * thousands of whole rows, and the page is read without loading entities (their JSON columns,
   * dirty checking at commit). RoiQueueBenchmark measures it.
   */
  private List<QueuePage.Item> page(
      String where, Map<String, Object> params, int offset, int count, LocalDate today) {
    TypedQuery<UUID> ids =
        RoiRequest.getEntityManager()
            .createQuery(
                "select id from RoiRequest where " + where + " order by dueOn, id", UUID.class);
    params.forEach(ids::setParameter);
    List<UUID> page = ids.setFirstResult(offset).setMaxResults(count).getResultList();
    if (page.isEmpty()) {
      return List.of();
    }
    List<Object[]> rows =
        RoiRequest.getEntityManager()
            .createQuery(
                "select id, patientId, requestType, requesterType, requesterName, status,"
                    + " receivedOn, dueOn, extensionRecordedAt, version, assignee"
                    + " from RoiRequest where id in :ids",
                Object[].class)
            .setParameter("ids", page)
            .getResultList();
    Map<UUID, QueuePage.Item> byId = new HashMap<>();
    for (Object[] r : rows) {
      RoiStatus status = (RoiStatus) r[5];
      LocalDate dueOn = (LocalDate) r[7];
      byId.put(
          (UUID) r[0],
          new QueuePage.Item(
              (UUID) r[0],
              (String) r[1],
              (RequestType) r[2],
              (RequesterType) r[3],
              (String) r[4],
              status,
              (LocalDate) r[6],
              dueOn,
              r[8] != null,
              deadlines.dueState(status, dueOn, today),
              (Long) r[9],
              (String) r[10]));
    }
    return page.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
    try {
      return Enum.valueOf(type, value.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E c : type.getEnumConstants()) {
        names.add(c.name());
      }
      throw ProblemException.badRequest(field, "must be one of " + String.join(", ", names));
    }
  }
}
