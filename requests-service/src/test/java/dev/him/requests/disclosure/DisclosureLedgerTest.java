package dev.him.requests.disclosure;

import static dev.him.requests.disclosure.Releases.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every release writes its disclosure entry; entries cannot be changed or removed. */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "requests"))
@QuarkusTestResource(KafkaResource.class)
class DisclosureLedgerTest {
  static final String DISCLOSURES = "/api/requests/disclosures";

  @Inject AgroalDataSource db;

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aSubpoenaReleaseWritesAnAccountableEntryFromTheRequest() throws Exception {
    String patientId = "pat-" + unique();
    String id =
        Releases.log(
            patientId,
            "SUBPOENA",
            "ATTORNEY",
            "Smith & Jones LLP",
            "9 Court St, Boston, MA",
            "Litigation: Doe v. Roe");
    Releases.scope(
        id,
        List.of("DISCHARGE_SUMMARY", "LAB_RESULTS"),
        LocalDate.of(2024, 1, 1),
        LocalDate.of(2024, 12, 31));
    Releases.subpoenaWithProtectiveOrder(id);
    assertThat(Releases.release(id, "dl-" + unique())).isEqualTo(200);

    Map<String, Object> row = entryOf(id);
    assertThat(row)
        .containsEntry("patient_id", patientId)
        .containsEntry("disclosed_on", LocalDate.now().toString())
        .containsEntry("recipient_name", "Smith & Jones LLP")
        .containsEntry("recipient_address", "9 Court St, Boston, MA")
        .containsEntry(
            "description", "LAB_RESULTS: 1 (2024-03-10 to 2024-03-10)") // what the packet held
        .containsEntry("purpose", "Litigation: Doe v. Roe")
        .containsEntry("basis", "SUBPOENA")
        .containsEntry("accountable", "t")
        .containsEntry("exclusion", null)
        .containsEntry("source", "RELEASE")
        .containsEntry("created_by", "rita");
    assertThat((String) row.get("request_reference")).startsWith("RoiRequest/" + id);

    // it is in the patient's accounting
    given()
        .queryParam("patient", patientId)
        .get(DISCLOSURES + "/accounting")
        .then()
        .statusCode(200)
        .body("entries.size()", equalTo(1))
        .body("entries[0].recipientName", equalTo("Smith & Jones LLP"))
        .body("entries[0].recipientAddress", equalTo("9 Court St, Boston, MA"))
        .body("entries[0].purpose", equalTo("Litigation: Doe v. Roe"))
        .body("entries[0].basis", equalTo("SUBPOENA"));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aCourtOrderReleaseDescribesWhatTheOrderAllowsAndNamesTheRequestWithoutAPurpose()
      throws Exception {
    String patientId = "pat-" + unique();
    String id =
        Releases.log(patientId, "COURT_ORDER", "COURT", "Suffolk Superior Court", null, null);
    Releases.courtOrder(
        id, List.of("LAB_RESULTS"), LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31));
    assertThat(Releases.release(id, "dl-" + unique())).isEqualTo(200);

    Map<String, Object> row = entryOf(id);
    assertThat(row)
        .containsEntry(
            "description", "LAB_RESULTS: 1 (2024-03-10 to 2024-03-10)") // the order's cut
        .containsEntry("accountable", "t")
        .containsEntry("recipient_address", null);
    // no purpose given: the entry refers to the written request instead (164.528(b)(2)(iv))
    assertThat((String) row.get("purpose"))
        .startsWith("See the written request on file (RoiRequest/" + id);
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void aRightOfAccessReleaseIsWrittenButExcludedAsToTheIndividual() throws Exception {
    String patientId = "pat-" + unique();
    String id =
        Releases.log(
            patientId, "RIGHT_OF_ACCESS", "INDIVIDUAL", "Ana Souza", "1 Main St", "Personal use");
    assertThat(Releases.release(id, "dl-" + unique())).isEqualTo(200);

    assertThat(entryOf(id))
        .containsEntry("accountable", "f")
        .containsEntry("exclusion", "TO_INDIVIDUAL")
        .containsEntry(
            "description",
            "DIAGNOSES: 1 (2024-05-01 to 2024-05-01); LAB_RESULTS: 1 (2024-03-10 to 2024-03-10)");
    assertThat((String) entryOf(id).get("exclusion_reason")).contains("164.528(a)(1)(ii)");
    given()
        .queryParam("patient", patientId)
        .get(DISCLOSURES + "/accounting")
        .then()
        .statusCode(200)
        .body("entries.size()", equalTo(0));
    // the ledger still holds it, with the reason
    given()
        .queryParam("patient", patientId)
        .get(DISCLOSURES)
        .then()
        .statusCode(200)
        .body("size()", equalTo(1))
        .body("[0].exclusion", equalTo("TO_INDIVIDUAL"))
        .body("[0].accountable", equalTo(false));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void anAuthorizedReleaseIsWrittenButExcludedAsUnderAnAuthorization() throws Exception {
    String patientId = "pat-" + unique();
    String id =
        Releases.log(
            patientId,
            "AUTHORIZATION",
            "INSURER",
            "Acme Life Insurance",
            "5 Elm St",
            "Underwriting");
    Releases.authorization(id);
    assertThat(Releases.release(id, "dl-" + unique())).isEqualTo(200);

    assertThat(entryOf(id))
        .containsEntry("accountable", "f")
        .containsEntry("exclusion", "AUTHORIZATION")
        .containsEntry("recipient_name", "Acme Life Insurance");
    given()
        .queryParam("patient", patientId)
        .get(DISCLOSURES + "/accounting")
        .then()
        .statusCode(200)
        .body("entries.size()", equalTo(0));
  }

  @Test
  @TestSecurity(user = "rita", roles = "roi-specialist")
  void entriesCannotBeUpdatedOrDeletedEvenOverJdbc() throws Exception {
    String patientId = "pat-" + unique();
    String id =
        Releases.log(patientId, "SUBPOENA", "ATTORNEY", "Smith & Jones LLP", null, "Litigation");
    Releases.subpoenaWithProtectiveOrder(id);
    assertThat(Releases.release(id, "dl-" + unique())).isEqualTo(200);

    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      String where = " where request_id = '" + id + "'";
      assertThatThrownBy(
              () -> s.executeUpdate("update roi_disclosure set recipient_name = 'Nobody'" + where))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("cannot be changed or deleted (UPDATE)");
      assertThatThrownBy(() -> s.executeUpdate("delete from roi_disclosure" + where))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("cannot be changed or deleted (DELETE)");
      assertThatThrownBy(() -> s.executeUpdate("truncate roi_disclosure"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("cannot be changed or deleted (TRUNCATE)");
    }
    assertThat(entryOf(id)).containsEntry("recipient_name", "Smith & Jones LLP");
    // and the API offers no way to change one
    given().contentType("application/json").body("{}").put(DISCLOSURES).then().statusCode(405);
    given().delete(DISCLOSURES).then().statusCode(405);
  }

  /** The one entry of a request, columns as text. */
  Map<String, Object> entryOf(String requestId) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select patient_id, cast(disclosed_on as text) disclosed_on, recipient_name,"
                    + " recipient_address, description, purpose, request_reference, basis,"
                    + " cast(accountable as text) accountable, exclusion, exclusion_reason, source,"
                    + " created_by from roi_disclosure where request_id = cast(? as uuid)")) {
      q.setString(1, requestId);
      ResultSet rs = q.executeQuery();
      assertThat(rs.next()).as("an entry for " + requestId).isTrue();
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
      }
      String acc = (String) row.get("accountable");
      row.put("accountable", acc.startsWith("t") ? "t" : "f");
      assertThat(rs.next()).as("one entry only").isFalse();
      return row;
    }
  }
}
