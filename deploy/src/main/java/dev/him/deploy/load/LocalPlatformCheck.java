package dev.him.deploy.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Whether the local platform answers, with a message saying what to do when it does not. */
final class LocalPlatformCheck {
  private LocalPlatformCheck() {}

  /** The gateway is ready and the realm answers; otherwise prints why and returns false. */
  static boolean running(HttpClient http, String gateway, String realm) {
    for (String url : List.of(gateway + "/q/health/ready", realm)) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
          System.err.printf(
              "%s answers HTTP %d: the platform is not ready yet. Wait for ./run-local.sh to print"
                  + " \"HIM platform is up\" and run this again.%n",
              url, r.statusCode());
          return false;
        }
      } catch (IOException | InterruptedException e) {
        System.err.printf(
            "The HIM platform is not running (no answer from %s).%n"
                + "Start it first, in another terminal:  ./run-local.sh%n"
                + "then run this benchmark again.%n",
            url);
        return false;
      }
    }
    return true;
  }
}
