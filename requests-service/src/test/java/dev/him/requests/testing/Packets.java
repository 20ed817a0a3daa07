package dev.him.requests.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/** Steps other tests need before QUALITY_REVIEW and RELEASED: a packet and its fee shown. */
public final class Packets {
  private Packets() {}

  /**
   * A small record for a patient, served by the records-service stand-in: one diagnosis of
   * 2024-05-01 and one laboratory result of 2024-03-10.
   */
  public static void serveSmallRecord(String patientId) {
    Patient p = new Patient();
    p.setId(patientId);
    p.addName(RecordsServiceStub.name("Souza", "Ana"));
    p.setBirthDateElement(new DateType("1980-02-03"));
    Condition c = new Condition();
    c.setId("c-" + patientId);
    c.setSubject(new Reference("Patient/" + patientId));
    c.setCode(new CodeableConcept().setText("Seasonal allergic rhinitis"));
    c.setOnset(new DateTimeType("2024-05-01"));
    Observation lab = new Observation();
    lab.setId("o-" + patientId);
    lab.setStatus(Observation.ObservationStatus.FINAL);
    lab.setSubject(new Reference("Patient/" + patientId));
    lab.addCategory()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
        .setCode("laboratory");
    lab.setCode(new CodeableConcept().setText("Hemoglobin A1c"));
    lab.setEffective(new DateTimeType("2024-03-10"));
    RecordsServiceStub.put(p, List.of(c, lab));
  }

  /** Builds the packet (the request must be IN_PROCESSING); returns its id. */
  public static String build(String requestId) {
    return given()
        .post("/api/requests/roi/" + requestId + "/packet")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Records that the current quote (default options) was shown to the requester. */
  public static void acknowledgeFee(String requestId) {
    String total =
        given()
            .get("/api/requests/roi/" + requestId + "/fee")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getString("total");
    given()
        .contentType("application/json")
        .body(Map.of("shownTo", "the requester", "shownVia", "EMAIL", "total", total))
        .post("/api/requests/roi/" + requestId + "/fee/acknowledgement")
        .then()
        .statusCode(201);
  }
}
