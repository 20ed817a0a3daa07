package dev.him.records.bundle;

import dev.him.common.problem.ProblemException;
import dev.him.records.fhir.ETags;
import dev.him.records.fhir.FhirParser;
import dev.him.records.patient.PatientService;
import dev.him.records.resource.ResourceStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Applies one bundle entry through the same services as the REST interactions, so a bundle entry
 * gets exactly the MPI checks, versions, history, search index and access events a single request
 * would.
 */
@ApplicationScoped
public class BundleEntries {
  @Inject PatientService patients;
  @Inject ResourceStore store;
  @Inject FhirParser fhir;

  /** Inside the caller's transaction (a transaction bundle). */
  @Transactional(Transactional.TxType.MANDATORY)
  public BundleService.Outcome apply(Bundle.BundleEntryComponent e, String id) {
    return run(e, id, true);
  }

  /** In a transaction of its own (a batch entry). */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public BundleService.Outcome applyAlone(Bundle.BundleEntryComponent e, String id) {
    return run(e, id, false);
  }

  private BundleService.Outcome run(Bundle.BundleEntryComponent e, String id, boolean inBundle) {
    HTTPVerb method = e.getRequest().getMethod();
    String type =
        method == HTTPVerb.POST
            ? e.getResource().fhirType()
            : e.getRequest().getUrl().replaceFirst("^.*?/fhir/r4/", "").split("/")[0];
    String reason = null; // bundles carry no change reason header
    Integer ifMatch =
        e.getRequest().hasIfMatch() ? ETags.parseIfMatch(e.getRequest().getIfMatch()) : null;
    switch (method) {
      case POST -> {
        if (e.getResource() instanceof Patient p) {
          patients.create(p, id);
          return created("Patient", id, id);
        }
        // a transaction records one access event for all its creates; a batch entry its own
        ResourceStore.Stored s =
            inBundle ? store.insert(e.getResource(), id) : store.create(e.getResource(), id);
        return created(s.type(), id, s.patientId());
      }
      case PUT -> {
        if ("Patient".equals(type)) {
          var p = patients.update(id, (Patient) e.getResource(), ifMatch, reason);
          return new BundleService.Outcome(
              "200 OK", "Patient/" + id + "/_history/" + p.versionId(), p.versionId(), null, id);
        }
        ResourceStore.Stored s = store.update(type, id, e.getResource(), ifMatch, reason);
        return new BundleService.Outcome(
            "200 OK",
            type + "/" + id + "/_history/" + s.versionId(),
            s.versionId(),
            null,
            s.patientId());
      }
      case DELETE -> {
        if ("Patient".equals(type)) {
          patients.delete(id, reason);
        } else {
          store.typeOf(type);
          store.delete(type, id, reason);
        }
        return new BundleService.Outcome("204 No Content", null, null, null, null);
      }
      case GET -> {
        if ("Patient".equals(type)) {
          var p =
              patients
                  .read(id)
                  .orElseThrow(() -> ProblemException.notFound("Patient/" + id + " is not known"));
          return new BundleService.Outcome(
              "200 OK",
              "Patient/" + id + "/_history/" + p.versionId(),
              p.versionId(),
              p.resource(),
              id);
        }
        Class<? extends org.hl7.fhir.instance.model.api.IBaseResource> cls = store.typeOf(type);
        ResourceStore.Stored s = store.read(type, id);
        return new BundleService.Outcome(
            "200 OK",
            type + "/" + id + "/_history/" + s.versionId(),
            s.versionId(),
            (Resource) fhir.parse(s.json(), cls),
            s.patientId());
      }
      default -> throw ProblemException.badRequest("request.method", "is not supported");
    }
  }

  private static BundleService.Outcome created(String type, String id, String patientId) {
    return new BundleService.Outcome(
        "201 Created", type + "/" + id + "/_history/1", 1, null, patientId);
  }
}
