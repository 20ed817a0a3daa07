package dev.him.requests.records;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The part of records-service's FHIR API this service reads. Calls carry the service's own token
 * (client credentials grant of client requests-service, OidcClientFilter); bodies stay FHIR JSON
 * strings and are parsed with HAPI FHIR by RecordsClient.
 */
@RegisterRestClient(configKey = "records-service")
@OidcClientFilter
@Path("/fhir/r4")
@Produces("application/fhir+json")
interface RecordsApi {

  @GET
  @Path("Patient")
  String searchPatients(
      @QueryParam("family") String family,
      @QueryParam("given") String given,
      @QueryParam("birthdate") String birthDate,
      @QueryParam("identifier") String identifier,
      @QueryParam("_count") Integer count,
      @HeaderParam("X-Request-Id") String requestId);

  @GET
  @Path("Patient/{id}")
  String readPatient(@PathParam("id") String id, @HeaderParam("X-Request-Id") String requestId);

  /** The whole record in one Bundle; sensitive resources the account may not see are withheld. */
  @GET
  @Path("Patient/{id}/$everything")
  String everything(
      @PathParam("id") String id,
      @HeaderParam("X-Purpose-Of-Use") String purposeOfUse,
      @HeaderParam("X-Request-Id") String requestId);
}
