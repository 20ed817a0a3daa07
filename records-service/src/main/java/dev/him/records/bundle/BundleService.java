package dev.him.records.bundle;

import ca.uhn.fhir.util.FhirTerser;
import dev.him.common.access.AccessRecorder;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.records.encounter.RecordChecks;
import dev.him.records.fhir.FhirParser;
import dev.him.records.patient.PatientRecord;
import dev.him.records.patient.PatientService;
import dev.him.records.resource.ResourceStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Transaction bundles: every entry is created, or none. Ids are assigned first so that urn:uuid
 * references between entries can be rewritten to the stored ids; a reference to a urn:uuid the
 * bundle does not contain refuses the whole bundle. Patients go through the master patient index
 * (MRN, unique identifiers).
 */
@ApplicationScoped
public class BundleService {
  @Inject PatientService patients;
  @Inject ResourceStore store;
  @Inject FhirParser fhir;
  @Inject AccessRecorder access;
  @Inject RecordChecks checks;

  /** One entry's outcome: created, or (conditional create) an existing resource reused. */
  public record Created(String type, String id, int version, boolean existed) {}

  @Transactional
  public List<Created> transaction(Bundle bundle) {
    List<Bundle.BundleEntryComponent> entries = bundle.getEntry();
    List<InvalidParam> problems = new ArrayList<>();
    Map<String, String> ids = new HashMap<>();
    List<String> assigned = new ArrayList<>();
    Set<Integer> reused = new java.util.HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      Bundle.BundleEntryComponent e = entries.get(i);
      String where = "Bundle.entry[" + i + "]";
      if (!e.hasResource()) {
        problems.add(new InvalidParam(where + ".resource", "is required"));
        assigned.add(null);
        continue;
      }
      if (!e.hasRequest() || e.getRequest().getMethod() != Bundle.HTTPVerb.POST) {
        problems.add(
            new InvalidParam(
                where + ".request.method",
                "only POST (create) is supported in a transaction so far"));
      }
      String type = e.getResource().fhirType();
      if (!"Patient".equals(type)) {
        try {
          store.typeOf(type);
        } catch (ProblemException ex) {
          problems.add(new InvalidParam(where + ".resource.resourceType", ex.getMessage()));
        }
      }
      String id = UUID.randomUUID().toString();
      if ("Patient".equals(type) && e.getRequest().hasIfNoneExist()) {
        // conditional create: a bundle sent twice reuses the patient instead of duplicating it
        var existing = patients.findExisting(e.getRequest().getIfNoneExist());
        if (existing.isPresent()) {
          id = existing.get().id();
          reused.add(i);
        }
      }
      assigned.add(id);
      if (e.hasFullUrl()) {
        if (ids.put(e.getFullUrl(), type + "/" + id) != null) {
          problems.add(new InvalidParam(where + ".fullUrl", "appears twice in the bundle"));
        }
      }
    }
    FhirTerser terser = fhir.context().newTerser();
    for (int i = 0; i < entries.size(); i++) {
      Resource r = entries.get(i).getResource();
      if (r == null) continue;
      for (Reference ref : terser.getAllPopulatedChildElementsOfType(r, Reference.class)) {
        String target = ref.getReference();
        if (target == null || !target.startsWith("urn:uuid:")) continue;
        String resolved = ids.get(target);
        if (resolved == null) {
          problems.add(
              new InvalidParam(
                  "Bundle.entry[" + i + "]", "reference " + target + " is not in this bundle"));
        } else {
          ref.setReference(resolved);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ProblemException(
          400, "Invalid bundle", "The transaction was not applied", problems);
    }
    List<Created> created = new ArrayList<>(entries.size());
    Set<String> patientIds = new LinkedHashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      Resource r = entries.get(i).getResource();
      String id = assigned.get(i);
      if (reused.contains(i)) {
        patientIds.add(id);
        PatientRecord existing = PatientRecord.findById(id);
        created.add(new Created("Patient", id, existing.versionId, true));
        continue;
      }
      try {
        if (r instanceof Patient p) {
          patients.create(p, id);
          patientIds.add(id);
          created.add(new Created("Patient", id, 1, false));
        } else {
          ResourceStore.Stored s = store.insert(r, id);
          if (s.patientId() != null) patientIds.add(s.patientId());
          created.add(new Created(s.type(), id, 1, false));
        }
      } catch (ProblemException ex) {
        List<InvalidParam> where = new ArrayList<>();
        for (InvalidParam p : ex.invalidParams()) {
          where.add(new InvalidParam("Bundle.entry[" + i + "]." + p.name(), p.reason()));
        }
        throw new ProblemException(
            ex.status(), ex.title(), "Bundle.entry[" + i + "]: " + ex.getMessage(), where);
      }
    }
    // every entry is stored: now encounters are judged with their diagnoses and documents
    checks.afterWrites();
    access.success(
        AccessAction.CREATE,
        "Bundle",
        null,
        List.copyOf(patientIds),
        "transaction: " + entries.size() + " resources");
    return created;
  }
}
