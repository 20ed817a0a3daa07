package dev.him.records.amendment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.records.fhir.FhirParser;
import dev.him.records.patient.PatientRecord;
import dev.him.records.patient.PatientService;
import dev.him.records.resource.ResourceStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Amendment requests under 45 CFR 164.526: logged on receipt with a due date, extended once with
 * written notice, accepted (the correction becomes the target's next version, whose history names
 * the request) or denied on one of the four grounds, then followed by the individual's statement of
 * disagreement and the covered entity's rebuttal. Each step is checked against the request's
 * status, kept in amendment_event, and recorded as an access to the patient's record. The texts are
 * PHI: nothing here logs them.
 */
@ApplicationScoped
public class AmendmentService {
  static final String RESOURCE_TYPE = "AmendmentRequest";

  @Inject EntityManager em;
  @Inject PatientService patients;
  @Inject ResourceStore store;
  @Inject FhirParser fhir;
  @Inject ObjectMapper json;
  @Inject AccessRecorder access;
  @Inject RequestContext request;

  /** Days to act on a request from its receipt (164.526(b)(2)). */
  @ConfigProperty(name = "him.amendment.response-days", defaultValue = "60")
  int responseDays;

  /** The one extension, counted from the original due date (164.526(b)(2)(ii)). */
  @ConfigProperty(name = "him.amendment.extension-days", defaultValue = "30")
  int extensionDays;

  /**
   * Dates (receipt, due, notices) are days in the server's time zone, as Bean Validation has them.
   */
  LocalDate today() {
    return LocalDate.now();
  }

  @Transactional
  public AmendmentView record(NewAmendment in) {
    LocalDate today = today();
    PatientRecord patient = PatientRecord.findById(in.patientId());
    if (patient == null) {
      throw ProblemException.badRequest("patientId", "Patient/" + in.patientId() + " is not known");
    }
    if (patient.deletedAt != null) {
      throw ProblemException.badRequest("patientId", "Patient/" + in.patientId() + " was deleted");
    }
    if (in.requester().type() == RequesterType.PERSONAL_REPRESENTATIVE
        && (in.requester().relationship() == null || in.requester().relationship().isBlank())) {
      throw ProblemException.badRequest(
          "requester.relationship",
          "is required for a personal representative (parent, guardian, health care proxy...)");
    }
    LocalDate receivedOn = in.receivedOn() == null ? today : in.receivedOn();
    if (receivedOn.isAfter(today)) {
      throw ProblemException.badRequest("receivedOn", "must not be in the future");
    }
    int targetVersion = targetVersion(patient, in.target());

    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String author = request.actor().username();
    AmendmentRequest a = new AmendmentRequest();
    a.id = UUID.randomUUID();
    a.patientId = patient.id;
    a.targetType = in.target().type();
    a.targetId = in.target().id();
    a.targetVersion = targetVersion;
    a.requesterType = in.requester().type();
    a.requesterName = in.requester().name().strip();
    a.requesterRelationship = blankToNull(in.requester().relationship());
    a.requestedChange = in.requestedChange();
    a.reason = blankToNull(in.reason());
    a.receivedOn = receivedOn;
    a.originalDueOn = receivedOn.plusDays(responseDays);
    a.dueOn = a.originalDueOn;
    a.status = AmendmentStatus.RECEIVED;
    a.createdAt = now;
    a.createdBy = author;
    a.updatedAt = now;
    a.updatedBy = author;
    a.persist();
    addEvent(
        a,
        "record",
        null,
        "target "
            + a.targetType
            + "/"
            + a.targetId
            + " version "
            + targetVersion
            + "; received "
            + receivedOn
            + ", due "
            + a.dueOn,
        now,
        author);
    access.success(AccessAction.CREATE, RESOURCE_TYPE, a.id.toString(), List.of(a.patientId), null);
    return withTrail(a);
  }

  @Transactional
  public AmendmentView extend(UUID id, Extension in) {
    AmendmentRequest a = forStep(id, "extension");
    if (in.noticeSentOn().isAfter(a.dueOn)) {
      throw ProblemException.badRequest(
          "noticeSentOn",
          "must be on or before the due date "
              + a.dueOn
              + ": the written notice has to reach the individual before the deadline passes");
    }
    if (in.noticeSentOn().isBefore(a.receivedOn)) {
      throw ProblemException.badRequest(
          "noticeSentOn", "must not be before the request was received (" + a.receivedOn + ")");
    }
    AmendmentStatus from = a.status;
    a.extensionReason = in.reason().strip();
    a.extensionNoticeSentOn = in.noticeSentOn();
    a.dueOn = a.originalDueOn.plusDays(extensionDays);
    a.status = AmendmentStatus.EXTENDED;
    return step(
        a,
        "extension",
        from,
        "notice sent " + a.extensionNoticeSentOn + "; due " + a.originalDueOn + " -> " + a.dueOn);
  }

  /**
   * Applies the correction as the target's next version, in this transaction: if the update is
   * refused (stale If-Match, invalid resource) nothing of the acceptance is kept either.
   */
  @Transactional
  public AmendmentView accept(UUID id, Acceptance in, Integer expectedVersion) {
    AmendmentRequest a = forStep(id, "accept");
    if (!in.resource().isObject()) {
      throw ProblemException.badRequest("resource", "must be a FHIR resource as a JSON object");
    }
    String body;
    try {
      body = json.writeValueAsString(in.resource());
    } catch (JsonProcessingException e) {
      throw ProblemException.badRequest("resource", "cannot be read as JSON");
    }
    String note = blankToNull(in.note());
    String reason =
        "Amendment " + a.id + ": " + (note != null ? note : "accepted (45 CFR 164.526)");
    int version;
    if ("Patient".equals(a.targetType)) {
      Patient corrected = fhir.parse(body, Patient.class);
      version = patients.update(a.targetId, corrected, expectedVersion, reason).versionId();
    } else {
      Resource corrected = (Resource) fhir.parse(body, store.typeOf(a.targetType));
      ResourceStore.Stored stored =
          store.update(a.targetType, a.targetId, corrected, expectedVersion, reason);
      if (!a.patientId.equals(stored.patientId())) {
        // rolls the update back with everything else
        throw ProblemException.badRequest(
            "resource",
            "must stay in the record of Patient/" + a.patientId + "; the amendment cannot move it");
      }
      version = stored.versionId();
    }
    AmendmentStatus from = a.status;
    a.status = AmendmentStatus.ACCEPTED;
    a.amendedVersion = version;
    a.decisionNote = note;
    a.decidedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    a.decidedBy = request.actor().username();
    return step(a, "accept", from, a.targetType + "/" + a.targetId + " version " + version);
  }

  @Transactional
  public AmendmentView deny(UUID id, Denial in) {
    AmendmentRequest a = forStep(id, "deny");
    AmendmentStatus from = a.status;
    a.status = AmendmentStatus.DENIED;
    a.denialGround = in.ground();
    a.denialExplanation = in.explanation().strip();
    a.decidedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    a.decidedBy = request.actor().username();
    return step(a, "deny", from, "ground " + in.ground());
  }

  @Transactional
  public AmendmentView disagree(UUID id, Statement in) {
    AmendmentRequest a = forStep(id, "disagreement");
    LocalDate date =
        dated(in, a.decidedAt.atZone(ZoneId.systemDefault()).toLocalDate(), "the denial");
    AmendmentStatus from = a.status;
    a.status = AmendmentStatus.DISAGREED;
    a.disagreementText = in.text();
    a.disagreementAuthor = in.author().strip();
    a.disagreementOn = date;
    return step(a, "disagreement", from, "dated " + date);
  }

  @Transactional
  public AmendmentView rebut(UUID id, Statement in) {
    AmendmentRequest a = forStep(id, "rebuttal");
    LocalDate date = dated(in, a.disagreementOn, "the statement of disagreement");
    AmendmentStatus from = a.status;
    a.status = AmendmentStatus.REBUTTED;
    a.rebuttalText = in.text();
    a.rebuttalAuthor = in.author().strip();
    a.rebuttalOn = date;
    return step(a, "rebuttal", from, "dated " + date);
  }

  @Transactional
  public Optional<AmendmentView> read(UUID id) {
    AmendmentRequest a = AmendmentRequest.findById(id);
    if (a == null) {
      return Optional.empty();
    }
    access.success(AccessAction.READ, RESOURCE_TYPE, id.toString(), List.of(a.patientId), null);
    return Optional.of(withTrail(a));
  }

  /** Filters for the list; null means "any". */
  public record Criteria(
      String patientId, boolean overdue, AmendmentStatus status, int page, int size) {}

  /**
   * A patient's requests (newest first), or the worklist: open requests past their due date, most
   * overdue first. Native SQL so that the open statuses are literals the partial index matches.
   */
  @Transactional
  public AmendmentPage list(Criteria c) {
    if (c.patientId() != null && PatientRecord.findById(c.patientId()) == null) {
      throw ProblemException.notFound("Patient/" + c.patientId() + " is not known");
    }
    LocalDate today = today();
    StringBuilder where = new StringBuilder(" where true");
    if (c.patientId() != null) where.append(" and patient_id = :patient");
    if (c.overdue()) {
      where.append(" and status in ").append(AmendmentStatus.OPEN_SQL);
      where.append(" and due_on < :today");
    }
    if (c.status() != null) where.append(" and status = :status");
    String order =
        c.patientId() != null && !c.overdue()
            ? " order by received_on desc, created_at desc, id"
            : " order by due_on, received_on, id";

    Query count = em.createNativeQuery("select count(*) from amendment_request" + where);
    Query rows =
        em.createNativeQuery(
            "select * from amendment_request" + where + order + " limit :limit offset :offset",
            AmendmentRequest.class);
    for (Query q : List.of(count, rows)) {
      if (c.patientId() != null) q.setParameter("patient", c.patientId());
      if (c.overdue()) q.setParameter("today", today);
      if (c.status() != null) q.setParameter("status", c.status().name());
    }
    rows.setParameter("limit", c.size()).setParameter("offset", (long) c.page() * c.size());
    long total = ((Number) count.getSingleResult()).longValue();
    @SuppressWarnings("unchecked")
    List<AmendmentRequest> found = rows.getResultList();

    List<String> patientIds =
        c.patientId() != null
            ? List.of(c.patientId())
            : found.stream().map(a -> a.patientId).distinct().toList();
    List<String> parameters = new ArrayList<>();
    if (c.patientId() != null) parameters.add("patient");
    if (c.overdue()) parameters.add("overdue");
    if (c.status() != null) parameters.add("status");
    access.success(
        AccessAction.SEARCH,
        RESOURCE_TYPE,
        null,
        patientIds,
        "parameters: " + String.join(",", parameters));
    return new AmendmentPage(
        total,
        c.page(),
        c.size(),
        found.stream().map(a -> AmendmentView.of(a, today, null)).toList());
  }

  /** The version of the target now, after checking it is part of this patient's record. */
  private int targetVersion(PatientRecord patient, NewAmendment.Target target) {
    if ("Patient".equals(target.type())) {
      if (!patient.id.equals(target.id())) {
        throw ProblemException.badRequest(
            "target.id", "a Patient target must be the patient itself, Patient/" + patient.id);
      }
      return patient.versionId;
    }
    List<?> rows =
        em.createNativeQuery(
                "select version_id, patient_id, deleted_at from fhir_resource"
                    + " where resource_type = ?1 and id = ?2")
            .setParameter(1, target.type())
            .setParameter(2, target.id())
            .getResultList();
    String name = target.type() + "/" + target.id();
    if (rows.isEmpty()) {
      throw ProblemException.badRequest("target.id", name + " is not known");
    }
    Object[] row = (Object[]) rows.get(0);
    if (!patient.id.equals(row[1])) {
      throw ProblemException.badRequest(
          "target.id", name + " is not part of the record of Patient/" + patient.id);
    }
    if (row[2] != null) {
      throw ProblemException.badRequest("target.id", name + " was deleted");
    }
    return ((Number) row[0]).intValue();
  }

  /** The request, locked for this step, or 409 naming the steps its status allows. */
  private AmendmentRequest forStep(UUID id, String step) {
    AmendmentRequest a = AmendmentRequest.findById(id, LockModeType.PESSIMISTIC_WRITE);
    if (a == null) {
      throw ProblemException.notFound(RESOURCE_TYPE + "/" + id + " is not known");
    }
    if (!a.status.allowedSteps().contains(step)) {
      List<String> allowed = a.status.allowedSteps();
      throw new ProblemException(
          409,
          "Step not allowed",
          RESOURCE_TYPE
              + "/"
              + id
              + " is "
              + a.status
              + ": "
              + step
              + " is not allowed now"
              + why(step, a.status)
              + ". Allowed next steps: "
              + (allowed.isEmpty() ? "none, the request is closed" : String.join(", ", allowed)),
          List.of());
    }
    return a;
  }

  private static String why(String step, AmendmentStatus status) {
    return switch (step) {
      case "extension" ->
          status == AmendmentStatus.EXTENDED
              ? " (only one extension is allowed)"
              : " (only an open request can be extended)";
      case "accept", "deny" -> " (the request was already decided)";
      case "disagreement" -> " (a statement of disagreement answers a denial)";
      case "rebuttal" -> " (a rebuttal answers a statement of disagreement)";
      default -> "";
    };
  }

  private LocalDate dated(Statement in, LocalDate notBefore, String what) {
    LocalDate date = in.date() == null ? today() : in.date();
    if (date.isAfter(today())) {
      throw ProblemException.badRequest("date", "must not be in the future");
    }
    if (notBefore != null && date.isBefore(notBefore)) {
      throw ProblemException.badRequest(
          "date", "must not be before " + what + " (" + notBefore + ")");
    }
    return date;
  }

  private AmendmentView step(
      AmendmentRequest a, String action, AmendmentStatus from, String detail) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String author = request.actor().username();
    a.updatedAt = now;
    a.updatedBy = author;
    addEvent(a, action, from, detail, now, author);
    access.success(
        AccessAction.UPDATE, RESOURCE_TYPE, a.id.toString(), List.of(a.patientId), action);
    return withTrail(a);
  }

  private void addEvent(
      AmendmentRequest a,
      String action,
      AmendmentStatus from,
      String detail,
      Instant at,
      String author) {
    AmendmentEvent e = new AmendmentEvent();
    e.amendmentId = a.id;
    e.action = action;
    e.fromStatus = from;
    e.toStatus = a.status;
    e.recordedAt = at;
    e.recordedBy = author;
    e.detail = detail;
    e.persist();
  }

  private AmendmentView withTrail(AmendmentRequest a) {
    List<AmendmentEvent> events = AmendmentEvent.list("amendmentId = ?1 order by id", a.id);
    return AmendmentView.of(a, today(), events);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
