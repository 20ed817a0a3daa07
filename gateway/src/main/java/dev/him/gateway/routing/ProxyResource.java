package dev.him.gateway.routing;

import dev.him.common.access.RequestContext;
import dev.him.common.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * Forwards authenticated requests to the service that owns the path, with the caller's token, the
 * correlation id and X-Forwarded-* headers (so services build links that point here). Roles are
 * enforced by each service; the gateway only lets valid tokens through.
 */
@Path("/")
@Authenticated
public class ProxyResource {
  private static final Logger LOG = Logger.getLogger(ProxyResource.class);

  /** Request headers passed on; everything else (cookies, hop-by-hop) stays at the edge. */
  private static final List<String> FORWARDED_REQUEST_HEADERS =
      List.of(
          "Authorization",
          "Content-Type",
          "Accept",
          "Accept-Language",
          "If-Match",
          "If-None-Match",
          "If-None-Exist",
          "If-Modified-Since",
          "Prefer",
          "Idempotency-Key",
          // why a record was corrected, and why an emergency access: both are kept in the record
          "X-Change-Reason",
          RequestContext.BREAK_GLASS_HEADER,
          RequestContext.PURPOSE_HEADER);

  private static final Set<String> DROPPED_RESPONSE_HEADERS =
      Set.of("connection", "keep-alive", "transfer-encoding", "content-length", "x-request-id");

  @Inject Vertx vertx;
  @Inject Routes routes;
  @Inject RequestContext context;

  @ConfigProperty(name = "him.gateway.upstream-timeout", defaultValue = "PT30S")
  Duration timeout;

  private WebClient client;

  @PostConstruct
  void init() {
    client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(50)
                .setConnectTimeout(5000)
                .setFollowRedirects(false)
                .setDecompressionSupported(false));
  }

  @GET
  @Path("{path: (fhir/r4|fhir/r4/.+|api/.+)}")
  @Operation(hidden = true)
  public Uni<Response> get(HttpServerRequest request) {
    return forward(request, null);
  }

  @DELETE
  @Path("{path: (fhir/r4|fhir/r4/.+|api/.+)}")
  @Operation(hidden = true)
  public Uni<Response> delete(HttpServerRequest request) {
    return forward(request, null);
  }

  @POST
  @Path("{path: (fhir/r4|fhir/r4/.+|api/.+)}")
  @Operation(hidden = true)
  public Uni<Response> post(HttpServerRequest request, byte[] body) {
    return forward(request, body);
  }

  @PUT
  @Path("{path: (fhir/r4|fhir/r4/.+|api/.+)}")
  @Operation(hidden = true)
  public Uni<Response> put(HttpServerRequest request, byte[] body) {
    return forward(request, body);
  }

  @PATCH
  @Path("{path: (fhir/r4|fhir/r4/.+|api/.+)}")
  @Operation(hidden = true)
  public Uni<Response> patch(HttpServerRequest request, byte[] body) {
    return forward(request, body);
  }

  private Uni<Response> forward(HttpServerRequest in, byte[] body) {
    String path = in.path();
    String target =
        routes
            .target(path)
            .orElseThrow(() -> ProblemException.notFound("No service serves " + path));
    String uri = in.uri(); // path and query, as sent
    HttpRequest<Buffer> out =
        client
            .requestAbs(HttpMethod.valueOf(in.method().name()), target + uri)
            .timeout(timeout.toMillis());
    for (String name : FORWARDED_REQUEST_HEADERS) {
      List<String> values = in.headers().getAll(name);
      if (!values.isEmpty()) {
        out.putHeader(name, values);
      }
    }
    out.putHeader(RequestContext.REQUEST_ID_HEADER, context.requestId());
    String host = in.authority() != null ? in.authority().toString() : in.host();
    if (host != null) {
      out.putHeader("X-Forwarded-Host", host);
    }
    out.putHeader("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
    if (in.remoteAddress() != null) {
      out.putHeader("X-Forwarded-For", in.remoteAddress().hostAddress());
    }
    Uni<HttpResponse<Buffer>> call =
        body == null ? out.send() : out.sendBuffer(Buffer.buffer(body));
    return call.map(this::toResponse)
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.warnf(
                  "request %s: %s did not answer (%s)",
                  context.requestId(), target, failure.getClass().getSimpleName());
              boolean timedOut =
                  failure instanceof java.util.concurrent.TimeoutException
                      || String.valueOf(failure.getMessage()).contains("timeout");
              int status = timedOut ? 504 : 502;
              return dev.him.common.problem.ErrorResponses.build(
                  path,
                  status,
                  timedOut ? "Gateway timeout" : "Bad gateway",
                  "The service behind "
                      + path.split("/", 4)[1]
                      + "/"
                      + path.split("/", 4)[2]
                      + " did not answer; try again later",
                  List.of(),
                  context.requestId());
            });
  }

  private Response toResponse(HttpResponse<Buffer> upstream) {
    Response.ResponseBuilder r = Response.status(upstream.statusCode());
    upstream
        .headers()
        .forEach(
            (name, value) -> {
              if (!DROPPED_RESPONSE_HEADERS.contains(name.toLowerCase())) {
                r.header(name, value);
              }
            });
    Buffer b = upstream.body();
    if (b != null && b.length() > 0) {
      r.entity(b.getBytes());
    }
    return r.build();
  }
}
