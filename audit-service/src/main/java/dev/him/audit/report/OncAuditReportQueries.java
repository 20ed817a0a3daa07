package dev.him.audit.report;

import dev.him.audit.settings.AuditSettingsEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ONC (d)(3) report's queries: the access events of the log in a period, with the ASTM E2147
 * type of action and the kind of entry computed in SQL so the report sorts by them too. Filters
 * come from {@link AccessLogQueries}, which leave out domain events (PatientRegistered, ...): each
 * of them repeats an access event of the same change.
 */
@ApplicationScoped
public class OncAuditReportQueries {

  /** ASTM E2147-18 7.2 types of action: additions, deletions, changes, queries, print, copy. */
  static final String ACTION_TYPE =
      "case action when 'CREATE' then 'addition' when 'UPDATE' then 'change'"
          + " when 'DELETE' then 'deletion' when 'READ' then 'query (view)'"
          + " when 'SEARCH' then (case when detail like '"
          + AuditLogReads.EXPORT_DETAIL
          + "%' then 'copy (export)' else 'query (search)' end)"
          + " else lower(action) end";

  /** Changes of the audit settings and audit logging status are entries of their own kind. */
  static final String KIND =
      "case when resource_type = '"
          + AuditSettingsEvents.RESOURCE_TYPE
          + "' and action = 'UPDATE' and source_service = '"
          + AuditSettingsEvents.SERVICE
          + "' then (case when resource_id = '"
          + AuditSettingsEvents.STATUS_KEY
          + "' then 'audit-logging-status' else 'audit-settings-change' end) else 'access' end";

  /** API name of a report column → the SQL it sorts by (a fixed list: nothing else reaches SQL). */
  public static final Map<String, String> SORTS = new LinkedHashMap<>();

  static {
    SORTS.put("dateTime", "occurred_at");
    SORTS.put("kind", KIND);
    SORTS.put("patientIds", "nullif(array_to_string(patient_ids, ' '), '')");
    SORTS.put("user", "actor_username");
    SORTS.put("roles", "nullif(actor_roles, '')");
    SORTS.put("actionType", ACTION_TYPE);
    SORTS.put("action", "action");
    SORTS.put("resourceType", "resource_type");
    SORTS.put("resourceId", "resource_id");
    SORTS.put("outcome", "outcome");
    SORTS.put("client", "actor_client");
    SORTS.put("sourceService", "source_service");
    SORTS.put("purposeOfUse", "purpose_of_use");
  }

  @Inject EntityManager em;

  /** One page; ties broken by the entry's place in its chain, so pages never overlap. */
  public List<OncAuditRow> page(AccessQuery q) {
    List<Object> params = new ArrayList<>();
    String direction = q.descending() ? " desc" : " asc";
    Query sql =
        em.createNativeQuery(
            "select occurred_at, "
                + KIND
                + ", array_to_string(patient_ids, ' '), actor_username, actor_roles, "
                + ACTION_TYPE
                + ", action, resource_type, resource_id, outcome, actor_client, source_service,"
                + " purpose_of_use, detail, event_id from audit_entry"
                + where(q, params)
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
    AccessLogQueries.bind(sql, params);
    List<OncAuditRow> rows = new ArrayList<>();
    for (Object o : sql.getResultList()) {
      Object[] r = (Object[]) o;
      rows.add(
          new OncAuditRow(
              AccessLogQueries.instant(r[0]),
              (String) r[1],
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
              (String) r[13],
              r[14] instanceof UUID u ? u : UUID.fromString(r[14].toString())));
    }
    return rows;
  }

  public long count(AccessQuery q) {
    List<Object> params = new ArrayList<>();
    Query sql = em.createNativeQuery("select count(*) from audit_entry" + where(q, params));
    AccessLogQueries.bind(sql, params);
    return ((Number) sql.getSingleResult()).longValue();
  }

  /** AccessLogQueries' filters, which keep to access events. */
  private static String where(AccessQuery q, List<Object> params) {
    return AccessLogQueries.where(q, params);
  }
}
