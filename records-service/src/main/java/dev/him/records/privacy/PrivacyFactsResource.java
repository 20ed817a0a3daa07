package dev.him.records.privacy;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.events.v1.AccessAction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The facts audit-service's privacy monitoring judges an access by (service accounts only). */
@Path("/api/records/patients/{id}/privacy-facts")
@Tag(name = "Privacy monitoring", description = "Facts for audit-service's privacy rules")
public class PrivacyFactsResource {
  @Inject PrivacyFacts facts;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.PLATFORM_SERVICE)
  @AuditedAccess(resourceType = "Patient", action = AccessAction.READ)
  @Operation(
      summary = "Privacy facts of a patient",
      description =
          "Family names, street addresses (first line and postal code), VIP (meta.security CEL)"
              + " and all security codes, death, and the Practitioner ids of the patient's"
              + " encounters. The read is recorded with the caller's X-Purpose-Of-Use. Role:"
              + " platform-service.")
  @APIResponse(responseCode = "200", description = "The facts")
  @APIResponse(responseCode = "404", description = "No such patient")
  public PrivacyFacts.Facts get(@PathParam("id") String id) {
    return facts.of(id);
  }
}
