package dev.him.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which service owns which path. */
class RoutesTest {
  static final Routes ROUTES =
      new Routes() {
        @Override
        public String records() {
          return "http://records";
        }

        @Override
        public String coding() {
          return "http://coding";
        }

        @Override
        public String requests() {
          return "http://requests";
        }

        @Override
        public String audit() {
          return "http://audit";
        }
      };

  static Optional<String> target(String path) {
    return ROUTES.target(path);
  }

  @Test
  void terminologyGoesToCodingService() {
    assertThat(target("/fhir/r4/CodeSystem/$lookup")).contains("http://coding");
    assertThat(target("/fhir/r4/CodeSystem/$validate-code")).contains("http://coding");
    assertThat(target("/fhir/r4/ValueSet/$expand")).contains("http://coding");
    assertThat(target("/fhir/r4/CodeSystem")).contains("http://coding");
    assertThat(target("/fhir/r4/ValueSet/icd-10-cm")).contains("http://coding");
    assertThat(target("/api/coding/icd10cm/search")).contains("http://coding");
  }

  @Test
  void everyOtherFhirPathStaysWithTheRecord() {
    assertThat(target("/fhir/r4")).contains("http://records");
    assertThat(target("/fhir/r4/Patient/p-1")).contains("http://records");
    assertThat(target("/fhir/r4/Patient/p-1/$everything")).contains("http://records");
    assertThat(target("/fhir/r4/Condition")).contains("http://records");
    assertThat(target("/fhir/r4/metadata")).contains("http://records");
    // a type whose name only starts like a terminology one is not terminology
    assertThat(target("/fhir/r4/CodeSystemX/1")).contains("http://records");
    assertThat(target("/fhir/r4/ValueSets")).contains("http://records");
  }

  @Test
  void auditAndTheOtherApis() {
    assertThat(target("/fhir/r4/AuditEvent")).contains("http://audit");
    assertThat(target("/api/audit/verify")).contains("http://audit");
    assertThat(target("/api/records/legal-holds")).contains("http://records");
    assertThat(target("/api/requests/roi/1")).contains("http://requests");
    assertThat(target("/api/nowhere/x")).isEmpty();
    assertThat(target("/fhir/r5/Patient")).isEmpty();
  }
}
