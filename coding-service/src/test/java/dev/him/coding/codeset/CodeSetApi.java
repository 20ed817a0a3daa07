package dev.him.coding.codeset;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** What the import tests do over and over: upload a release, wait for its job, count rows. */
public final class CodeSetApi {
  public static final String CODE_SETS = "/api/coding/code-sets";
  public static final String JOBS = CODE_SETS + "/imports/";
  static final Set<String> FINISHED = Set.of("succeeded", "failed", "skipped");

  private CodeSetApi() {}

  /** A version no real release uses, unique per test run (at most 16 characters). */
  public static String testVersion() {
    return "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  /** POSTs {@code body} as an uploaded release of {@code codeSystem}; answers the raw response. */
  public static Response upload(String codeSystem, byte[] body, Map<String, ?> query) {
    RequestSpecification request =
        given().contentType("application/octet-stream").body(body).queryParams(query);
    return request.post(CODE_SETS + "/" + codeSystem + "/imports");
  }

  /** Uploads and waits for the job to finish; answers the finished job. */
  public static JsonPath uploadAndWait(String codeSystem, byte[] body, Map<String, ?> query) {
    Response accepted = upload(codeSystem, body, query);
    accepted.then().statusCode(202);
    return awaitJob(accepted.jsonPath().getString("id"));
  }

  /** Polls the job until it has finished (as the API shows it). */
  public static JsonPath awaitJob(String id) {
    JsonPath[] last = new JsonPath[1];
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              last[0] = given().get(JOBS + id).then().statusCode(200).extract().jsonPath();
              return FINISHED.contains(last[0].getString("status"));
            });
    return last[0];
  }

  public static long count(AgroalDataSource db, String sql, Object... params) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        q.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Removes a test release: its rows in {@code table} and its import row. */
  public static void delete(AgroalDataSource db, String table, String versionColumn, String version)
      throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement rows =
            c.prepareStatement("delete from " + table + " where " + versionColumn + " = ?");
        PreparedStatement imports =
            c.prepareStatement("delete from code_set_import where version = ?")) {
      rows.setString(1, version);
      rows.executeUpdate();
      imports.setString(1, version);
      imports.executeUpdate();
    }
  }
}
