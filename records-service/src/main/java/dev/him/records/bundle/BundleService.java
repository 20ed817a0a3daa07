package dev.him.records.bundle;

import ca.uhn.fhir.util.FhirTerser;
import dev.him.common.access.AccessRecorder;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.records.encounter.RecordChecks;
import dev.him.records.fhir.ETags;
import dev.him.records.fhir.FhirParser;
import dev.him.records.patient.PatientRecord;
import dev.him.records.patient.PatientService;
import dev.him.records.resource.ResourceStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Transaction and batch bundles.
 *
 * <p>A transaction applies every entry or none: POST (create, with If-None-Exist for Patients), PUT
 * (update of Type/id, If-Match honoured) and DELETE (logical) in the order FHIR prescribes
 * (deletes, then creates, then updates). Ids are assigned first so that urn:uuid references between
 * entries can be rewritten to the stored ids; a reference to a urn:uuid the bundle does not contain
 * refuses the whole bundle. Patients go through the master patient index.
 *
 * <p>A batch applies each entry on its own (each in its own database transaction): one entry's
 * failure is reported in its response entry and does not undo the others.
 */
@ApplicationScoped
public class BundleService {
  /** FHIR's processing order for a transaction: deletes, creates, updates (reads are refused). */
  private static final List<HTTPVerb> ORDER = List.of(HTTPVerb.DELETE, HTTPVerb.POST, HTTPVerb.PUT);

  @Inject PatientService patients;
  @Inject ResourceStore store;
  @Inject FhirParser fhir;
  @Inject AccessRecorder access;
  @Inject BundleEntries entries;
  @Inject RecordChecks checks;

  /** One entry's outcome, in the order of the request's entries. */
  public record Outcome(
      String status, String location, Integer version, Resource resource, String patientId) {}

  @Transactional
  public List<Outcome> transaction(Bundle bundle) {
    List<Bundle.BundleEntryComponent> list = bundle.getEntry();
    List<InvalidParam> problems = new ArrayList<>();
    Map<String, String> ids = new HashMap<>();
    String[] assigned = new String[list.size()];
    Set<Integer> reused = new java.util.HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Bundle.BundleEntryComponent e = list.get(i);
      String where = "Bundle.entry[" + i + "]";
      HTTPVerb method = e.hasRequest() ? e.getRequest().getMethod() : null;
      if (method == null || !ORDER.contains(method)) {
        problems.add(
            new InvalidParam(
                where + ".request.method",
                "must be POST, PUT or DELETE in a transaction (reads belong in a batch)"));
        continue;
      }
      String type;
      if (method == HTTPVerb.POST) {
        if (!e.hasResource()) {
          problems.add(new InvalidParam(where + ".resource", "is required"));
          continue;
        }
        type = e.getResource().fhirType();
        checkType(type, where + ".resource.resourceType", problems);
        String id = UUID.randomUUID().toString();
        if ("Patient".equals(type) && e.getRequest().hasIfNoneExist()) {
          // conditional create: a bundle sent twice reuses the patient instead of duplicating it
          var existing = patients.findExisting(e.getRequest().getIfNoneExist());
          if (existing.isPresent()) {
            id = existing.get().id();
            reused.add(i);
          }
        }
        assigned[i] = id;
      } else {
        String[] target = target(e, where, problems);
        if (target == null) continue;
        type = target[0];
        assigned[i] = target[1];
        checkType(type, where + ".request.url", problems);
        if (method == HTTPVerb.PUT) {
          if (!e.hasResource()) {
            problems.add(new InvalidParam(where + ".resource", "is required"));
            continue;
          }
          if (!e.getResource().fhirType().equals(type)) {
            problems.add(
                new InvalidParam(
                    where + ".resource.resourceType", "must be " + type + ", as the url says"));
          }
        }
      }
      if (e.hasFullUrl() && method != HTTPVerb.DELETE) {
        if (ids.put(e.getFullUrl(), type + "/" + assigned[i]) != null) {
          problems.add(new InvalidParam(where + ".fullUrl", "appears twice in the bundle"));
        }
      }
    }
    FhirTerser terser = fhir.context().newTerser();
    for (int i = 0; i < list.size(); i++) {
      Resource r = list.get(i).getResource();
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
    Outcome[] outcomes = new Outcome[list.size()];
    Set<String> created = new LinkedHashSet<>();
    for (HTTPVerb phase : ORDER) {
      for (int i = 0; i < list.size(); i++) {
        Bundle.BundleEntryComponent e = list.get(i);
        if (e.getRequest().getMethod() != phase) continue;
        try {
          if (reused.contains(i)) {
            PatientRecord existing = PatientRecord.findById(assigned[i]);
            created.add(assigned[i]);
            outcomes[i] =
                new Outcome(
                    "200 OK", "Patient/" + assigned[i], existing.versionId, null, assigned[i]);
            continue;
          }
          outcomes[i] = entries.apply(e, assigned[i]);
          if (phase == HTTPVerb.POST && outcomes[i].patientId() != null) {
            created.add(outcomes[i].patientId());
          }
        } catch (ProblemException ex) {
          throw located(i, ex);
        }
      }
    }
    if (!created.isEmpty() || list.isEmpty()) {
      access.success(
          AccessAction.CREATE,
          "Bundle",
          null,
          List.copyOf(created),
          "transaction: " + list.size() + " entries");
    }
    // chart checks see the whole bundle: an Encounter with the Conditions posted after it
    checks.afterWrites();
    return Arrays.asList(outcomes);
  }

  /** Each entry on its own; failures become that entry's OperationOutcome. */
  public List<Outcome> batch(Bundle bundle) {
    List<Outcome> outcomes = new ArrayList<>();
    List<Bundle.BundleEntryComponent> list = bundle.getEntry();
    for (int i = 0; i < list.size(); i++) {
      Bundle.BundleEntryComponent e = list.get(i);
      String where = "Bundle.entry[" + i + "]";
      try {
        HTTPVerb method = e.hasRequest() ? e.getRequest().getMethod() : null;
        if (method == null || method == HTTPVerb.HEAD || method == HTTPVerb.PATCH) {
          throw ProblemException.badRequest(
              where + ".request.method", "must be GET, POST, PUT or DELETE");
        }
        if (e.hasResource()) {
          for (Reference ref :
              fhir.context()
                  .newTerser()
                  .getAllPopulatedChildElementsOfType(e.getResource(), Reference.class)) {
            if (ref.hasReference() && ref.getReference().startsWith("urn:uuid:")) {
              throw ProblemException.badRequest(
                  where,
                  "reference "
                      + ref.getReference()
                      + ": entries of a batch cannot refer to each other (use a transaction)");
            }
          }
        }
        String id;
        if (method == HTTPVerb.POST) {
          if (!e.hasResource())
            throw ProblemException.badRequest(where + ".resource", "is required");
          List<InvalidParam> problems = new ArrayList<>();
          checkType(e.getResource().fhirType(), where + ".resource.resourceType", problems);
          if (!problems.isEmpty()) throw new ProblemException(400, "Invalid entry", null, problems);
          id = UUID.randomUUID().toString();
        } else {
          List<InvalidParam> problems = new ArrayList<>();
          String[] target = target(e, where, problems);
          if (target != null) checkType(target[0], where + ".request.url", problems);
          if (!problems.isEmpty()) throw new ProblemException(400, "Invalid entry", null, problems);
          id = target[1];
        }
        outcomes.add(entries.applyAlone(e, id));
      } catch (ProblemException ex) {
        outcomes.add(failed(ex));
      }
    }
    return outcomes;
  }

  /** Type and id from request.url "Type/id" (a base URL before it is allowed). */
  private static String[] target(
      Bundle.BundleEntryComponent e, String where, List<InvalidParam> problems) {
    String url = e.getRequest().getUrl();
    if (url == null || url.isBlank()) {
      problems.add(new InvalidParam(where + ".request.url", "is required, as Type/id"));
      return null;
    }
    if (url.contains("?")) {
      problems.add(
          new InvalidParam(
              where + ".request.url",
              e.getRequest().getMethod() == HTTPVerb.GET
                  ? "searches are not supported in a batch; only reads of Type/id"
                  : "conditional update and delete are not supported; name the resource as Type/id"));
      return null;
    }
    String[] parts = url.replaceFirst("^.*?/fhir/r4/", "").split("/");
    if (parts.length != 2 || !parts[0].matches("[A-Z][A-Za-z]+") || parts[1].isBlank()) {
      problems.add(new InvalidParam(where + ".request.url", "must be Type/id, not " + url));
      return null;
    }
    return parts;
  }

  private void checkType(String type, String field, List<InvalidParam> problems) {
    if ("Patient".equals(type)) return;
    try {
      store.typeOf(type);
    } catch (ProblemException ex) {
      problems.add(new InvalidParam(field, ex.getMessage()));
    }
  }

  private static ProblemException located(int i, ProblemException ex) {
    List<InvalidParam> where = new ArrayList<>();
    for (InvalidParam p : ex.invalidParams()) {
      where.add(new InvalidParam("Bundle.entry[" + i + "]." + p.name(), p.reason()));
    }
    return new ProblemException(
        ex.status(), ex.title(), "Bundle.entry[" + i + "]: " + ex.getMessage(), where);
  }

  private static Outcome failed(ProblemException ex) {
    OperationOutcome oo = new OperationOutcome();
    String code = dev.him.common.problem.ErrorResponses.issueCode(ex.status());
    if (ex.invalidParams().isEmpty()) {
      oo.addIssue()
          .setSeverity(OperationOutcome.IssueSeverity.ERROR)
          .setCode(OperationOutcome.IssueType.fromCode(code))
          .setDiagnostics(ex.getMessage() == null ? ex.title() : ex.getMessage());
    }
    for (InvalidParam p : ex.invalidParams()) {
      oo.addIssue()
          .setSeverity(OperationOutcome.IssueSeverity.ERROR)
          .setCode(OperationOutcome.IssueType.fromCode(code))
          .setDiagnostics(p.reason())
          .addExpression(p.name());
    }
    return new Outcome(ex.status() + " " + ex.title(), null, null, oo, null);
  }

  static String etag(Integer version) {
    return version == null ? null : ETags.of(version).toString();
  }
}
