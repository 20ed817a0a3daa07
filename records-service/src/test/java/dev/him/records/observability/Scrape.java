package dev.him.records.observability;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one series from GET /q/metrics (Prometheus text format), as a scraper would. */
final class Scrape {
  private Scrape() {}

  /** The value of {@code name} with exactly these labels ("" for none); NaN when absent. */
  static double value(String name, String labels) {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Pattern line =
        Pattern.compile(
            "^" + Pattern.quote(name) + "(\\{" + Pattern.quote(labels) + ",?\\})? (\\S+)$",
            Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    return m.find() ? Double.parseDouble(m.group(2)) : Double.NaN;
  }
}
