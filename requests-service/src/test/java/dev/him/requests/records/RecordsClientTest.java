package dev.him.requests.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.him.common.problem.ProblemException;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import dev.him.requests.testing.RecordsServiceStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "requests"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(RecordsServiceStub.class)
class RecordsClientTest {
  @Inject RecordsClient records;

  String patientId;

  @BeforeEach
  void patient() {
    RecordsServiceStub.reset();
    patientId = "p-" + UUID.randomUUID();
    Patient p = new Patient();
    p.setId(patientId);
    p.addName(RecordsServiceStub.name("Quintero" + patientId.substring(2, 8), "Ana"));
    p.setBirthDateElement(new DateType("1971-04-02"));
    Condition c = new Condition();
    c.setId("c-" + patientId);
    c.setSubject(new Reference("Patient/" + patientId));
    RecordsServiceStub.put(p, List.of(c));
  }

  @Test
  void readsTheWholeRecordWithATokenFromTheClientCredentialsGrant() {
    Bundle everything = records.everything(patientId, "HOPERAT");

    assertThat(everything.getEntry()).hasSize(2);
    assertThat(everything.getEntry().get(1).getResource().getIdElement().getIdPart())
        .isEqualTo("c-" + patientId);
    RecordsServiceStub.Call call = RecordsServiceStub.calls().get(0);
    assertThat(call.path()).isEqualTo("/fhir/r4/Patient/" + patientId + "/$everything");
    assertThat(call.authorization()).startsWith("Bearer stub-token-");
    assertThat(call.purpose()).isEqualTo("HOPERAT");
    assertThat(RecordsServiceStub.tokensIssued()).isPositive();
  }

  @Test
  void searchesPatientsAndReadsOne() {
    Bundle found =
        records.searchPatients(
            "quintero" + patientId.substring(2, 8), "an", "1971-04-02", null, 10);
    assertThat(found.getEntry()).hasSize(1);
    assertThat(records.readPatient(patientId)).isPresent();
    assertThat(records.readPatient("nobody-" + UUID.randomUUID())).isEmpty();
  }

  @Test
  void retriesAFailureAndSucceeds() {
    RecordsServiceStub.failNext(2, 503);

    Bundle everything = records.everything(patientId, null);

    assertThat(everything.getEntry()).hasSize(2);
    assertThat(RecordsServiceStub.calls()).hasSize(3);
  }

  @Test
  void givesUpAfterTheRetriesWithA503() {
    RecordsServiceStub.failNext(3, 500);

    assertThatThrownBy(() -> records.everything(patientId, null))
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(503));
    assertThat(RecordsServiceStub.calls()).hasSize(3);
  }

  @Test
  void aRefusalIsNotRetried() {
    RecordsServiceStub.failNext(1, 403);

    assertThatThrownBy(() -> records.everything(patientId, null))
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(502));
    assertThat(RecordsServiceStub.calls()).hasSize(1);
  }

  @Test
  void aStalledCallTimesOutAndIsRetried() {
    // %test timeout of searchPatients is 500 ms (application.properties)
    RecordsServiceStub.stallNext(1, Duration.ofMillis(1500));

    long start = System.nanoTime();
    Bundle found = records.searchPatients(null, null, "1971-04-02", null, 10);

    assertThat(found.getEntry()).isNotEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1400));
    assertThat(RecordsServiceStub.calls()).hasSize(2);
  }

  @Test
  void theCircuitOpensAfterRepeatedFailuresAndClosesAgain() {
    // readPatient: 4 calls, half failing, open for 3 s in the test profile
    RecordsServiceStub.failNext(100, 500);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> records.readPatient(patientId)).isInstanceOf(ProblemException.class);
    }
    int callsBefore = RecordsServiceStub.calls().size();
    assertThatThrownBy(() -> records.readPatient(patientId))
        .isInstanceOfSatisfying(
            ProblemException.class, e -> assertThat(e.getMessage()).contains("paused"));
    assertThat(RecordsServiceStub.calls()).hasSize(callsBefore); // not even tried

    RecordsServiceStub.reset();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(300))
        .ignoreExceptions()
        .until(() -> records.readPatient(patientId).isPresent());
  }
}
