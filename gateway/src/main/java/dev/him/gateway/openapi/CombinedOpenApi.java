package dev.him.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.him.gateway.routing.Routes;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * One OpenAPI document for the whole platform: each service's document, fetched from it and merged
 * (paths, schemas, security schemes), with the gateway as the server. Swagger UI at /q/swagger-ui
 * shows it. Documentation only, so it needs no token.
 */
@Path("/openapi")
public class CombinedOpenApi {
  private static final Logger LOG = Logger.getLogger(CombinedOpenApi.class);

  @Inject Vertx vertx;
  @Inject Routes routes;
  @Inject ObjectMapper json;

  private WebClient client;

  @PostConstruct
  void init() {
    client = WebClient.create(vertx);
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(hidden = true)
  public Uni<ObjectNode> document() {
    return Multi.createFrom()
        .iterable(routes.all().entrySet())
        .onItem()
        .transformToUniAndConcatenate(this::fetch)
        .collect()
        .asList()
        .map(
            docs -> {
              ObjectNode merged = json.createObjectNode();
              merged.put("openapi", "3.1.0");
              ObjectNode info = merged.putObject("info");
              info.put("title", "HIM platform API");
              info.put("version", "0.1.0");
              info.put(
                  "description",
                  "All services behind the gateway. Authenticate with a bearer token from the"
                      + " Keycloak realm \"him\". FHIR endpoints answer errors with OperationOutcome,"
                      + " the others with application/problem+json.");
              merged.putArray("servers").addObject().put("url", "/");
              ObjectNode paths = merged.putObject("paths");
              ObjectNode components = merged.putObject("components");
              ObjectNode schemas = components.putObject("schemas");
              ObjectNode security = components.putObject("securitySchemes");
              for (JsonNode doc : docs) {
                doc.path("paths")
                    .fields()
                    .forEachRemaining(f -> paths.set(f.getKey(), f.getValue()));
                doc.path("components")
                    .path("schemas")
                    .fields()
                    .forEachRemaining(f -> schemas.set(f.getKey(), f.getValue()));
                doc.path("components")
                    .path("securitySchemes")
                    .fields()
                    .forEachRemaining(f -> security.set(f.getKey(), f.getValue()));
              }
              return merged;
            });
  }

  private Uni<JsonNode> fetch(Map.Entry<String, String> service) {
    return client
        .getAbs(service.getValue() + "/q/openapi?format=json")
        .timeout(5000)
        .send()
        .map(
            r -> {
              try {
                return json.readTree(r.bodyAsString());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })
        .ifNoItem()
        .after(Duration.ofSeconds(6))
        .fail()
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf(
                  "OpenAPI of %s not available: %s",
                  service.getKey(), e.getClass().getSimpleName());
              return json.createObjectNode();
            });
  }
}
