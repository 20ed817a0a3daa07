package dev.him.records.mpi;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/** The scoring rules on their own: what agrees how, and what it weighs. */
class MatchScorerTest {
  static final String MRN = "https://him.dev/fhir/sid/mrn";

  static Patient patient(String family, String given, String born, AdministrativeGender sex) {
    Patient p = new Patient();
    p.addName().setFamily(family).addGiven(given);
    if (born != null) p.getBirthDateElement().setValueAsString(born);
    if (sex != null) p.setGender(sex);
    return p;
  }

  static MatchScorer.Result score(Patient a, Patient b) {
    return MatchScorer.score(MatchProfile.of(a, MRN), MatchProfile.of(b, MRN));
  }

  @Test
  void jonSmythAndJohnSmithWithOneBirthDateAndPhoneAreProbable() {
    Patient a = patient("Smith", "John", "1970-04-01", AdministrativeGender.MALE);
    Patient b = patient("Smyth", "Jon", "1970-04-01", AdministrativeGender.MALE);
    a.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("(617) 555-0100");
    b.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+1 617 555 0100");
    MatchScorer.Result r = score(a, b);
    assertThat(r.fields().get("family")).isEqualTo(new FieldEvidence("phonetic", 3.0));
    assertThat(r.fields().get("given")).isEqualTo(new FieldEvidence("phonetic", 2.0));
    assertThat(r.fields().get("phone").agreement()).isEqualTo("exact");
    assertThat(r.fields().get("address").agreement()).isEqualTo("missing");
    assertThat(r.score()).isEqualTo(13.0);
  }

  @Test
  void theSameNameWithAnotherBirthDateStaysBelowReview() {
    MatchScorer.Result r =
        score(
            patient("Smith", "John", "1970-04-01", AdministrativeGender.MALE),
            patient("Smith", "John", "1982-11-23", AdministrativeGender.MALE));
    assertThat(r.fields().get("birthDate").agreement()).isEqualTo("different");
    assertThat(r.score()).isEqualTo(5.0);
  }

  @Test
  void typosInDatesAndIdentifiersAreSimilarNotDifferent() {
    Patient a = patient("Nguyen", "Anh", "1990-03-07", AdministrativeGender.FEMALE);
    Patient b = patient("Nguyen", "Anh", "1990-07-03", AdministrativeGender.FEMALE);
    a.addIdentifier().setSystem("http://hl7.org/fhir/sid/us-ssn").setValue("123-45-6789");
    b.addIdentifier().setSystem("http://hl7.org/fhir/sid/us-ssn").setValue("123-45-6788");
    MatchScorer.Result r = score(a, b);
    assertThat(r.fields().get("birthDate")).isEqualTo(new FieldEvidence("similar", 1.5));
    assertThat(r.fields().get("identifier")).isEqualTo(new FieldEvidence("similar", 1.5));
  }

  @Test
  void theMrnSaysNothingAndAnotherSystemsValueSaysSomething() {
    Patient a = patient("Lee", "Kim", null, null);
    Patient b = patient("Lee", "Kim", null, null);
    a.addIdentifier().setSystem(MRN).setValue("MRN100001");
    b.addIdentifier().setSystem(MRN).setValue("MRN100002");
    assertThat(score(a, b).fields().get("identifier").agreement()).isEqualTo("missing");
    a.addIdentifier().setSystem("urn:oid:1.2.3").setValue("A-77123");
    b.addIdentifier().setValue("a77123");
    assertThat(score(a, b).fields().get("identifier").agreement()).isEqualTo("exact-value");
  }

  @Test
  void addressesAreComparedWithoutAbbreviationsOrZipPlusFour() {
    Patient a = patient("Ortiz", "Luis", null, null);
    Patient b = patient("Ortiz", "Luis", null, null);
    a.addAddress(new Address().addLine("12 Elm Street").setCity("Boston").setPostalCode("02118"));
    b.addAddress(
        new Address()
            .setLine(java.util.List.of(new StringType("12 elm st.")))
            .setPostalCode("02118-1234"));
    assertThat(score(a, b).fields().get("address")).isEqualTo(new FieldEvidence("exact", 2.0));
  }

  @Test
  void blockingKeysCoverPhoneticNameBirthDatePhoneAndIdentifier() {
    Patient p = patient("Smyth", "Jon", "1970-04-01", AdministrativeGender.MALE);
    p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("617-555-0100");
    p.addIdentifier().setSystem("http://hl7.org/fhir/sid/us-ssn").setValue("123-45-6789");
    p.addIdentifier().setSystem(MRN).setValue("MRN100001");
    assertThat(MatchProfile.of(p, MRN).blockingKeys())
        .containsExactlyInAnyOrder(
            "fy:SM0:1970", "gf:JN:SM0", "bd:1970-04-01", "ph:6175550100", "id:123456789");
    // John Smith shares the phonetic keys with Jon Smyth
    assertThat(MatchProfile.of(patient("Smith", "John", "1971-01-01", null), MRN).blockingKeys())
        .contains("gf:JN:SM0");
  }
}
