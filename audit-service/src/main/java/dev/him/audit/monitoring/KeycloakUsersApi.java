package dev.him.audit.monitoring;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * Keycloak's admin REST API, users part, with this service's token (client credentials of client
 * audit-service, which has realm-management view-users).
 */
@RegisterRestClient(configKey = "keycloak-admin")
@OidcClientFilter
@Path("/admin/realms/{realm}/users")
interface KeycloakUsersApi {

  @JsonIgnoreProperties(ignoreUnknown = true)
  record User(
      String username, String firstName, String lastName, Map<String, List<String>> attributes) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  List<User> find(
      @PathParam("realm") String realm,
      @QueryParam("username") String username,
      @QueryParam("exact") boolean exact);
}
