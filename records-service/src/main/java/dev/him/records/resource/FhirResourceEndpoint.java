package dev.him.records.resource;

import static dev.him.records.fhir.FhirMediaTypes.FHIR_JSON;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.records.fhir.ETags;
import dev.him.records.fhir.FhirParser;
import dev.him.records.fhir.SearchLinks;
import dev.him.records.fhir.SearchsetJson;
import dev.him.records.patient.PatientRecord;
import dev.him.records.patient.PatientService;
import dev.him.records.privacy.SensitiveRecords;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR R4 for the clinical record beyond Patient: Encounter, Condition, Procedure,
 * MedicationRequest, Observation, AllergyIntolerance, Immunization, DiagnosticReport,
 * DocumentReference, Practitioner, Organization, and any other R4 type a hospital system sends
 * (Claim, ExplanationOfBenefit, CarePlan, Goal, ImagingStudy...), which is stored and readable.
 */
@Path("/fhir/r4/{type: [A-Z][A-Za-z]+}")
@Produces({FHIR_JSON, MediaType.APPLICATION_JSON})
@Tag(
    name = "FHIR clinical record",
    description = "Encounters, conditions, procedures and the rest (FHIR R4)")
public class FhirResourceEndpoint {
  static final String READERS =
      "Roles: him-clerk, clinician, coder, roi-specialist, him-admin, hospital-system.";

  @Inject ResourceStore store;
  @Inject PatientService patients;
  @Inject FhirParser fhir;
  @Context UriInfo uri;

  @POST
  @Consumes({FHIR_JSON, MediaType.APPLICATION_JSON})
  @RolesAllowed({Roles.CLERK, Roles.CLINICIAN, Roles.ADMIN, Roles.HOSPITAL_SYSTEM})
  @AuditedAccess(resourceType = "{type}", action = AccessAction.CREATE)
  @Operation(
      summary = "Create a resource",
      description = "Roles: him-clerk, clinician, him-admin, hospital-system.")
  @APIResponse(responseCode = "201", description = "Created; Location points to version 1")
  @APIResponse(responseCode = "400", description = "Invalid resource (OperationOutcome)")
  @APIResponse(responseCode = "404", description = "Unknown resource type")
  public Response create(@PathParam("type") String type, byte[] body) {
    Resource resource =
        (Resource) fhir.parse(new String(body, StandardCharsets.UTF_8), store.typeOf(type));
    ResourceStore.Stored stored = store.create(resource);
    return Response.created(
            uri.getBaseUriBuilder()
                .path("fhir/r4/{t}/{id}/_history/{v}")
                .build(type, stored.id(), 1))
        .tag(etag(1))
        .type(FHIR_JSON)
        .entity(stored.json())
        .build();
  }

  @GET
  @Path("{id}")
  @RolesAllowed({
    Roles.CLERK,
    Roles.CLINICIAN,
    Roles.CODER,
    Roles.ROI,
    Roles.ADMIN,
    Roles.HOSPITAL_SYSTEM
  })
  @AuditedAccess(resourceType = "{type}", action = AccessAction.READ)
  @Operation(summary = "Read a resource", description = READERS)
  @APIResponse(responseCode = "200", description = "The resource; ETag carries the version")
  @APIResponse(responseCode = "404", description = "Unknown type or id")
  public Response read(@PathParam("type") String type, @PathParam("id") String id) {
    store.typeOf(type);
    ResourceStore.Stored stored = store.read(type, id);
    return Response.ok(stored.json(), FHIR_JSON).tag(etag(stored.versionId())).build();
  }

  @PUT
  @Path("{id}")
  @Consumes({FHIR_JSON, MediaType.APPLICATION_JSON})
  @RolesAllowed({Roles.CLERK, Roles.CLINICIAN, Roles.ADMIN, Roles.HOSPITAL_SYSTEM})
  @AuditedAccess(resourceType = "{type}", action = AccessAction.UPDATE)
  @Operation(
      summary = "Update a resource (new version)",
      description =
          "If-Match: W/\"n\" is checked (412 when stale); X-Change-Reason is kept. Roles: him-clerk, clinician, him-admin, hospital-system.")
  @APIResponse(responseCode = "200", description = "The new version")
  @APIResponse(responseCode = "412", description = "If-Match names an older version")
  public Response update(
      @PathParam("type") String type,
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      @HeaderParam("X-Change-Reason") String reason,
      byte[] body) {
    Resource resource =
        (Resource) fhir.parse(new String(body, StandardCharsets.UTF_8), store.typeOf(type));
    Integer expected = ifMatch == null ? null : ETags.parseIfMatch(ifMatch);
    ResourceStore.Stored stored =
        store.update(
            type,
            id,
            resource,
            expected,
            reason == null || reason.isBlank() ? null : reason.strip());
    return Response.ok(stored.json(), FHIR_JSON).tag(etag(stored.versionId())).build();
  }

  @DELETE
  @Path("{id}")
  @RolesAllowed(Roles.ADMIN)
  @AuditedAccess(resourceType = "{type}", action = AccessAction.DELETE)
  @Operation(
      summary = "Delete a resource (logically)",
      description =
          "Marked deleted: reads answer 410, searches leave it out, every version stays in"
              + " _history. Refused (409) while a legal hold covers its patient or encounter."
              + " Role: him-admin.")
  @APIResponse(responseCode = "204", description = "Deleted (or already deleted)")
  @APIResponse(responseCode = "404", description = "Unknown type or id")
  @APIResponse(responseCode = "409", description = "Under legal hold")
  public Response delete(
      @PathParam("type") String type,
      @PathParam("id") String id,
      @HeaderParam("X-Change-Reason") String reason) {
    store.typeOf(type);
    store.delete(type, id, reason == null || reason.isBlank() ? null : reason.strip());
    return Response.noContent().build();
  }

  @GET
  @Path("{id}/_history/{vid}")
  @RolesAllowed({
    Roles.CLERK,
    Roles.CLINICIAN,
    Roles.CODER,
    Roles.ROI,
    Roles.ADMIN,
    Roles.HOSPITAL_SYSTEM
  })
  @AuditedAccess(resourceType = "{type}", action = AccessAction.READ)
  @Operation(summary = "One version of a resource", description = READERS)
  public Response version(
      @PathParam("type") String type, @PathParam("id") String id, @PathParam("vid") String vid) {
    store.typeOf(type);
    int version;
    try {
      version = Integer.parseInt(vid);
    } catch (NumberFormatException e) {
      throw ProblemException.notFound(type + "/" + id + " has no version " + vid);
    }
    Object[] row = store.history(type, id, version).get(0);
    return Response.ok((String) row[1], FHIR_JSON).tag(etag(version)).build();
  }

  @GET
  @Path("{id}/_history")
  @RolesAllowed({
    Roles.CLERK,
    Roles.CLINICIAN,
    Roles.CODER,
    Roles.ROI,
    Roles.ADMIN,
    Roles.HOSPITAL_SYSTEM
  })
  @AuditedAccess(resourceType = "{type}", action = AccessAction.READ)
  @Operation(summary = "Every version of a resource, newest first", description = READERS)
  public Response history(@PathParam("type") String type, @PathParam("id") String id) {
    Class<? extends org.hl7.fhir.instance.model.api.IBaseResource> cls = store.typeOf(type);
    Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY);
    var rows = store.history(type, id, null);
    bundle.setTotal(rows.size());
    String base = uri.getBaseUriBuilder().path("fhir/r4/").build().toString();
    for (Object[] r : rows) {
      int v = ((Number) r[0]).intValue();
      String method = (String) r[4];
      Bundle.BundleEntryComponent e = bundle.addEntry().setFullUrl(base + type + "/" + id);
      e.setResource((Resource) fhir.parse((String) r[1], cls));
      e.getRequest()
          .setMethod(Bundle.HTTPVerb.fromCode(method))
          .setUrl("POST".equals(method) ? type : type + "/" + id);
      e.getResponse()
          .setStatus("POST".equals(method) ? "201 Created" : "200 OK")
          .setEtag(etag(v).toString())
          .setLastModified(Date.from(((java.sql.Timestamp) toTimestamp(r[2])).toInstant()));
    }
    return Response.ok(fhir.write(bundle), FHIR_JSON).build();
  }

  @GET
  @RolesAllowed({
    Roles.CLERK,
    Roles.CLINICIAN,
    Roles.CODER,
    Roles.ROI,
    Roles.ADMIN,
    Roles.HOSPITAL_SYSTEM
  })
  @AuditedAccess(resourceType = "{type}", action = AccessAction.SEARCH)
  @Operation(
      summary = "Search resources of a type",
      description =
          "Encounter: patient, date, status, class. Condition, Procedure, MedicationRequest,"
              + " Observation: patient, encounter, code, date. Other types: patient. _include=Type:patient"
              + " adds the patients of the matches. _count (max 100),"
              + " _offset. Unknown parameters are refused. "
              + READERS)
  @APIResponse(responseCode = "200", description = "A searchset Bundle with total and next link")
  @APIResponse(responseCode = "400", description = "Unknown parameter or bad value")
  public Response search(@PathParam("type") String type) {
    store.typeOf(type);
    ResourceSearch criteria = ResourceSearch.parse(type, uri.getQueryParameters());
    ResourceSearch.Page page = store.search(criteria);
    String next =
        page.hasNext()
            ? SearchLinks.next(uri, page.offset(), page.rows().size(), page.count())
            : null;
    SearchsetJson bundle = new SearchsetJson(page.total(), uri.getRequestUri().toString(), next);
    String base = uri.getBaseUriBuilder().path("fhir/r4/").build().toString();
    for (ResourceStore.Stored s : page.rows()) {
      bundle.match(base + type + "/" + s.id(), s.json());
    }
    if (criteria.includePatient()) {
      List<String> ids =
          page.rows().stream()
              .map(ResourceStore.Stored::patientId)
              .filter(p -> p != null)
              .distinct()
              .toList();
      for (PatientRecord p : patients.current(ids)) {
        bundle.include(base + "Patient/" + p.id, p.resource);
      }
    }
    if (page.withheld() > 0) {
      bundle.raw(SensitiveRecords.withheldOutcomeEntry(page.withheld()));
    }
    return Response.ok(bundle.build(), FHIR_JSON).build();
  }

  private static Object toTimestamp(Object o) {
    if (o instanceof java.time.Instant i) return java.sql.Timestamp.from(i);
    if (o instanceof java.time.OffsetDateTime t) return java.sql.Timestamp.from(t.toInstant());
    return o;
  }

  private static EntityTag etag(int version) {
    return ETags.of(version);
  }
}
