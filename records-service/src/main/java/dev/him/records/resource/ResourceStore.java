package dev.him.records.resource;

import ca.uhn.fhir.context.RuntimeResourceDefinition;
import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.records.encounter.RecordChecks;
import dev.him.records.fhir.FhirParser;
import dev.him.records.privacy.SensitiveRecords;
import dev.him.records.privacy.TreatmentRelationships;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Stores FHIR resources other than Patient: each create or update is a new version, indexed for
 * search, with the access recorded against the patient it belongs to.
 */
@ApplicationScoped
public class ResourceStore {
  /** Types served elsewhere or by their own endpoints. */
  static final Set<String> NOT_STORED_HERE =
      Set.of("Patient", "AuditEvent", "Bundle", "OperationOutcome");

  @Inject EntityManager em;
  @Inject FhirParser fhir;
  @Inject AccessRecorder access;
  @Inject RequestContext request;
  @Inject Event<ResourceChanged> changes;
  @Inject Event<DeletionRequested> deletions;
  @Inject SensitiveRecords sensitive;
  @Inject TreatmentRelationships care;
  @Inject RecordChecks checks;

  public record Stored(String type, String id, int versionId, String patientId, String json) {}

  /** The HAPI class for a type name, or 404 for a type this server does not keep. */
  public Class<? extends IBaseResource> typeOf(String type) {
    if (NOT_STORED_HERE.contains(type)) {
      throw ProblemException.notFound("Resource type " + type + " is not served at this path");
    }
    try {
      RuntimeResourceDefinition def = fhir.context().getResourceDefinition(type);
      if (!def.getName().equals(type)) {
        throw new ca.uhn.fhir.parser.DataFormatException(type);
      }
      return def.getImplementingClass();
    } catch (ca.uhn.fhir.parser.DataFormatException e) {
      throw ProblemException.notFound("Unknown FHIR R4 resource type " + type);
    }
  }

  @Transactional
  public Stored create(Resource resource) {
    return create(resource, UUID.randomUUID().toString());
  }

  @Transactional
  public Stored create(Resource resource, String id) {
    Stored stored = insert(resource, id);
    access.success(AccessAction.CREATE, stored.type(), stored.id(), patients(stored), null);
    checks.afterWrites();
    return stored;
  }

  /** Inserts with a given id, without recording access (bundles record one event for all). */
  @Transactional(Transactional.TxType.MANDATORY)
  public Stored insert(Resource resource, String id) {
    String type = resource.fhirType();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    resource.setId(id);
    // the server owns version and time; labels, tags and profiles the sender set are kept
    resource.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
    String patient = SearchIndexer.patientOf(resource);
    String json = fhir.write(resource);
    String author = request.actor().username();
    em.createNativeQuery(
            "insert into fhir_resource (resource_type, id, version_id, patient_id, resource,"
                + " last_updated, updated_by, sensitive_categories)"
                + " values (?1, ?2, 1, cast(?3 as varchar), cast(?4 as jsonb), ?5, ?6, cast(?7 as text[]))")
        .setParameter(1, type)
        .setParameter(2, id)
        .setParameter(3, patient)
        .setParameter(4, json)
        .setParameter(5, now)
        .setParameter(6, author)
        .setParameter(7, sqlArray(sensitive.categoriesOf(resource)))
        .executeUpdate();
    version(type, id, 1, json, now, author, "POST", null);
    index(type, id, resource);
    changes.fire(new ResourceChanged(type, id, 1, patient, resource, null, "POST"));
    return new Stored(type, id, 1, patient, json);
  }

  @Transactional
  public Stored read(String type, String id) {
    Stored stored = current(type, id);
    care.check(AccessAction.READ, type, id, patients(stored));
    access.success(AccessAction.READ, type, id, patients(stored), null);
    return stored;
  }

  @Transactional
  public Stored update(
      String type, String id, Resource resource, Integer expectedVersion, String reason) {
    List<?> rows =
        em.createNativeQuery(
                "select version_id, deleted_at, cast(resource as text) from fhir_resource"
                    + " where resource_type = ?1 and id = ?2 for update")
            .setParameter(1, type)
            .setParameter(2, id)
            .getResultList();
    if (rows.isEmpty()) {
      throw ProblemException.notFound(type + "/" + id + " is not known");
    }
    Object[] row = (Object[]) rows.get(0);
    if (row[1] != null) {
      throw new ProblemException(410, "Gone", type + "/" + id + " was deleted", List.of());
    }
    int current = ((Number) row[0]).intValue();
    if (expectedVersion != null && expectedVersion != current) {
      throw new ProblemException(
          412,
          "Version conflict",
          type + "/" + id + " is at version " + current + ", not " + expectedVersion,
          List.of());
    }
    if (resource.getIdElement().hasIdPart() && !id.equals(resource.getIdElement().getIdPart())) {
      throw ProblemException.badRequest(type + ".id", "must be " + id + ", the id in the URL");
    }
    Stored stored = write(type, id, resource, current, (String) row[2], reason);
    access.success(
        AccessAction.UPDATE, type, id, patients(stored), reason == null ? null : "reason given");
    checks.afterWrites();
    return stored;
  }

  /**
   * Moves a resource from one patient to another (a merge, or its undoing): a new version whose
   * references to {@code Patient/fromPatient} point to {@code Patient/toPatient}, versioned and
   * indexed like any update. Access is recorded by the caller, once per patient rather than once
   * per resource.
   *
   * @return false when there was nothing to move: the resource is deleted or no longer belongs to
   *     fromPatient
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean repoint(
      String type, String id, String fromPatient, String toPatient, String reason) {
    List<?> rows =
        em.createNativeQuery(
                "select version_id, deleted_at, cast(resource as text), patient_id from fhir_resource"
                    + " where resource_type = ?1 and id = ?2 for update")
            .setParameter(1, type)
            .setParameter(2, id)
            .getResultList();
    if (rows.isEmpty()) {
      return false;
    }
    Object[] row = (Object[]) rows.get(0);
    if (row[1] != null || !fromPatient.equals(row[3])) {
      return false;
    }
    Resource resource = (Resource) fhir.context().newJsonParser().parseResource((String) row[2]);
    String from = "Patient/" + fromPatient;
    for (Reference ref :
        fhir.context().newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
      if (from.equals(ref.getReference())) {
        ref.setReference("Patient/" + toPatient);
      }
    }
    write(type, id, resource, ((Number) row[0]).intValue(), (String) row[2], reason);
    return true;
  }

  /** The next version of a locked, checked row: stored, versioned, re-indexed, announced. */
  private Stored write(
      String type, String id, Resource resource, int current, String previousJson, String reason) {
    int version = current + 1;
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    resource.setId(id);
    resource.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(Date.from(now));
    String patient = SearchIndexer.patientOf(resource);
    String json = fhir.write(resource);
    String author = request.actor().username();
    em.createNativeQuery(
            "update fhir_resource set version_id = ?1, patient_id = cast(?2 as varchar), resource = cast(?3 as jsonb),"
                + " last_updated = ?4, updated_by = ?5, sensitive_categories = cast(?8 as text[])"
                + " where resource_type = ?6 and id = ?7")
        .setParameter(1, version)
        .setParameter(2, patient)
        .setParameter(3, json)
        .setParameter(4, now)
        .setParameter(5, author)
        .setParameter(6, type)
        .setParameter(7, id)
        .setParameter(8, sqlArray(sensitive.categoriesOf(resource)))
        .executeUpdate();
    version(type, id, version, json, now, author, "PUT", reason);
    em.createNativeQuery("delete from fhir_search_index where resource_type = ?1 and id = ?2")
        .setParameter(1, type)
        .setParameter(2, id)
        .executeUpdate();
    index(type, id, resource);
    Resource previous = (Resource) fhir.context().newJsonParser().parseResource(previousJson);
    changes.fire(new ResourceChanged(type, id, version, patient, resource, previous, "PUT"));
    return new Stored(type, id, version, patient, json);
  }

  /**
   * A logical delete: a last version marks the resource deleted; reads answer 410, searches leave
   * it out, history stays. A legal hold (or any DeletionRequested observer) can refuse it.
   */
  @Transactional
  public boolean delete(String type, String id, String reason) {
    List<?> rows =
        em.createNativeQuery(
                "select version_id, deleted_at, cast(resource as text), patient_id from fhir_resource"
                    + " where resource_type = ?1 and id = ?2 for update")
            .setParameter(1, type)
            .setParameter(2, id)
            .getResultList();
    if (rows.isEmpty()) {
      throw ProblemException.notFound(type + "/" + id + " is not known");
    }
    Object[] row = (Object[]) rows.get(0);
    if (row[1] != null) {
      return false; // deleting twice changes nothing
    }
    String patient = (String) row[3];
    Resource previous = (Resource) fhir.context().newJsonParser().parseResource((String) row[2]);
    deletions.fire(new DeletionRequested(type, id, patient, encounterOf(previous)));
    int version = ((Number) row[0]).intValue() + 1;
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String author = request.actor().username();
    em.createNativeQuery(
            "update fhir_resource set version_id = ?1, deleted_at = ?2, last_updated = ?2,"
                + " updated_by = ?3 where resource_type = ?4 and id = ?5")
        .setParameter(1, version)
        .setParameter(2, now)
        .setParameter(3, author)
        .setParameter(4, type)
        .setParameter(5, id)
        .executeUpdate();
    version(type, id, version, (String) row[2], now, author, "DELETE", reason);
    changes.fire(new ResourceChanged(type, id, version, patient, previous, previous, "DELETE"));
    access.success(
        AccessAction.DELETE, type, id, patient == null ? List.of() : List.of(patient), null);
    checks.afterWrites();
    return true;
  }

  /** The encounter a resource belongs to (the Encounter itself for an Encounter), if any. */
  static String encounterOf(Resource resource) {
    if (resource instanceof org.hl7.fhir.r4.model.Encounter) {
      return resource.getIdElement().getIdPart();
    }
    for (SearchIndexer.Entry e : SearchIndexer.entries(resource)) {
      if ("encounter".equals(e.param()) && e.reference().startsWith("Encounter/")) {
        return e.reference().substring("Encounter/".length());
      }
    }
    return null;
  }

  /** Versions, newest first, or one version. */
  @Transactional
  public List<Object[]> history(String type, String id, Integer onlyVersion) {
    // deleted resources keep their history: only an unknown id is refused
    Stored stored = current(type, id, true);
    care.check(AccessAction.READ, type, id, patients(stored));
    String sql =
        "select version_id, cast(resource as text), recorded_at, recorded_by, method, reason"
            + " from fhir_resource_version where resource_type = ?1 and id = ?2"
            + (onlyVersion == null ? "" : " and version_id = ?3")
            + " order by version_id desc";
    var q = em.createNativeQuery(sql).setParameter(1, type).setParameter(2, id);
    if (onlyVersion != null) q.setParameter(3, onlyVersion);
    @SuppressWarnings("unchecked")
    List<Object[]> rows = q.getResultList();
    if (rows.isEmpty()) {
      throw ProblemException.notFound(type + "/" + id + " has no version " + onlyVersion);
    }
    access.success(
        AccessAction.READ,
        type,
        id,
        patients(stored),
        onlyVersion == null ? "history" : "version " + onlyVersion);
    return rows;
  }

  @Transactional
  public ResourceSearch.Page search(ResourceSearch criteria) {
    ResourceSearch.Page page = criteria.run(em, sensitive.hiddenAsSqlArray());
    care.check(
        AccessAction.SEARCH,
        criteria.type(),
        null,
        page.rows().stream().map(Stored::patientId).filter(p -> p != null).distinct().toList());
    access.success(
        AccessAction.SEARCH,
        criteria.type(),
        null,
        page.rows().stream().map(Stored::patientId).filter(p -> p != null).distinct().toList(),
        "parameters: "
            + String.join(",", criteria.parameterNames())
            + (page.withheld() > 0 ? "; withheld by security label: " + page.withheld() : ""));
    return page;
  }

  private Stored current(String type, String id) {
    return current(type, id, false);
  }

  private Stored current(String type, String id, boolean evenIfDeleted) {
    List<?> rows =
        em.createNativeQuery(
                "select version_id, patient_id, cast(resource as text), deleted_at,"
                    + " sensitive_categories from fhir_resource"
                    + " where resource_type = ?1 and id = ?2")
            .setParameter(1, type)
            .setParameter(2, id)
            .getResultList();
    if (rows.isEmpty()) {
      throw ProblemException.notFound(type + "/" + id + " is not known");
    }
    Object[] r = (Object[]) rows.get(0);
    if (r[3] != null && !evenIfDeleted) {
      throw new ProblemException(410, "Gone", type + "/" + id + " was deleted", List.of());
    }
    sensitive.checkReadable(type, id, SensitiveRecords.toArray(r[4]));
    return new Stored(type, id, ((Number) r[0]).intValue(), (String) r[1], (String) r[2]);
  }

  private static String sqlArray(String[] values) {
    return values == null ? null : "{" + String.join(",", values) + "}";
  }

  private static List<String> patients(Stored s) {
    return s.patientId() == null ? List.of() : List.of(s.patientId());
  }

  private void version(
      String type,
      String id,
      int version,
      String json,
      Instant at,
      String author,
      String method,
      String reason) {
    em.createNativeQuery(
            "insert into fhir_resource_version (resource_type, id, version_id, resource, recorded_at,"
                + " recorded_by, method, reason) values (?1, ?2, ?3, cast(?4 as jsonb), ?5, ?6, ?7, cast(?8 as text))")
        .setParameter(1, type)
        .setParameter(2, id)
        .setParameter(3, version)
        .setParameter(4, json)
        .setParameter(5, at)
        .setParameter(6, author)
        .setParameter(7, method)
        .setParameter(8, reason)
        .executeUpdate();
  }

  private void index(String type, String id, IBaseResource resource) {
    List<SearchIndexer.Entry> entries = SearchIndexer.entries(resource);
    if (entries.isEmpty()) {
      return;
    }
    em.unwrap(Session.class)
        .doWork(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "insert into fhir_search_index (resource_type, id, param, token_system,"
                          + " token_code, date_start, date_end, reference) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (SearchIndexer.Entry e : entries) {
                  ps.setString(1, type);
                  ps.setString(2, id);
                  ps.setString(3, e.param());
                  ps.setString(4, e.system());
                  ps.setString(5, e.code());
                  ps.setTimestamp(6, e.start() == null ? null : Timestamp.from(e.start()));
                  ps.setTimestamp(7, e.end() == null ? null : Timestamp.from(e.end()));
                  ps.setString(8, e.reference());
                  ps.addBatch();
                }
                ps.executeBatch();
              }
            });
  }
}
