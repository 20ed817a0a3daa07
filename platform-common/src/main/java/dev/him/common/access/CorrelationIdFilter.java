package dev.him.common.access;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Takes the caller's X-Request-Id (or makes one), puts it in the log context and echoes it in the
 * response, so one id follows a request through the gateway, the services and the audit log.
 */
public class CorrelationIdFilter {

  @Inject RequestContext context;

  @ServerRequestFilter(preMatching = true)
  public void onRequest(ContainerRequestContext request) {
    String id = request.getHeaderString(RequestContext.REQUEST_ID_HEADER);
    if (!RequestContext.isSafeId(id)) {
      id = UUID.randomUUID().toString();
    }
    context.setRequestId(id);
    context.setPurposeOfUse(request.getHeaderString(RequestContext.PURPOSE_HEADER));
    context.setBreakGlassRequest(request.getHeaderString(RequestContext.BREAK_GLASS_HEADER));
    MDC.put(RequestContext.LOG_KEY, id);
  }

  @ServerResponseFilter
  public void onResponse(ContainerResponseContext response) {
    if (context.requestId() != null) {
      response.getHeaders().putSingle(RequestContext.REQUEST_ID_HEADER, context.requestId());
    }
    MDC.remove(RequestContext.LOG_KEY);
  }
}
