package dev.him.coding.cases;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.him.coding.testing.CodingReleases;
import dev.him.coding.testing.Db;
import dev.him.coding.testing.Discharge;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * him.coding.nearest-release-fallback=false: a discharge before every loaded release has no
 * release, so its codes cannot pass and the case cannot be finalized.
 */
@QuarkusTest
@TestProfile(NoReleaseFallbackTest.NoFallback.class)
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class NoReleaseFallbackTest {
  public static class NoFallback implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("him.coding.nearest-release-fallback", "false");
    }
  }

  @Inject AgroalDataSource ds;
  @Inject CaseIntake intake;

  @Test
  @TestSecurity(user = "cora", roles = "coder")
  void anOldDischargeHasNoReleaseAndCannotBeFinalized() {
    CodingReleases.requireFile(CodingReleases.dir().resolve("ICD10-CM-Code-Descriptions-2025.zip"));
    Discharge d = new Discharge(LocalDate.of(2019, 3, 2));
    intake.apply(d.event());
    String id =
        new Db(ds)
            .text("select cast(id as text) from coding_case where encounter_id = ?", d.encounterId);
    given()
        .contentType("application/json")
        .header("If-Match", "\"1\"")
        .body("{\"principalDiagnosis\":\"N39.0\"}")
        .put("/api/coding/cases/" + id + "/codes")
        .then()
        .statusCode(200)
        .body("codeSets.icd10cm", nullValue())
        .body("edits.code", hasItem("RELEASE_MISSING"))
        .body("edits.code", not(hasItem("NEAREST_RELEASE")))
        .body("edits.find { it.code == 'RELEASE_MISSING' }.field", equalTo("principalDiagnosis"));
    given()
        .post("/api/coding/cases/" + id + "/finalize")
        .then()
        .statusCode(409)
        .body("'invalid-params'.name", hasItem("principalDiagnosis"));
  }
}
