package dev.him.audit.fhir;

import ca.uhn.fhir.context.FhirContext;
import dev.him.audit.log.AuditEntry;
import dev.him.common.access.Roles;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.Bundle;

/** FHIR AuditEvent search over the access log, for the privacy officer. */
@Path("/fhir/r4/AuditEvent")
@Produces({"application/fhir+json", MediaType.APPLICATION_JSON})
@Tag(name = "FHIR AuditEvent", description = "The access log as FHIR R4 AuditEvents")
public class AuditEventResource {
  static final int DEFAULT_COUNT = 50;
  static final int MAX_COUNT = 200;
  private static final Set<String> KNOWN =
      Set.of("entity", "patient", "_count", "_offset", "_format");

  private final FhirContext fhir = FhirContext.forR4Cached();

  @Inject EntityManager em;
  @Context UriInfo uri;

  @GET
  @Transactional
  @RolesAllowed(Roles.PRIVACY)
  @Operation(
      summary = "Who accessed a patient's record",
      description =
          "entity=Patient/{id} (or patient={id}); newest first; _count (max 200), _offset."
              + " Role: privacy-officer.")
  @APIResponse(responseCode = "200", description = "A searchset Bundle of AuditEvents")
  @APIResponse(
      responseCode = "400",
      description = "Missing or unknown parameter (OperationOutcome)")
  public Response search() {
    var q = uri.getQueryParameters();
    List<InvalidParam> problems = new ArrayList<>();
    q.keySet().stream()
        .filter(k -> !KNOWN.contains(k))
        .forEach(
            k ->
                problems.add(
                    new InvalidParam(k, "is not a supported search parameter for AuditEvent")));
    String patient = null;
    String entity = q.getFirst("entity");
    if (entity != null) {
      if (!entity.startsWith("Patient/") || entity.length() <= "Patient/".length()) {
        problems.add(new InvalidParam("entity", "must be Patient/{id}"));
      } else {
        patient = entity.substring("Patient/".length());
      }
    } else if (q.getFirst("patient") != null) {
      patient = q.getFirst("patient").replaceFirst("^Patient/", "");
    } else {
      problems.add(new InvalidParam("entity", "is required: entity=Patient/{id}"));
    }
    int count = intParam(q.getFirst("_count"), DEFAULT_COUNT, "_count", problems);
    int offset = intParam(q.getFirst("_offset"), 0, "_offset", problems);
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid search", "The search cannot be run", problems);
    }
    count = Math.min(count, MAX_COUNT);

    long total =
        ((Number)
                em.createNativeQuery(
                        "select count(*) from audit_entry where patient_ids @> array[cast(?1 as text)]")
                    .setParameter(1, patient)
                    .getSingleResult())
            .longValue();
    @SuppressWarnings("unchecked")
    List<AuditEntry> rows =
        em.createNativeQuery(
                "select * from audit_entry where patient_ids @> array[cast(?1 as text)]"
                    + " order by occurred_at desc, seq desc limit ?2 offset ?3",
                AuditEntry.class)
            .setParameter(1, patient)
            .setParameter(2, count)
            .setParameter(3, offset)
            .getResultList();

    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal((int) total);
    bundle.addLink().setRelation("self").setUrl(uri.getRequestUri().toString());
    if (offset + rows.size() < total) {
      bundle
          .addLink()
          .setRelation("next")
          .setUrl(
              uri.getRequestUriBuilder()
                  .replaceQueryParam("_offset", offset + rows.size())
                  .replaceQueryParam("_count", count)
                  .build()
                  .toString());
    }
    String base = uri.getBaseUriBuilder().path("fhir/r4/AuditEvent/").build().toString();
    for (AuditEntry row : rows) {
      bundle
          .addEntry()
          .setFullUrl(base + row.eventId)
          .setResource(AuditEventMapper.toFhir(row))
          .getSearch()
          .setMode(Bundle.SearchEntryMode.MATCH);
    }
    return Response.ok(fhir.newJsonParser().encodeResourceToString(bundle), "application/fhir+json")
        .build();
  }

  private static int intParam(String value, int dflt, String name, List<InvalidParam> problems) {
    if (value == null) return dflt;
    try {
      int n = Integer.parseInt(value);
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      problems.add(new InvalidParam(name, "must be a whole number, 0 or more"));
      return dflt;
    }
  }
}
