package dev.him.coding.edits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.him.coding.testing.CodingReleases;
import dev.him.infra.testing.KafkaResource;
import dev.him.infra.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every edit on a case that triggers it and on a near miss that must stay quiet, with real codes
 * from ICD-10-CM FY2025, ICD-10-PCS FY2026 and the MCE v37 lists.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "coding"))
@QuarkusTestResource(KafkaResource.class)
class EditEngineTest {
  @AfterAll
  static void unloadReleases() {
    CodingReleases.unloadWhatTestsLoaded();
  }

  static final LocalDate DISCHARGED = LocalDate.of(2025, 11, 10);

  @Inject EditEngine engine;

  @BeforeEach
  void releases() {
    CodingReleases.ensureLoaded();
  }

  /** An inpatient stay of three days, a patient of 40, clean principal N39.0. */
  static final class Case {
    String cls = "IMP";
    LocalDate discharged = DISCHARGED;
    Instant admittedAt = DISCHARGED.minusDays(3).atTime(10, 0).toInstant(ZoneOffset.UTC);
    Instant dischargedAt = DISCHARGED.atTime(11, 0).toInstant(ZoneOffset.UTC);
    LocalDate birth = DISCHARGED.minusDays(3).minusYears(40);
    String gender = "female";
    String principal = "N390";
    final List<EditInput.Diagnosis> dx = new ArrayList<>();
    final List<EditInput.Procedure> px = new ArrayList<>();
    String cm = "FY2025";

    Case principal(String code) {
      principal = code;
      return this;
    }

    Case dx(String code, String poa) {
      dx.add(new EditInput.Diagnosis(code, poa));
      return this;
    }

    Case px(String code) {
      px.add(new EditInput.Procedure(code, discharged.minusDays(1)));
      return this;
    }

    /** Age in whole years at admission. */
    Case age(int years) {
      birth = admittedAt.atZone(ZoneOffset.UTC).toLocalDate().minusYears(years);
      return this;
    }

    Case gender(String g) {
      gender = g;
      return this;
    }

    Case stayHours(long hours) {
      admittedAt = dischargedAt.minusSeconds(hours * 3600);
      return this;
    }

    Case dischargedOn(LocalDate day) {
      discharged = day;
      dischargedAt = day.atTime(11, 0).toInstant(ZoneOffset.UTC);
      admittedAt = dischargedAt.minusSeconds(3 * 24 * 3600);
      return this;
    }

    EditInput input() {
      return new EditInput(
          cm,
          "FY2026",
          "v37",
          List.of(),
          cls,
          discharged,
          admittedAt,
          dischargedAt,
          admittedAt.atZone(ZoneOffset.UTC).toLocalDate(),
          birth,
          gender,
          principal,
          dx,
          px);
    }
  }

  static Case inpatient() {
    return new Case();
  }

  List<Edit> run(Case c) {
    return engine.run(c.input());
  }

  Optional<Edit> find(List<Edit> edits, String code, String field) {
    return edits.stream().filter(e -> e.code().equals(code) && e.field().equals(field)).findFirst();
  }

  Edit fires(Case c, String code, String field) {
    List<Edit> edits = run(c);
    Optional<Edit> e = find(edits, code, field);
    assertThat(e).as("%s on %s among %s", code, field, edits).isPresent();
    return e.get();
  }

  void quiet(Case c, String code) {
    List<Edit> edits = run(c);
    assertThat(edits).as("no %s expected", code).noneMatch(e -> e.code().equals(code));
  }

  @Test
  void aCleanCaseHasNoEdits() {
    assertThat(run(inpatient().dx("E785", "Y").dx("R69", "N").px("0016070"))).isEmpty();
  }

  @Test
  void invalidCodes() {
    Edit dx = fires(inpatient().dx("E1199", "Y"), "INVALID_CODE", "secondaryDiagnoses[0]");
    assertThat(dx.severity()).isEqualTo(Severity.ERROR);
    assertThat(dx.message()).contains("E11.99").contains("FY2025");
    quiet(inpatient().dx("E1165", "Y"), "INVALID_CODE");

    Edit px = fires(inpatient().px("0016079"), "INVALID_CODE", "procedures[0]");
    assertThat(px.message()).contains("0016079").contains("ICD-10-PCS").contains("FY2026");
    quiet(inpatient().px("0016070"), "INVALID_CODE");
  }

  @Test
  void headerCodes() {
    Edit e = fires(inpatient().principal("E11"), "HEADER_CODE", "principalDiagnosis");
    assertThat(e.severity()).isEqualTo(Severity.ERROR);
    assertThat(e.message())
        .contains("E11 (Type 2 diabetes mellitus) is a header")
        .contains("E11.00");
    quiet(inpatient().principal("E1165"), "HEADER_CODE");
  }

  @Test
  void seventhCharacterAndPlaceholder() {
    Edit seventh =
        fires(inpatient().principal("S72001"), "SEVENTH_CHARACTER", "principalDiagnosis");
    assertThat(seventh.message())
        .contains("S72.001 needs a 7th character")
        .contains("S72.001A")
        .contains("S72.001D");
    Edit both = fires(inpatient().principal("S0003"), "SEVENTH_CHARACTER", "principalDiagnosis");
    assertThat(both.message())
        .contains("S00.03 needs the placeholder X and a 7th character")
        .contains("S00.03XA");
    Edit missingX =
        fires(inpatient().dx("T3601A", "Y"), "SEVENTH_CHARACTER", "secondaryDiagnoses[0]");
    assertThat(missingX.message())
        .contains("T36.01A")
        .contains("placeholder X")
        .contains("T36.0X1A");
    // not a 7th-character case: an ordinary header, and the complete codes
    quiet(inpatient().principal("T360X"), "SEVENTH_CHARACTER");
    quiet(
        inpatient().principal("S72001A").dx("S0003XA", "Y").dx("T360X1A", "Y"),
        "SEVENTH_CHARACTER");
    assertThat(run(inpatient().principal("S72001A").dx("S0003XA", "Y").dx("T360X1A", "Y")))
        .noneMatch(Edit::isError);
  }

  @Test
  void externalCauseAsPrincipal() {
    Edit e =
        fires(inpatient().principal("V0001XA"), "EXTERNAL_CAUSE_PRINCIPAL", "principalDiagnosis");
    assertThat(e.message()).contains("V00.01XA").contains("V00-Y99");
    quiet(inpatient().principal("S0003XA").dx("V0001XA", "Y"), "EXTERNAL_CAUSE_PRINCIPAL");
  }

  @Test
  void duplicates() {
    fires(
        inpatient().principal("N390").dx("E785", "Y").dx("N390", "Y"),
        "DUPLICATE_OF_PRINCIPAL",
        "secondaryDiagnoses[1]");
    quiet(inpatient().principal("N390").dx("E785", "Y"), "DUPLICATE_OF_PRINCIPAL");
    Edit twice =
        fires(
            inpatient().dx("E785", "Y").dx("E785", "Y"),
            "DUPLICATE_DIAGNOSIS",
            "secondaryDiagnoses[1]");
    assertThat(twice.severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void ageConflictNewborn() {
    Edit e =
        fires(inpatient().dx("A33", "Y").age(5), "AGE_CONFLICT_NEWBORN", "secondaryDiagnoses[0]");
    assertThat(e.message())
        .contains("A33 (Tetanus neonatorum) is a newborn diagnosis")
        .contains("was 5");
    quiet(inpatient().dx("A33", "Y").age(0), "AGE_CONFLICT_NEWBORN");
  }

  @Test
  void ageConflictPediatric() {
    fires(inpatient().principal("A4851").age(18), "AGE_CONFLICT_PEDIATRIC", "principalDiagnosis");
    quiet(inpatient().principal("A4851").age(17), "AGE_CONFLICT_PEDIATRIC");
  }

  @Test
  void ageConflictMaternityUsesTheV37Range() {
    Edit old =
        fires(inpatient().principal("O80").age(56), "AGE_CONFLICT_MATERNITY", "principalDiagnosis");
    assertThat(old.message()).contains("age 12-55 in MCE v37");
    fires(inpatient().principal("O80").age(11), "AGE_CONFLICT_MATERNITY", "principalDiagnosis");
    quiet(inpatient().principal("O80").age(55), "AGE_CONFLICT_MATERNITY");
    quiet(inpatient().principal("O80").age(12), "AGE_CONFLICT_MATERNITY");
  }

  @Test
  void ageConflictAdult() {
    fires(inpatient().dx("F69", "Y").age(14), "AGE_CONFLICT_ADULT", "secondaryDiagnoses[0]");
    quiet(inpatient().dx("F69", "Y").age(15), "AGE_CONFLICT_ADULT");
  }

  @Test
  void noBirthDateMeansNoAgeEditsAndAWarning() {
    Case c = inpatient().dx("A33", "Y");
    c.birth = null;
    Edit e = fires(c, "AGE_UNKNOWN", "patientBirthDate");
    assertThat(e.severity()).isEqualTo(Severity.WARNING);
    quiet(c, "AGE_CONFLICT_NEWBORN");
  }

  @Test
  void sexConflictBeforeFy2025Only() {
    LocalDate fy2024 = LocalDate.of(2024, 9, 30);
    Edit dx =
        fires(
            inpatient().dischargedOn(fy2024).gender("male").dx("A1816", "Y"),
            "SEX_CONFLICT",
            "secondaryDiagnoses[0]");
    assertThat(dx.message()).contains("A18.16").contains("female patients only");
    Edit px =
        fires(
            inpatient().dischargedOn(fy2024).gender("female").px("0VT00ZZ"),
            "SEX_CONFLICT",
            "procedures[0]");
    assertThat(px.message()).contains("0VT00ZZ").contains("male patients only");
    // near misses: the right sex, an unknown sex, and the first FY2025 discharge (edit retired)
    quiet(inpatient().dischargedOn(fy2024).gender("female").dx("A1816", "Y"), "SEX_CONFLICT");
    quiet(inpatient().dischargedOn(fy2024).gender("unknown").dx("A1816", "Y"), "SEX_CONFLICT");
    quiet(
        inpatient().dischargedOn(LocalDate.of(2024, 10, 1)).gender("male").dx("A1816", "Y"),
        "SEX_CONFLICT");
  }

  @Test
  void principalOnlyLists() {
    fires(inpatient().principal("D630"), "MANIFESTATION_PRINCIPAL", "principalDiagnosis");
    quiet(inpatient().dx("D630", "Y"), "MANIFESTATION_PRINCIPAL");
    fires(inpatient().principal("B950"), "UNACCEPTABLE_PRINCIPAL", "principalDiagnosis");
    quiet(inpatient().dx("B950", "Y"), "UNACCEPTABLE_PRINCIPAL");
    Edit q = fires(inpatient().principal("E119"), "QUESTIONABLE_ADMISSION", "principalDiagnosis");
    assertThat(q.severity()).isEqualTo(Severity.WARNING);
    quiet(inpatient().principal("E1165"), "QUESTIONABLE_ADMISSION");
  }

  @Test
  void noncoveredProcedures() {
    Edit always = fires(inpatient().px("00F3XZZ"), "NONCOVERED_PROCEDURE", "procedures[0]");
    assertThat(always.message()).contains("00F3XZZ").contains("non-covered");
    quiet(inpatient().px("0016070"), "NONCOVERED_PROCEDURE");

    Edit over60 = fires(inpatient().px("0SR20JZ").age(61), "NONCOVERED_PROCEDURE", "procedures[0]");
    assertThat(over60.message()).contains("over 60").contains("was 61");
    quiet(inpatient().px("0SR20JZ").age(60), "NONCOVERED_PROCEDURE");

    Edit shortStay =
        fires(inpatient().px("5A1955Z").stayHours(95), "NONCOVERED_PROCEDURE", "procedures[0]");
    assertThat(shortStay.message()).contains("96 hours").contains("95 hours");
    quiet(inpatient().px("5A1955Z").stayHours(96), "NONCOVERED_PROCEDURE");
  }

  @Test
  void limitedCoverageAndWrongProcedure() {
    fires(inpatient().px("02YA0Z0"), "LIMITED_COVERAGE", "procedures[0]");
    quiet(inpatient().px("0016070"), "LIMITED_COVERAGE");
    fires(inpatient().dx("Y6551", "Y"), "WRONG_PROCEDURE_PERFORMED", "secondaryDiagnoses[0]");
    quiet(inpatient().dx("E785", "Y"), "WRONG_PROCEDURE_PERFORMED");
  }

  @Test
  void poaMissingOnInpatientSecondaries() {
    Edit e =
        fires(
            inpatient().dx("E785", "Y").dx("R69", null),
            "POA_MISSING",
            "secondaryDiagnoses[1].poa");
    assertThat(e.severity()).isEqualTo(Severity.ERROR);
    assertThat(e.message()).contains("R69");
    quiet(inpatient().dx("R69", "1"), "POA_MISSING");
    Case outpatient = inpatient().dx("R69", null);
    outpatient.cls = "AMB";
    quiet(outpatient, "POA_MISSING");
  }

  @Test
  void principalMissingAndProcedureOutsideTheStay() {
    fires(inpatient().principal(null), "PRINCIPAL_MISSING", "principalDiagnosis");
    Case early = inpatient();
    early.px.add(new EditInput.Procedure("0016070", DISCHARGED.minusDays(10)));
    fires(early, "PROCEDURE_DATE_OUTSIDE_STAY", "procedures[0].performedOn");
    quiet(inpatient().px("0016070"), "PROCEDURE_DATE_OUTSIDE_STAY");
  }

  @Test
  void withoutAReleaseNothingIsPassed() {
    Case c = inpatient().dx("E785", "Y");
    c.cm = null;
    fires(c, "RELEASE_MISSING", "principalDiagnosis");
  }
}
