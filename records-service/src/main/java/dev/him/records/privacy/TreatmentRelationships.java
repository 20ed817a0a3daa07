package dev.him.records.privacy;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.access.Roles;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Break-the-glass. A caller whose only patient-data role is clinician reads a patient's record only
 * when an encounter of that patient lists them as a participant (their Practitioner carries their
 * user name as an identifier). Without one, the read is refused (403, recorded) unless the request
 * carries X-Break-Glass-Reason: then it is allowed, and its access events carry purpose BTG and the
 * reason, for the privacy officer to review.
 *
 * <p>Finding a patient (Patient search) is not gated: registration desks and clinicians must be
 * able to find the person before a relationship exists.
 */
@ApplicationScoped
public class TreatmentRelationships {
  /** Roles whose work is not treatment and is governed by their own rules (HIM, coding, ROI...). */
  private static final Set<String> NOT_GATED =
      Set.of(
          Roles.CLERK,
          Roles.CODER,
          Roles.ROI,
          Roles.PRIVACY,
          Roles.ADMIN,
          Roles.HOSPITAL_SYSTEM,
          Roles.PLATFORM_SERVICE);

  @Inject EntityManager em;
  @Inject RequestContext request;
  @Inject AccessRecorder access;

  @ConfigProperty(name = "him.care.user-identifier-system")
  String userSystem;

  /** Checks every patient; one without a relationship refuses the whole request. */
  public void check(
      AccessAction action, String resourceType, String resourceId, Collection<String> patientIds) {
    Actor actor = request.actor();
    if (!actor.roles().contains(Roles.CLINICIAN)
        || actor.roles().stream().anyMatch(NOT_GATED::contains)
        || request.breakGlassReason() != null) {
      return;
    }
    for (String patientId : patientIds) {
      if (patientId == null || hasRelationship(actor.username(), patientId)) continue;
      if (request.breakGlassRequest() != null) {
        request.breakGlass();
        return;
      }
      access.denied(
          actor,
          request.requestId(),
          request.purposeOfUse(),
          AccessOutcome.FORBIDDEN,
          action,
          resourceType,
          resourceId,
          List.of(patientId));
      throw new ProblemException(
          403,
          "No treatment relationship",
          "You have no encounter with this patient. In an emergency, repeat the request with the"
              + " header "
              + RequestContext.BREAK_GLASS_HEADER
              + " stating why; the access will be flagged for review.",
          List.of(
              new InvalidParam(
                  RequestContext.BREAK_GLASS_HEADER,
                  "is required to read a record without a treatment relationship")));
    }
  }

  /** The Practitioner whose identifier in the user-name system is this user name, if any. */
  public java.util.Optional<String> practitionerOf(String username) {
    List<?> ids =
        em.createNativeQuery(
                "select u.id from fhir_search_index u join fhir_resource p"
                    + " on p.resource_type = 'Practitioner' and p.id = u.id and p.deleted_at is null"
                    + " where u.resource_type = 'Practitioner' and u.param = 'identifier'"
                    + " and u.token_system = ?1 and u.token_code = ?2 order by u.id limit 1")
            .setParameter(1, userSystem)
            .setParameter(2, username)
            .getResultList();
    return ids.stream().map(String.class::cast).findFirst();
  }

  private boolean hasRelationship(String username, String patientId) {
    return !em.createNativeQuery(
            "select 1 from fhir_search_index u"
                + " join fhir_search_index p on p.resource_type = 'Encounter' and p.param = 'participant'"
                + "  and p.reference = 'Practitioner/' || u.id"
                + " join fhir_resource e on e.resource_type = 'Encounter' and e.id = p.id"
                + " where u.resource_type = 'Practitioner' and u.param = 'identifier'"
                + "  and u.token_system = ?1 and u.token_code = ?2"
                + "  and e.patient_id = ?3 and e.deleted_at is null limit 1")
        .setParameter(1, userSystem)
        .setParameter(2, username)
        .setParameter(3, patientId)
        .getResultList()
        .isEmpty();
  }
}
