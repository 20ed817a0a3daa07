package dev.him.records.retention;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Places, releases and lists legal holds. A hold names a patient and so is recorded as an access to
 * their record. Placing a hold takes a share lock on what it covers, so it orders itself with a
 * concurrent delete (which locks the row for update): either the delete sees the hold, or the hold
 * comes after the delete.
 */
@ApplicationScoped
public class LegalHoldService {
  static final String RESOURCE_TYPE = "LegalHold";

  @Inject EntityManager em;
  @Inject AccessRecorder access;
  @Inject RequestContext request;

  @Transactional
  public LegalHoldView place(NewLegalHold in) {
    boolean patient = in.patientId() != null && !in.patientId().isBlank();
    boolean encounter = in.encounterId() != null && !in.encounterId().isBlank();
    if (patient == encounter) {
      String why = "give exactly one of patientId and encounterId";
      throw new ProblemException(
          400,
          "Invalid request",
          why,
          List.of(new InvalidParam("patientId", why), new InvalidParam("encounterId", why)));
    }
    LegalHold h = new LegalHold();
    h.id = UUID.randomUUID();
    if (patient) {
      if (!lockPatient(in.patientId())) {
        throw ProblemException.badRequest(
            "patientId", "Patient/" + in.patientId() + " is not known");
      }
      h.scope = HoldScope.PATIENT;
      h.patientId = in.patientId();
    } else {
      List<?> rows =
          em.createNativeQuery(
                  "select patient_id from fhir_resource where resource_type = 'Encounter'"
                      + " and id = ?1 for share")
              .setParameter(1, in.encounterId())
              .getResultList();
      if (rows.isEmpty()) {
        throw ProblemException.badRequest(
            "encounterId", "Encounter/" + in.encounterId() + " is not known");
      }
      h.scope = HoldScope.ENCOUNTER;
      h.encounterId = in.encounterId();
      h.patientId = (String) rows.get(0);
      if (h.patientId != null) {
        lockPatient(h.patientId); // the patient's delete checks encounter holds too
      }
    }
    h.matter = in.matter().strip();
    h.reason = in.reason().strip();
    long same =
        LegalHold.count(
            "releasedAt is null and scope = ?1 and matter = ?2 and "
                + (patient ? "patientId = ?3" : "encounterId = ?3"),
            h.scope,
            h.matter,
            patient ? h.patientId : h.encounterId);
    if (same > 0) {
      throw new ProblemException(
          409,
          "Already on hold",
          (patient ? "Patient/" + h.patientId : "Encounter/" + h.encounterId)
              + " is already on legal hold for this matter",
          List.of());
    }
    h.placedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    h.placedBy = request.actor().username();
    h.persist();
    access.success(AccessAction.CREATE, RESOURCE_TYPE, h.id.toString(), patients(h), null);
    return LegalHoldView.of(h);
  }

  @Transactional
  public LegalHoldView release(UUID id, HoldRelease in) {
    LegalHold h = LegalHold.findById(id, LockModeType.PESSIMISTIC_WRITE);
    if (h == null) {
      throw ProblemException.notFound(RESOURCE_TYPE + "/" + id + " is not known");
    }
    if (!h.active()) {
      throw new ProblemException(
          409,
          "Already released",
          RESOURCE_TYPE + "/" + id + " was released on " + h.releasedAt + " by " + h.releasedBy,
          List.of());
    }
    h.releasedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    h.releasedBy = request.actor().username();
    h.releaseReason = in.reason().strip();
    access.success(AccessAction.UPDATE, RESOURCE_TYPE, id.toString(), patients(h), "release");
    return LegalHoldView.of(h);
  }

  @Transactional
  public Optional<LegalHoldView> read(UUID id) {
    LegalHold h = LegalHold.findById(id);
    if (h == null) {
      return Optional.empty();
    }
    access.success(AccessAction.READ, RESOURCE_TYPE, id.toString(), patients(h), null);
    return Optional.of(LegalHoldView.of(h));
  }

  /** Filters for the list; null means "any". */
  public record Criteria(
      String patientId, String encounterId, Boolean active, int page, int size) {}

  /** Holds newest first; a patient's include those on their encounters. */
  @Transactional
  public LegalHoldPage list(Criteria c) {
    StringBuilder where = new StringBuilder(" where true");
    if (c.patientId() != null) where.append(" and patient_id = :patient");
    if (c.encounterId() != null) where.append(" and encounter_id = :encounter");
    if (Boolean.TRUE.equals(c.active())) where.append(" and released_at is null");
    if (Boolean.FALSE.equals(c.active())) where.append(" and released_at is not null");
    Query count = em.createNativeQuery("select count(*) from legal_hold" + where);
    Query rows =
        em.createNativeQuery(
            "select * from legal_hold"
                + where
                + " order by placed_at desc, id limit :limit offset :offset",
            LegalHold.class);
    for (Query q : List.of(count, rows)) {
      if (c.patientId() != null) q.setParameter("patient", c.patientId());
      if (c.encounterId() != null) q.setParameter("encounter", c.encounterId());
    }
    rows.setParameter("limit", c.size()).setParameter("offset", (long) c.page() * c.size());
    long total = ((Number) count.getSingleResult()).longValue();
    @SuppressWarnings("unchecked")
    List<LegalHold> found = rows.getResultList();
    List<String> parameters = new ArrayList<>();
    if (c.patientId() != null) parameters.add("patient");
    if (c.encounterId() != null) parameters.add("encounter");
    if (c.active() != null) parameters.add("active");
    access.success(
        AccessAction.SEARCH,
        RESOURCE_TYPE,
        null,
        found.stream().map(h -> h.patientId).filter(p -> p != null).distinct().toList(),
        "parameters: " + String.join(",", parameters));
    return new LegalHoldPage(
        total, c.page(), c.size(), found.stream().map(LegalHoldView::of).toList());
  }

  /** Share-locks the patient row (a deleted patient may be held too); false if there is none. */
  private boolean lockPatient(String patientId) {
    return !em.createNativeQuery("select id from patient where id = ?1 for share")
        .setParameter(1, patientId)
        .getResultList()
        .isEmpty();
  }

  private static List<String> patients(LegalHold h) {
    return h.patientId == null ? List.of() : List.of(h.patientId);
  }
}
