package dev.him.audit.report;

import dev.him.audit.log.AuditEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Runs the privacy officer's queries on the access log (indexes: patients, time, user). */
@ApplicationScoped
public class AccessLogQueries {
  @Inject EntityManager em;

  /** One page in the asked order; ties broken by chain position so pages never overlap. */
  public List<AccessRow> page(AccessQuery q) {
    List<Object> params = new ArrayList<>();
    String where = accessesOnly(q, params);
    String direction = q.descending() ? " desc" : " asc";
    Query sql =
        em.createNativeQuery(
            "select cast(event_id as text), occurred_at, actor_username, actor_roles, actor_client, action, outcome,"
                + " purpose_of_use, resource_type, resource_id,"
                + " array_to_string(patient_ids, ' '), source_service, correlation_id, detail"
                + " from audit_entry"
                + where
                + " order by "
                + q.sortColumn()
                + direction
                + " nulls last, chain_id"
                + direction
                + ", seq"
                + direction
                + " limit "
                + q.count()
                + " offset "
                + q.offset());
    bind(sql, params);
    List<AccessRow> rows = new ArrayList<>();
    for (Object o : sql.getResultList()) {
      Object[] r = (Object[]) o;
      rows.add(
          new AccessRow(
              (String) r[0],
              instant(r[1]),
              (String) r[2],
              (String) r[3],
              (String) r[4],
              (String) r[5],
              (String) r[6],
              (String) r[7],
              (String) r[8],
              (String) r[9],
              (String) r[10],
              (String) r[11],
              (String) r[12],
              (String) r[13]));
    }
    return rows;
  }

  public long count(AccessQuery q) {
    List<Object> params = new ArrayList<>();
    Query sql = em.createNativeQuery("select count(*) from audit_entry" + accessesOnly(q, params));
    bind(sql, params);
    return ((Number) sql.getSingleResult()).longValue();
  }

  /**
   * The privacy office's own reviews of the log (audit-service's audited reads, and its settings
   * changes) are in the log and in the ONC report, but not in "who accessed this record": else
   * every look at a patient's trail would add to it. Name a resourceType (AuditEvent) to see them.
   */
  private static String accessesOnly(AccessQuery q, List<Object> params) {
    String where = where(q, params);
    return q.resourceType() == null
        ? where + " and source_service is distinct from 'audit-service'"
        : where;
  }

  static String where(AccessQuery q, List<Object> params) {
    // Accesses only: domain events are in the log too, but they are not someone reading a record.
    List<String> terms = new ArrayList<>(List.of("event_type = 'AccessEvent'"));
    if (q.patient() != null) {
      params.add(q.patient());
      terms.add("patient_ids @> array[cast(?" + params.size() + " as text)]");
    }
    add(terms, params, "actor_username = ?", q.user());
    add(terms, params, "occurred_at >= ?", q.from() == null ? null : Timestamp.from(q.from()));
    add(terms, params, "occurred_at < ?", q.to() == null ? null : Timestamp.from(q.to()));
    in(terms, params, "action", q.actions());
    in(terms, params, "outcome", q.outcomes());
    add(terms, params, "actor_client = ?", q.client());
    add(terms, params, "resource_type = ?", q.resourceType());
    return " where " + String.join(" and ", terms);
  }

  private static void add(List<String> terms, List<Object> params, String term, Object value) {
    if (value != null) {
      params.add(value);
      terms.add(term + params.size());
    }
  }

  private static void in(
      List<String> terms, List<Object> params, String column, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    List<String> marks = new ArrayList<>();
    for (String v : values) {
      params.add(v);
      marks.add("?" + params.size());
    }
    terms.add(column + " in (" + String.join(", ", marks) + ")");
  }

  /** The same page as whole entries (for the FHIR AuditEvent search). */
  @SuppressWarnings("unchecked")
  public List<AuditEntry> entries(AccessQuery q) {
    List<Object> params = new ArrayList<>();
    String direction = q.descending() ? " desc" : " asc";
    Query sql =
        em.createNativeQuery(
            "select * from audit_entry"
                + accessesOnly(q, params)
                + " order by "
                + q.sortColumn()
                + direction
                + " nulls last, chain_id"
                + direction
                + ", seq"
                + direction
                + " limit "
                + q.count()
                + " offset "
                + q.offset(),
            AuditEntry.class);
    bind(sql, params);
    return sql.getResultList();
  }

  static void bind(Query sql, List<Object> params) {
    for (int i = 0; i < params.size(); i++) {
      sql.setParameter(i + 1, params.get(i));
    }
  }

  static Instant instant(Object v) {
    if (v instanceof Instant i) {
      return i;
    }
    if (v instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    return ((Timestamp) v).toInstant();
  }
}
