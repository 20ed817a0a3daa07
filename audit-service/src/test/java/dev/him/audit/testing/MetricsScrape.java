package dev.him.audit.testing;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One sample of the service's own GET /q/metrics (Prometheus text), as a scraper reads it. */
public final class MetricsScrape {
  private MetricsScrape() {}

  /** The value of the series {@code name} without labels, NaN when it is not exported. */
  public static double sample(String name) {
    return sample(name, "");
  }

  /**
   * The value of the series {@code name{labels}} (labels as Prometheus writes them, e.g. {@code
   * status="OPEN"}; empty for none), NaN when it is not exported.
   */
  public static double sample(String name, String labels) {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    String series =
        Pattern.quote(name) + (labels.isEmpty() ? "(\\{\\})?" : Pattern.quote("{" + labels + "}"));
    Matcher m = Pattern.compile("^" + series + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    return m.find() ? Double.parseDouble(m.group(m.groupCount())) : Double.NaN;
  }
}
