package dev.him.gateway.observability;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A stand-in for records-service behind the gateway: answers every request with the trace,
 * correlation and X-Forwarded-* headers it received, as JSON, so a test sees what the gateway
 * passed on.
 */
public class UpstreamEcho implements QuarkusTestResourceLifecycleManager {
  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          var headers = exchange.getRequestHeaders();
          String body =
              ("{\"traceparent\":\"%s\",\"requestId\":\"%s\",\"forwardedProto\":\"%s\","
                      + "\"forwardedHost\":\"%s\",\"forwardedFor\":\"%s\"}")
                  .formatted(
                      String.valueOf(headers.getFirst("traceparent")),
                      String.valueOf(headers.getFirst("X-Request-Id")),
                      String.valueOf(headers.getFirst("X-Forwarded-Proto")),
                      String.valueOf(headers.getFirst("X-Forwarded-Host")),
                      String.valueOf(headers.getFirst("X-Forwarded-For")));
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return Map.of("him.routes.records", "http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
