package dev.him.audit.monitoring;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** records-service's privacy facts, read with this service's own token (role platform-service). */
@RegisterRestClient(configKey = "records-service")
@OidcClientFilter
@Path("/api/records/patients")
interface RecordsApi {

  @GET
  @Path("{id}/privacy-facts")
  @Produces(MediaType.APPLICATION_JSON)
  PatientFacts facts(
      @PathParam("id") String patientId, @HeaderParam("X-Purpose-Of-Use") String purposeOfUse);
}
