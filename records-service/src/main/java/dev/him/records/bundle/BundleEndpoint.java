package dev.him.records.bundle;

import static dev.him.records.fhir.FhirMediaTypes.FHIR_JSON;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.records.fhir.ETags;
import dev.him.records.fhir.FhirParser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * POST /fhir/r4 with a transaction or batch bundle, as hospital systems (and Synthea) send them.
 */
@Path("/fhir/r4")
@Tag(name = "FHIR transactions", description = "Transaction bundles: all entries or none")
public class BundleEndpoint {
  @Inject BundleService bundles;
  @Inject FhirParser fhir;

  @POST
  @Consumes({FHIR_JSON, MediaType.APPLICATION_JSON})
  @Produces({FHIR_JSON, MediaType.APPLICATION_JSON})
  @RolesAllowed({Roles.CLERK, Roles.ADMIN, Roles.HOSPITAL_SYSTEM})
  @AuditedAccess(resourceType = "Bundle", action = AccessAction.CREATE)
  @Operation(
      summary = "Process a transaction or batch bundle",
      description =
          "Transaction: every entry (POST, PUT, DELETE) or none; urn:uuid references between"
              + " entries are resolved. Batch: each entry (GET, POST, PUT, DELETE) on its own,"
              + " failures reported per entry. Roles: him-clerk, him-admin, hospital-system.")
  @APIResponse(
      responseCode = "200",
      description = "transaction-response Bundle with each entry's location")
  @APIResponse(responseCode = "400", description = "Invalid bundle (which entry and why)")
  public Response process(byte[] body) {
    Bundle bundle = fhir.parse(new String(body, StandardCharsets.UTF_8), Bundle.class);
    Bundle response;
    List<BundleService.Outcome> outcomes;
    if (bundle.getType() == Bundle.BundleType.TRANSACTION) {
      outcomes = bundles.transaction(bundle);
      response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
    } else if (bundle.getType() == Bundle.BundleType.BATCH) {
      outcomes = bundles.batch(bundle);
      response = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
    } else {
      throw ProblemException.badRequest("Bundle.type", "must be transaction or batch");
    }
    for (BundleService.Outcome o : outcomes) {
      Bundle.BundleEntryComponent entry = response.addEntry();
      entry.getResponse().setStatus(o.status()).setLocation(o.location());
      if (o.version() != null) {
        entry.getResponse().setEtag(ETags.of(o.version()).toString());
      }
      if (o.resource() instanceof OperationOutcome oo) {
        entry.getResponse().setOutcome(oo);
      } else if (o.resource() != null) {
        entry.setResource(o.resource());
      }
    }
    return Response.ok(fhir.write(response), FHIR_JSON).build();
  }
}
