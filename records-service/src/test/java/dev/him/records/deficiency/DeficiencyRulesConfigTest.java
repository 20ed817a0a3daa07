package dev.him.records.deficiency;

import static dev.him.records.ChartFixtures.daysAgo;
import static dev.him.records.ChartFixtures.discharged;
import static dev.him.records.ChartFixtures.document;
import static dev.him.records.ChartFixtures.encounter;
import static dev.him.records.ChartFixtures.patient;
import static dev.him.records.ChartFixtures.post;
import static dev.him.records.ChartFixtures.practitioner;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules file and configuration drive what is found: another file with a rule no code knows by
 * name, a rule switched off in the file, one switched off by a property, another delinquency
 * period.
 */
@QuarkusTest
@TestProfile(DeficiencyRulesConfigTest.OtherRules.class)
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "records"))
@QuarkusTestResource(KafkaResource.class)
class DeficiencyRulesConfigTest {

  public static class OtherRules implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "him.deficiency.rules", "classpath:deficiency-rules-test.json",
          "him.deficiency.disabled-rules", "diagnosis-missing",
          "him.deficiency.delinquent-after-days", "14");
    }
  }

  @Inject AgroalDataSource db;

  Map<String, LocalDate> open(String encounterId) throws Exception {
    Map<String, LocalDate> out = new LinkedHashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select rule_code, delinquent_on from deficiency where encounter_id = ?"
                    + " and status = 'open'")) {
      ps.setString(1, encounterId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.put(rs.getString(1), rs.getDate(2).toLocalDate());
      }
    }
    return out;
  }

  @Test
  @TestSecurity(
      user = "hospital",
      roles = {"hospital-system"})
  void theConfiguredRulesAreTheOnesApplied() throws Exception {
    String pid = patient();
    String att = practitioner();

    // only the file's rule for emergency visits, delinquent after 14 days
    String emer = discharged(pid, "EMER", att, 3);
    LocalDate end = Instant.parse(daysAgo(3)).atZone(ZoneOffset.UTC).toLocalDate();
    assertThat(open(emer)).containsOnlyKeys("progress-note-missing");
    assertThat(open(emer).get("progress-note-missing")).isEqualTo(end.plusDays(14));
    post("DocumentReference", document(null, pid, emer, "11506-3", att, att));
    assertThat(open(emer)).isEmpty();

    // an inpatient stay with no attending, no document, no diagnosis: every rule that would
    // find something is absent from the file or switched off
    String imp =
        post(
            "Encounter", encounter(null, pid, "finished", "IMP", daysAgo(4), daysAgo(2), null, ""));
    assertThat(open(imp)).isEmpty();
  }
}
