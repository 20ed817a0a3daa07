package dev.him.coding.codeset;

import static dev.him.coding.codeset.CodeSetApi.JOBS;
import static dev.him.coding.codeset.CodeSetApi.count;
import static dev.him.coding.codeset.CodeSetApi.testVersion;
import static dev.him.coding.codeset.CodeSetApi.upload;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job's progress is visible while its load's transaction is still open, and the end of the job
 * (succeeded or failed) is recorded even though a failed load rolls back.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class ImportJobProgressTest {
  @Inject PausingFormat pausing;
  @Inject AgroalDataSource db;

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void progressShowsWhileTheLoadRunsAndReaches100() throws Exception {
    String version = testVersion();
    pausing.arm(false);
    try {
      String id = start(version);
      assertThat(pausing.awaitPaused(30)).isTrue();
      // mid-load: the job row was committed on its own while the load's transaction is open
      JsonPath running = awaitPercent(id, 50);
      assertThat(running.getString("status")).isEqualTo("running");
      assertThat(running.getInt("rowsRead")).isEqualTo(7);
      assertThat(running.getString("startedAt")).isNotNull();
      assertThat(running.getString("finishedAt")).isNull();
      assertThat(count(db, "select count(*) from code_set_import where version = ?", version))
          .isZero();

      pausing.resumeLoad();
      JsonPath done = CodeSetApi.awaitJob(id);
      assertThat(done.getString("status")).isEqualTo("succeeded");
      assertThat(done.getInt("percent")).isEqualTo(100);
      assertThat(done.getInt("rowsRead")).isEqualTo(14);
      assertThat(done.getInt("rowsTotal")).isEqualTo(14);
      assertThat(done.getLong("durationMs")).isGreaterThanOrEqualTo(0);
      assertThat(
              count(
                  db,
                  "select count(*) from code_set_import where code_system = ? and version = ?"
                      + " and row_count = 14",
                  PausingFormat.CODE_SYSTEM,
                  version))
          .isEqualTo(1);
    } finally {
      pausing.resumeLoad();
      deleteImport(version);
    }
  }

  @Test
  @TestSecurity(user = "admin", roles = "him-admin")
  void aLoadFailingHalfWayKeepsItsProgressAndErrorButLoadsNothing() throws Exception {
    String version = testVersion();
    pausing.arm(true);
    try {
      String id = start(version);
      assertThat(pausing.awaitPaused(30)).isTrue();
      awaitPercent(id, 50);
      pausing.resumeLoad();
      JsonPath failed = CodeSetApi.awaitJob(id);
      assertThat(failed.getString("status")).isEqualTo("failed");
      assertThat(failed.getInt("percent")).isEqualTo(50);
      assertThat(failed.getInt("errorLine")).isEqualTo(8);
      assertThat(failed.getString("error")).isEqualTo("release.bin line 8: is broken on purpose");
      assertThat(count(db, "select count(*) from code_set_import where version = ?", version))
          .isZero();
    } finally {
      pausing.resumeLoad();
      deleteImport(version);
    }
  }

  String start(String version) {
    return upload(
            PausingFormat.CODE_SYSTEM,
            new byte[] {42},
            Map.of(
                "version",
                version,
                "fiscalYear",
                2000,
                "effectiveFrom",
                "2000-01-01",
                "fileName",
                "release.bin"))
        .then()
        .statusCode(202)
        .extract()
        .jsonPath()
        .getString("id");
  }

  static JsonPath awaitPercent(String id, int percent) {
    JsonPath[] last = new JsonPath[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              last[0] = given().get(JOBS + id).then().statusCode(200).extract().jsonPath();
              return last[0].getInt("percent") == percent;
            });
    return last[0];
  }

  void deleteImport(String version) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement("delete from code_set_import where version = ?")) {
      q.setString(1, version);
      q.executeUpdate();
    }
  }
}
