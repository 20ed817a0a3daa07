package dev.him.records.mpi;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.outbox.Outbox;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.PatientMerged;
import dev.him.events.v1.PatientUnmerged;
import dev.him.events.v1.Topics;
import dev.him.records.patient.PatientRecord;
import dev.him.records.patient.PatientService;
import dev.him.records.resource.ResourceStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Merges two records of one person and undoes merges. A merge, in one transaction: the source gets
 * a version with active=false and a replaced-by link, the survivor one with a replaces link, every
 * clinical resource of the source moves to the survivor (a new version of each, references
 * rewritten), and the link row keeps who, when, why and exactly what moved. An unmerge reverses
 * each step. Both publish an event for downstream systems and record access to both patients.
 */
@ApplicationScoped
public class MergeService {
  static final String LINK_COLUMNS =
      "l.id, l.status, l.source_id, s.mrn, l.survivor_id, v.mrn, l.candidate_id,"
          + " l.moved_resources, l.merged_by, l.merged_at, l.reason, l.undone_by, l.undone_at,"
          + " l.undo_reason, l.restored_resources";
  static final String LINK_FROM =
      " from mpi_link l join patient s on s.id = l.source_id join patient v on v.id = l.survivor_id";

  @Inject EntityManager em;
  @Inject PatientService patients;
  @Inject ResourceStore resources;
  @Inject DuplicateDetector detector;
  @Inject AccessRecorder access;
  @Inject RequestContext request;
  @Inject Outbox outbox;
  @Inject dev.him.records.encounter.RecordChecks checks;

  /**
   * Merges source into survivor.
   *
   * @param candidateId the queued pair this merge decides, or null for a direct merge
   */
  @Transactional
  public LinkView merge(String sourceId, String survivorId, String reason, UUID candidateId) {
    if (sourceId.equals(survivorId)) {
      throw ProblemException.badRequest(
          "survivorId", "must differ from sourceId: a patient cannot be merged into itself");
    }
    PatientRecord[] rows = lockInOrder(sourceId, survivorId);
    PatientRecord source = rows[0];
    PatientRecord survivor = rows[1];
    if (source.mergedInto != null) {
      throw new ProblemException(
          409,
          "Already merged",
          "Patient/"
              + sourceId
              + " is already merged into Patient/"
              + source.mergedInto
              + " (link "
              + activeLinkOf(sourceId)
              + "); a record has one survivor, so unmerge that first",
          List.of(
              new InvalidParam("sourceId", "already merged into Patient/" + source.mergedInto)));
    }
    if (survivor.mergedInto != null) {
      throw new ProblemException(
          409,
          "Survivor is merged",
          "Patient/"
              + survivorId
              + " was itself merged into Patient/"
              + survivor.mergedInto
              + "; merge into Patient/"
              + survivor.mergedInto
              + " instead",
          List.of(
              new InvalidParam("survivorId", "was merged into Patient/" + survivor.mergedInto)));
    }
    String by = request.actor().username();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    UUID linkId = UUID.randomUUID();

    Patient sourcePatient = patients.toStored(source).resource();
    Boolean activeBefore = sourcePatient.hasActive() ? sourcePatient.getActive() : null;
    sourcePatient.setActive(false);
    sourcePatient
        .addLink()
        .setType(Patient.LinkType.REPLACEDBY)
        .setOther(new Reference("Patient/" + survivorId));
    patients.writeMergeVersion(source, sourcePatient, reason);
    Patient survivorPatient = patients.toStored(survivor).resource();
    survivorPatient
        .addLink()
        .setType(Patient.LinkType.REPLACES)
        .setOther(new Reference("Patient/" + sourceId));
    patients.writeMergeVersion(survivor, survivorPatient, reason);

    @SuppressWarnings("unchecked")
    List<Object[]> owned =
        em.createNativeQuery(
                "select resource_type, id from fhir_resource where patient_id = ?1"
                    + " and deleted_at is null order by resource_type, id")
            .setParameter(1, sourceId)
            .getResultList();
    List<Object[]> moved = new ArrayList<>();
    for (Object[] r : owned) {
      if (resources.repoint((String) r[0], (String) r[1], sourceId, survivorId, reason)) {
        moved.add(r);
      }
    }
    // open chart deficiencies follow their encounters to the survivor's record
    em.createNativeQuery("update deficiency set patient_id = ?1 where patient_id = ?2")
        .setParameter(1, survivorId)
        .setParameter(2, sourceId)
        .executeUpdate();
    checks.afterWrites();
    em.createNativeQuery(
            "insert into mpi_link (id, source_id, survivor_id, status, candidate_id,"
                + " source_active_before, moved_resources, merged_by, merged_at, reason)"
                + " values (?1, ?2, ?3, 'active', cast(cast(?4 as text) as uuid),"
                + " cast(cast(?5 as text) as boolean), ?6, ?7, ?8, ?9)")
        .setParameter(1, linkId)
        .setParameter(2, sourceId)
        .setParameter(3, survivorId)
        // nullable values travel as text: a typeless null would not cast to uuid or boolean
        .setParameter(4, candidateId == null ? null : candidateId.toString())
        .setParameter(5, activeBefore == null ? null : activeBefore.toString())
        .setParameter(6, moved.size())
        .setParameter(7, by)
        .setParameter(8, now)
        .setParameter(9, reason)
        .executeUpdate();
    for (int from = 0; from < moved.size(); from += 500) {
      insertMoved(linkId, moved.subList(from, Math.min(moved.size(), from + 500)));
    }
    detector.recordDecision(sourceId, survivorId, "duplicate", by, reason);

    UUID eventId = UUID.randomUUID();
    outbox.add(
        Topics.PATIENT_EVENTS,
        survivorId,
        eventId,
        PatientMerged.TYPE,
        PatientMerged.VERSION,
        new PatientMerged(
            eventId,
            now,
            linkId.toString(),
            sourceId,
            source.mrn,
            survivorId,
            survivor.mrn,
            moved.size(),
            by,
            request.requestId()));
    String detail = "merged Patient/" + sourceId + " into Patient/" + survivorId;
    access.success(AccessAction.UPDATE, "Patient", sourceId, List.of(sourceId), detail);
    access.success(AccessAction.UPDATE, "Patient", survivorId, List.of(survivorId), detail);
    return link(linkId);
  }

  /** Undoes a merge: the source active again, both links gone, the moved resources back. */
  @Transactional
  public LinkView unmerge(UUID linkId, String reason) {
    List<?> found =
        em.createNativeQuery(
                "select source_id, survivor_id, status, source_active_before, undone_by, undone_at"
                    + " from mpi_link where id = ?1 for update")
            .setParameter(1, linkId)
            .getResultList();
    if (found.isEmpty()) {
      throw ProblemException.notFound("No merge link " + linkId);
    }
    Object[] l = (Object[]) found.get(0);
    String sourceId = (String) l[0];
    String survivorId = (String) l[1];
    if (!"active".equals(l[2])) {
      throw new ProblemException(
          409,
          "Already undone",
          "Link " + linkId + " was undone by " + l[4] + " at " + Sql.instant(l[5]),
          List.of());
    }
    PatientRecord[] rows = lockInOrder(sourceId, survivorId);
    PatientRecord source = rows[0];
    PatientRecord survivor = rows[1];
    if (survivor.mergedInto != null) {
      throw new ProblemException(
          409,
          "Survivor merged since",
          "Patient/"
              + survivorId
              + " was merged into Patient/"
              + survivor.mergedInto
              + " after this merge; undo link "
              + activeLinkOf(survivorId)
              + " first",
          List.of());
    }
    String by = request.actor().username();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    Patient sourcePatient = patients.toStored(source).resource();
    sourcePatient
        .getLink()
        .removeIf(
            k ->
                k.getType() == Patient.LinkType.REPLACEDBY
                    && ("Patient/" + survivorId).equals(k.getOther().getReference()));
    if (l[3] == null) {
      sourcePatient.setActiveElement(null);
    } else {
      sourcePatient.setActive((Boolean) l[3]);
    }
    patients.writeMergeVersion(source, sourcePatient, reason);
    Patient survivorPatient = patients.toStored(survivor).resource();
    survivorPatient
        .getLink()
        .removeIf(
            k ->
                k.getType() == Patient.LinkType.REPLACES
                    && ("Patient/" + sourceId).equals(k.getOther().getReference()));
    patients.writeMergeVersion(survivor, survivorPatient, reason);

    @SuppressWarnings("unchecked")
    List<Object[]> moved =
        em.createNativeQuery(
                "select resource_type, resource_id from mpi_link_moved where link_id = ?1"
                    + " order by resource_type, resource_id")
            .setParameter(1, linkId)
            .getResultList();
    int restored = 0;
    for (Object[] r : moved) {
      // what was recorded on the survivor since the merge stays there; moved resources someone
      // has re-pointed or deleted since are left as they are
      if (resources.repoint((String) r[0], (String) r[1], survivorId, sourceId, reason)) {
        restored++;
      }
    }
    em.createNativeQuery(
            "update deficiency set patient_id = ?1 where patient_id = ?2 and encounter_id in"
                + " (select resource_id from mpi_link_moved where link_id = ?3"
                + " and resource_type = 'Encounter')")
        .setParameter(1, sourceId)
        .setParameter(2, survivorId)
        .setParameter(3, linkId)
        .executeUpdate();
    checks.afterWrites();
    em.createNativeQuery(
            "update mpi_link set status = 'undone', undone_by = ?1, undone_at = ?2,"
                + " undo_reason = ?3, restored_resources = ?4 where id = ?5")
        .setParameter(1, by)
        .setParameter(2, now)
        .setParameter(3, reason)
        .setParameter(4, restored)
        .setParameter(5, linkId)
        .executeUpdate();
    // a person just said these two are not one record: the queue should not offer them again
    detector.recordDecision(sourceId, survivorId, "not-duplicate", by, "unmerged: " + reason);

    UUID eventId = UUID.randomUUID();
    outbox.add(
        Topics.PATIENT_EVENTS,
        survivorId,
        eventId,
        PatientUnmerged.TYPE,
        PatientUnmerged.VERSION,
        new PatientUnmerged(
            eventId,
            now,
            linkId.toString(),
            sourceId,
            survivorId,
            restored,
            reason,
            by,
            request.requestId()));
    String detail = "unmerged Patient/" + sourceId + " from Patient/" + survivorId;
    access.success(AccessAction.UPDATE, "Patient", sourceId, List.of(sourceId), detail);
    access.success(AccessAction.UPDATE, "Patient", survivorId, List.of(survivorId), detail);
    return link(linkId);
  }

  /** The link history of a patient, as source or as survivor, newest first. */
  @Transactional
  public List<LinkView> links(String patientId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select "
                    + LINK_COLUMNS
                    + LINK_FROM
                    + " where l.source_id = ?1 or l.survivor_id = ?1"
                    + " order by l.merged_at desc, l.id")
            .setParameter(1, patientId)
            .getResultList();
    List<LinkView> links = rows.stream().map(MergeService::view).toList();
    List<String> shown =
        links.stream()
            .flatMap(k -> java.util.stream.Stream.of(k.sourceId(), k.survivorId()))
            .distinct()
            .toList();
    access.success(
        AccessAction.SEARCH, "Patient", null, shown, "MPI link history of Patient/" + patientId);
    return links;
  }

  @Transactional
  public LinkView read(UUID linkId) {
    LinkView link = link(linkId);
    access.success(
        AccessAction.READ,
        "Patient",
        link.sourceId(),
        List.of(link.sourceId(), link.survivorId()),
        "MPI link " + linkId);
    return link;
  }

  private LinkView link(UUID linkId) {
    List<?> rows =
        em.createNativeQuery("select " + LINK_COLUMNS + LINK_FROM + " where l.id = ?1")
            .setParameter(1, linkId)
            .getResultList();
    if (rows.isEmpty()) {
      throw ProblemException.notFound("No merge link " + linkId);
    }
    return view((Object[]) rows.get(0));
  }

  private static LinkView view(Object[] r) {
    return new LinkView(
        Sql.uuid(r[0]),
        (String) r[1],
        (String) r[2],
        (String) r[3],
        (String) r[4],
        (String) r[5],
        Sql.uuid(r[6]),
        Sql.integer(r[7]),
        (String) r[8],
        Sql.instant(r[9]),
        (String) r[10],
        (String) r[11],
        Sql.instant(r[12]),
        (String) r[13],
        Sql.integer(r[14]));
  }

  private Object activeLinkOf(String sourceId) {
    List<?> ids =
        em.createNativeQuery("select id from mpi_link where source_id = ?1 and status = 'active'")
            .setParameter(1, sourceId)
            .getResultList();
    return ids.isEmpty() ? "unknown" : ids.get(0);
  }

  /**
   * Locks both patients, always in id order so two merges of the same pair cannot deadlock; 404 and
   * 410 name the field that holds the missing or deleted patient.
   *
   * @return source and survivor, in that order
   */
  private PatientRecord[] lockInOrder(String sourceId, String survivorId) {
    boolean sourceFirst = sourceId.compareTo(survivorId) < 0;
    PatientRecord first = lock(sourceFirst ? sourceId : survivorId, sourceFirst);
    PatientRecord second = lock(sourceFirst ? survivorId : sourceId, !sourceFirst);
    return sourceFirst ? new PatientRecord[] {first, second} : new PatientRecord[] {second, first};
  }

  private PatientRecord lock(String id, boolean isSource) {
    String field = isSource ? "sourceId" : "survivorId";
    PatientRecord row = PatientRecord.findById(id, LockModeType.PESSIMISTIC_WRITE);
    if (row == null) {
      throw new ProblemException(
          404,
          "Not found",
          "Patient/" + id + " is not known",
          List.of(new InvalidParam(field, "no such patient")));
    }
    if (row.deletedAt != null) {
      throw new ProblemException(
          410,
          "Gone",
          "Patient/" + id + " was deleted",
          List.of(new InvalidParam(field, "the patient was deleted")));
    }
    return row;
  }

  private void insertMoved(UUID linkId, List<Object[]> batch) {
    StringBuilder sql =
        new StringBuilder(
            "insert into mpi_link_moved (link_id, resource_type, resource_id) values ");
    for (int i = 0; i < batch.size(); i++) {
      sql.append(i == 0 ? "" : ", ")
          .append("(?1, ?")
          .append(2 * i + 2)
          .append(", ?")
          .append(2 * i + 3)
          .append(')');
    }
    var insert = em.createNativeQuery(sql.toString()).setParameter(1, linkId);
    for (int i = 0; i < batch.size(); i++) {
      insert.setParameter(2 * i + 2, batch.get(i)[0]);
      insert.setParameter(2 * i + 3, batch.get(i)[1]);
    }
    insert.executeUpdate();
  }
}
