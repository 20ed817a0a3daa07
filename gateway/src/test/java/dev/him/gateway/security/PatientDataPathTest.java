package dev.him.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.him.events.v1.AccessAction;
import org.junit.jupiter.api.Test;

/** Which refused requests the gateway records as attempts on patient data. */
class PatientDataPathTest {
  @Test
  void fhirResourcesAreRecordedWithThePatientWhenThePathNamesOne() {
    var p = DeniedAccessMappers.PatientDataPath.parse("GET", "/fhir/r4/Patient/p1");
    assertThat(p.action()).isEqualTo(AccessAction.READ);
    assertThat(p.resourceType()).isEqualTo("Patient");
    assertThat(p.patientIds()).containsExactly("p1");
    assertThat(DeniedAccessMappers.PatientDataPath.parse("POST", "/fhir/r4/Condition").action())
        .isEqualTo(AccessAction.CREATE);
  }

  @Test
  void terminologyIsNotPatientData() {
    assertThat(DeniedAccessMappers.PatientDataPath.parse("GET", "/fhir/r4/CodeSystem/$lookup"))
        .isNull();
    assertThat(DeniedAccessMappers.PatientDataPath.parse("GET", "/fhir/r4/ValueSet/$expand"))
        .isNull();
    assertThat(DeniedAccessMappers.PatientDataPath.parse("GET", "/api/coding/icd10cm/search"))
        .isNull();
  }

  @Test
  void codingCasesRequestsAndRecordsApisAre() {
    assertThat(
            DeniedAccessMappers.PatientDataPath.parse("GET", "/api/coding/cases/c1").resourceType())
        .isEqualTo("api/coding");
    assertThat(
            DeniedAccessMappers.PatientDataPath.parse("PUT", "/api/records/amendments/a").action())
        .isEqualTo(AccessAction.UPDATE);
    assertThat(DeniedAccessMappers.PatientDataPath.parse("GET", "/api/requests/roi/r").action())
        .isEqualTo(AccessAction.READ);
  }
}
