package dev.him.records.patient;

import static dev.him.records.fhir.FhirMediaTypes.FHIR_JSON;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.records.fhir.ETags;
import dev.him.records.fhir.FhirParser;
import dev.him.records.fhir.SearchLinks;
import dev.him.records.fhir.SearchsetJson;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;

/** FHIR R4 Patient: create, read and search. */
@Path("/fhir/r4/Patient")
@Produces({FHIR_JSON, MediaType.APPLICATION_JSON})
@Tag(name = "FHIR Patient", description = "Patients of the master patient index (FHIR R4)")
public class PatientResource {
  static final String CHANGE_REASON = "X-Change-Reason";
  static final String CHANGE_REASON_EXTENSION =
      "https://him.dev/fhir/StructureDefinition/change-reason";
  static final String AUTHOR_EXTENSION = "https://him.dev/fhir/StructureDefinition/change-author";
  static final String READERS_NOTE =
      "Roles: him-clerk, clinician, coder, roi-specialist, him-admin, hospital-system.";

  @Inject PatientService patients;
  @Inject FhirParser fhir;
  @Context UriInfo uri;

  @POST
  @Consumes({FHIR_JSON, MediaType.APPLICATION_JSON})
  @RolesAllowed({Roles.CLERK, Roles.ADMIN, Roles.HOSPITAL_SYSTEM})
  @AuditedAccess(resourceType = "Patient", action = AccessAction.CREATE)
  @Operation(
      summary = "Register a patient",
      description =
          "Assigns the id and a medical record number. Roles: him-clerk, him-admin, hospital-system.")
  @APIResponse(responseCode = "201", description = "Created; Location points to version 1")
  @APIResponse(
      responseCode = "200",
      description =
          "If-None-Exist (e.g. identifier=system|value) matched one patient: nothing created")
  @APIResponse(responseCode = "412", description = "If-None-Exist matched several patients")
  @APIResponse(
      responseCode = "400",
      description = "Malformed JSON or invalid Patient (OperationOutcome)")
  @APIResponse(
      responseCode = "409",
      description = "An identifier is already assigned to another patient")
  public Response create(@HeaderParam("If-None-Exist") String ifNoneExist, byte[] body) {
    // FHIR JSON is always UTF-8, whatever charset the client claims
    Patient patient = fhir.parse(new String(body, StandardCharsets.UTF_8), Patient.class);
    if (ifNoneExist != null && !ifNoneExist.isBlank()) {
      var existing = patients.findExisting(ifNoneExist);
      if (existing.isPresent()) {
        // conditional create that found its patient: nothing new, the existing one back
        return Response.ok(fhir.write(existing.get().resource()), FHIR_JSON)
            .tag(etag(existing.get().versionId()))
            .contentLocation(
                uri.getBaseUriBuilder().path("fhir/r4/Patient/{id}").build(existing.get().id()))
            .build();
      }
    }
    PatientService.StoredPatient stored = patients.create(patient);
    URI location =
        uri.getBaseUriBuilder()
            .path("fhir/r4/Patient/{id}/_history/{v}")
            .build(stored.id(), stored.versionId());
    return Response.created(location)
        .tag(etag(stored.versionId()))
        .type(FHIR_JSON)
        .entity(fhir.write(stored.resource()))
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
  @AuditedAccess(resourceType = "Patient", action = AccessAction.READ)
  @Operation(summary = "Read a patient", description = READERS_NOTE)
  @APIResponse(
      responseCode = "200",
      description =
          "The patient; ETag carries the version. A merged patient is still answered (active"
              + " false, Patient.link replaced-by) with a header Link: <.../Patient/{survivor}>;"
              + " rel=\"replaced-by\"")
  @APIResponse(responseCode = "404", description = "No such patient (OperationOutcome)")
  public Response read(@PathParam("id") @Parameter(description = "Patient id") String id) {
    // the stored JSON as it is: parsing and re-writing it cost more CPU than the rest of a read
    PatientRecord p =
        patients
            .readRow(id)
            .orElseThrow(() -> ProblemException.notFound("Patient/" + id + " is not known"));
    // 200 with the merged record itself rather than a 301: the caller asked for this id and gets
    // its ETag and its link; a client that follows redirects blindly would never learn of the merge
    Response.ResponseBuilder ok = Response.ok(p.resource, FHIR_JSON).tag(etag(p.versionId));
    Optional.ofNullable(p.mergedInto)
        .ifPresent(
            survivor ->
                ok.header(
                    "Link",
                    "<"
                        + uri.getBaseUriBuilder().path("fhir/r4/Patient/{id}").build(survivor)
                        + ">; rel=\"replaced-by\""));
    return ok.build();
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
  @AuditedAccess(resourceType = "Patient", action = AccessAction.SEARCH)
  @Operation(
      summary = "Search patients",
      description =
          "Parameters: identifier ([system|]value), name, family, given, birthdate"
              + " ([eq|ne|lt|le|gt|ge]YYYY-MM-DD), gender; _count (max 100), _offset. "
              + READERS_NOTE)
  @APIResponse(responseCode = "200", description = "A searchset Bundle with total and next link")
  @APIResponse(
      responseCode = "400",
      description = "Unknown parameter or bad value (OperationOutcome)")
  public Response search() {
    PatientSearch criteria = PatientSearch.parse(uri.getQueryParameters());
    PatientSearch.Page page = patients.search(criteria);
    String base = uri.getBaseUriBuilder().path("fhir/r4").build().toString();
    String next =
        page.hasNext()
            ? SearchLinks.next(uri, page.offset(), page.rows().size(), page.count())
            : null;
    SearchsetJson bundle = new SearchsetJson(page.total(), uri.getRequestUri().toString(), next);
    for (PatientRecord row : page.rows()) {
      bundle.match(base + "/Patient/" + row.id, row.resource);
    }
    return Response.ok(bundle.build(), FHIR_JSON).build();
  }

  @GET
  @Path("{id}/$everything")
  @RolesAllowed({
    Roles.CLERK,
    Roles.CLINICIAN,
    Roles.CODER,
    Roles.ROI,
    Roles.ADMIN,
    Roles.HOSPITAL_SYSTEM
  })
  @AuditedAccess(resourceType = "Patient", action = AccessAction.READ)
  @Operation(summary = "The whole record of a patient ($everything)", description = READERS_NOTE)
  @APIResponse(
      responseCode = "200",
      description = "A searchset Bundle: the patient, then every resource about them")
  public Response everything(@PathParam("id") String id) {
    PatientService.Everything everything = patients.everything(id);
    List<PatientService.RecordEntry> resources = everything.entries();
    String base = uri.getBaseUriBuilder().path("fhir/r4/").build().toString();
    StringBuilder json =
        new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":")
            .append(resources.size())
            .append(",\"entry\":[");
    for (int i = 0; i < resources.size(); i++) {
      PatientService.RecordEntry r = resources.get(i);
      if (i > 0) json.append(',');
      json.append("{\"fullUrl\":\"")
          .append(base)
          .append(r.type())
          .append('/')
          .append(r.id())
          .append("\",\"resource\":")
          .append(r.json())
          .append(",\"search\":{\"mode\":\"match\"}}");
    }
    if (everything.withheld() > 0) {
      json.append(',').append(SensitiveRecords.withheldOutcomeEntry(everything.withheld()));
    }
    json.append("]}");
    return Response.ok(json.toString(), FHIR_JSON).build();
  }

  @PUT
  @Path("{id}")
  @Consumes({FHIR_JSON, MediaType.APPLICATION_JSON})
  @RolesAllowed({Roles.CLERK, Roles.ADMIN, Roles.HOSPITAL_SYSTEM})
  @AuditedAccess(resourceType = "Patient", action = AccessAction.UPDATE)
  @Operation(
      summary = "Update a patient (new version)",
      description =
          "Send If-Match: W/\"n\" with the version you read; a stale version gets 412. A"
              + " correction's reason goes in X-Change-Reason and is kept with the version."
              + " Roles: him-clerk, him-admin, hospital-system.")
  @APIResponse(responseCode = "200", description = "The new version; ETag carries its number")
  @APIResponse(responseCode = "400", description = "Invalid Patient or id not matching the URL")
  @APIResponse(responseCode = "404", description = "No such patient")
  @APIResponse(
      responseCode = "409",
      description =
          "An identifier belongs to another patient, or the patient was merged (the detail names"
              + " the survivor)")
  @APIResponse(responseCode = "410", description = "The patient was deleted")
  @APIResponse(responseCode = "412", description = "If-Match names an older version")
  public Response update(
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      @HeaderParam(CHANGE_REASON) String reason,
      byte[] body) {
    Integer expected = ifMatch == null ? null : ETags.parseIfMatch(ifMatch);
    Patient patient = fhir.parse(new String(body, StandardCharsets.UTF_8), Patient.class);
    PatientService.StoredPatient stored =
        patients.update(
            id, patient, expected, reason == null || reason.isBlank() ? null : reason.strip());
    URI location =
        uri.getBaseUriBuilder()
            .path("fhir/r4/Patient/{id}/_history/{v}")
            .build(stored.id(), stored.versionId());
    return Response.ok(fhir.write(stored.resource()), FHIR_JSON)
        .tag(etag(stored.versionId()))
        .contentLocation(location)
        .build();
  }

  @DELETE
  @Path("{id}")
  @RolesAllowed(Roles.ADMIN)
  @AuditedAccess(resourceType = "Patient", action = AccessAction.DELETE)
  @Operation(
      summary = "Delete a patient (logically)",
      description =
          "The patient is marked deleted: reads answer 410 and searches leave it out; every"
              + " version stays readable through _history. Role: him-admin.")
  @APIResponse(responseCode = "204", description = "Deleted (or already deleted)")
  @APIResponse(responseCode = "404", description = "No such patient")
  @APIResponse(
      responseCode = "409",
      description =
          "Merged into another patient, or the survivor of an active merge (unmerge first)")
  public Response delete(@PathParam("id") String id, @HeaderParam(CHANGE_REASON) String reason) {
    patients.delete(id, reason);
    return Response.noContent().build();
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
  @AuditedAccess(resourceType = "Patient", action = AccessAction.READ)
  @Operation(summary = "Every version of a patient, newest first", description = READERS_NOTE)
  @APIResponse(responseCode = "200", description = "A history Bundle")
  public Response history(@PathParam("id") String id) {
    String base = uri.getBaseUriBuilder().path("fhir/r4/Patient/").build().toString();
    Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY);
    List<PatientVersion> versions = patients.history(id, null);
    bundle.setTotal(versions.size());
    for (PatientVersion v : versions) {
      Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(base + id);
      if (!"DELETE".equals(v.method)) {
        entry.setResource(fhir.parse(v.resource, Patient.class));
      }
      entry
          .getRequest()
          .setMethod(Bundle.HTTPVerb.fromCode(v.method))
          .setUrl("Patient" + ("POST".equals(v.method) ? "" : "/" + id));
      entry
          .getResponse()
          .setStatus(
              "POST".equals(v.method)
                  ? "201 Created"
                  : "DELETE".equals(v.method) ? "204 No Content" : "200 OK")
          .setEtag(etag(v.key.versionId()).toString())
          .setLastModified(java.util.Date.from(v.recordedAt));
      if (v.reason != null) {
        entry
            .getRequest()
            .addExtension(CHANGE_REASON_EXTENSION, new org.hl7.fhir.r4.model.StringType(v.reason));
      }
      entry
          .getRequest()
          .addExtension(AUTHOR_EXTENSION, new org.hl7.fhir.r4.model.StringType(v.recordedBy));
    }
    return Response.ok(fhir.write(bundle), FHIR_JSON).build();
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
  @AuditedAccess(resourceType = "Patient", action = AccessAction.READ)
  @Operation(summary = "One version of a patient", description = READERS_NOTE)
  @APIResponse(responseCode = "200", description = "That version")
  @APIResponse(responseCode = "404", description = "No such patient or version")
  @APIResponse(responseCode = "410", description = "That version is the deletion")
  public Response version(@PathParam("id") String id, @PathParam("vid") String vid) {
    int version;
    try {
      version = Integer.parseInt(vid);
    } catch (NumberFormatException e) {
      throw ProblemException.notFound("Patient/" + id + " has no version " + vid);
    }
    PatientVersion v = patients.history(id, version).get(0);
    if ("DELETE".equals(v.method)) {
      throw new ProblemException(
          410, "Gone", "Version " + version + " of Patient/" + id + " is its deletion", List.of());
    }
    return Response.ok(v.resource, FHIR_JSON).tag(etag(version)).build();
  }

  private static EntityTag etag(int version) {
    return ETags.of(version);
  }
}
