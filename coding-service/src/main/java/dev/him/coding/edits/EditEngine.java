package dev.him.coding.edits;

import dev.him.coding.edits.EditSettings.AgeGroup;
import dev.him.coding.edits.EditSettings.AgeRange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the coding edits on a case's codes. Everything that decides whether a code passes comes from
 * the loaded releases: validity and billable flag from the ICD-10-CM order file and the ICD-10-PCS
 * codes file; 7th character and placeholder from the codes the order file holds; the MCE edits from
 * the MCE lists. The only fixed range is the classification's own chapter of external causes
 * (V00-Y99), which no list carries.
 */
@ApplicationScoped
public class EditEngine {
  private static final Set<Character> EXTERNAL_CAUSE_CHAPTER = Set.of('V', 'W', 'X', 'Y');
  private static final long MCE_LONG_STAY_HOURS = 96;
  private static final int MCE_OVER_AGE = 60;
  private static final int MAX_AGE = 124;
  private static final int EXAMPLES = 6;

  @Inject CodeBook book;
  @Inject EditSettings settings;

  /** The edits standing on these codes, in the order of the fields. */
  public List<Edit> run(EditInput in) {
    Run run = new Run(in);
    run.releases();
    run.diagnoses();
    run.procedures();
    run.mce();
    return run.edits;
  }

  private final class Run {
    final EditInput in;
    final List<Edit> edits = new ArrayList<>();
    final Map<String, CodeBook.CmCode> cm;
    final Map<String, String> pcs;
    final Integer age;

    Run(EditInput in) {
      this.in = in;
      Set<String> dx = new LinkedHashSet<>();
      if (in.principalDiagnosis() != null) dx.add(in.principalDiagnosis());
      in.secondaryDiagnoses().forEach(d -> dx.add(d.code()));
      this.cm = book.icd10cm(in.icd10cmVersion(), dx);
      this.pcs =
          book.icd10pcs(
              in.icd10pcsVersion(),
              in.procedures().stream().map(EditInput.Procedure::code).collect(Collectors.toSet()));
      this.age = ageAtAdmission();
    }

    void add(EditType type, String field, String message) {
      settings.severity(type).ifPresent(s -> edits.add(new Edit(type.name(), s, field, message)));
    }

    void releases() {
      for (String note : in.notes()) {
        add(EditType.NEAREST_RELEASE, "dischargedAt", note);
      }
      boolean anyDiagnosis = in.principalDiagnosis() != null || !in.secondaryDiagnoses().isEmpty();
      if (in.icd10cmVersion() == null && anyDiagnosis) {
        add(
            EditType.RELEASE_MISSING,
            "principalDiagnosis",
            "No ICD-10-CM release is loaded: the diagnoses cannot be checked. An administrator"
                + " imports one under /api/coding/code-sets.");
      }
      if (in.icd10pcsVersion() == null && !in.procedures().isEmpty()) {
        add(
            EditType.RELEASE_MISSING,
            "procedures",
            "No ICD-10-PCS release is loaded: the procedures cannot be checked.");
      }
      if (in.mceVersion() == null && in.hasCodes()) {
        add(
            EditType.MCE_MISSING,
            "dischargedAt",
            "No MCE lists are loaded: the age, sex, principal diagnosis and coverage edits did not"
                + " run.");
      }
    }

    void diagnoses() {
      String principal = in.principalDiagnosis();
      if (principal == null) {
        add(
            EditType.PRINCIPAL_MISSING,
            "principalDiagnosis",
            "No principal diagnosis: enter the condition chiefly responsible for the stay.");
      } else {
        validity("principalDiagnosis", principal);
        if (EXTERNAL_CAUSE_CHAPTER.contains(principal.charAt(0))) {
          add(
              EditType.EXTERNAL_CAUSE_PRINCIPAL,
              "principalDiagnosis",
              Icd10CmShape.withDot(principal)
                  + " is an external cause code (chapter V00-Y99) and cannot be the principal"
                  + " diagnosis: sequence the injury or condition first.");
        }
      }
      Set<String> seen = new HashSet<>();
      boolean inpatient = settings.isInpatient(in.encounterClass());
      for (int i = 0; i < in.secondaryDiagnoses().size(); i++) {
        EditInput.Diagnosis d = in.secondaryDiagnoses().get(i);
        String field = "secondaryDiagnoses[" + i + "]";
        validity(field, d.code());
        if (d.code().equals(principal)) {
          add(
              EditType.DUPLICATE_OF_PRINCIPAL,
              field,
              Icd10CmShape.withDot(d.code())
                  + " repeats the principal diagnosis: report it once, as principal.");
        } else if (!seen.add(d.code())) {
          add(
              EditType.DUPLICATE_DIAGNOSIS,
              field,
              Icd10CmShape.withDot(d.code()) + " is listed twice among the secondary diagnoses.");
        }
        if (inpatient && d.poa() == null) {
          add(
              EditType.POA_MISSING,
              field + ".poa",
              Icd10CmShape.withDot(d.code())
                  + " has no present-on-admission indicator: inpatient secondary diagnoses need Y,"
                  + " N, U, W, or 1 when the code is exempt from POA reporting.");
        }
      }
    }

    /**
     * INVALID_CODE, HEADER_CODE or SEVENTH_CHARACTER for a diagnosis the release lacks or bills
     * not.
     */
    void validity(String field, String code) {
      if (in.icd10cmVersion() == null) {
        return;
      }
      CodeBook.CmCode row = cm.get(code);
      if (row != null && row.billable()) {
        return;
      }
      String version = in.icd10cmVersion();
      String shown = Icd10CmShape.withDot(code);
      List<CodeBook.CmCode> category = book.icd10cmCategory(version, code.substring(0, 3));
      if (row != null) {
        // a header: either the codes below it only differ by placeholder X and a 7th character,
        // or it is a category/subcategory with more specific codes
        List<String> seventh =
            category.stream()
                .filter(c -> c.billable() && extendsWithSeventh(code, c.code()))
                .map(c -> Icd10CmShape.withDot(c.code()))
                .toList();
        if (!seventh.isEmpty()) {
          boolean placeholder = code.length() < 6;
          add(
              EditType.SEVENTH_CHARACTER,
              field,
              shown
                  + (placeholder
                      ? " needs the placeholder X and a 7th character: "
                      : " needs a 7th character: ")
                  + examples(seventh)
                  + ".");
          return;
        }
        List<String> below =
            category.stream()
                .filter(c -> c.billable() && c.code().startsWith(code))
                .map(c -> Icd10CmShape.withDot(c.code()))
                .toList();
        add(
            EditType.HEADER_CODE,
            field,
            shown
                + " ("
                + row.description()
                + ") is a header in ICD-10-CM "
                + version
                + ", not a billable code: report a more specific code"
                + (below.isEmpty() ? "" : " such as " + examples(below))
                + ".");
        return;
      }
      String bare = code.replace("X", "");
      Optional<CodeBook.CmCode> withX =
          category.stream()
              .filter(c -> !c.code().equals(code) && c.code().replace("X", "").equals(bare))
              .min((a, b) -> Boolean.compare(b.billable(), a.billable()));
      if (withX.isPresent()) {
        CodeBook.CmCode c = withX.get();
        if (c.billable()) {
          add(
              EditType.SEVENTH_CHARACTER,
              field,
              shown
                  + " is not a code in ICD-10-CM "
                  + version
                  + ": the placeholder X is missing; use "
                  + Icd10CmShape.withDot(c.code())
                  + " ("
                  + c.description()
                  + ").");
        } else {
          List<String> seventh =
              category.stream()
                  .filter(x -> x.billable() && extendsWithSeventh(c.code(), x.code()))
                  .map(x -> Icd10CmShape.withDot(x.code()))
                  .toList();
          add(
              EditType.SEVENTH_CHARACTER,
              field,
              shown
                  + " is not a code in ICD-10-CM "
                  + version
                  + ": use the placeholder X"
                  + (seventh.isEmpty()
                      ? " (" + Icd10CmShape.withDot(c.code()) + ")"
                      : " and a 7th character: " + examples(seventh))
                  + ".");
        }
        return;
      }
      add(
          EditType.INVALID_CODE,
          field,
          shown
              + " is not a valid ICD-10-CM code in "
              + version
              + ", the release in force on the discharge day.");
    }

    void procedures() {
      for (int i = 0; i < in.procedures().size(); i++) {
        EditInput.Procedure p = in.procedures().get(i);
        String field = "procedures[" + i + "]";
        if (in.icd10pcsVersion() != null && !pcs.containsKey(p.code())) {
          add(
              EditType.INVALID_CODE,
              field,
              p.code()
                  + " is not a valid ICD-10-PCS code in "
                  + in.icd10pcsVersion()
                  + ", the release in force on the discharge day.");
        }
        LocalDate from = in.admittedOn() != null ? in.admittedOn() : in.dischargedOn();
        if (p.performedOn() != null
            && (p.performedOn().isBefore(from) || p.performedOn().isAfter(in.dischargedOn()))) {
          add(
              EditType.PROCEDURE_DATE_OUTSIDE_STAY,
              field + ".performedOn",
              p.code()
                  + " is dated "
                  + p.performedOn()
                  + ", outside the stay ("
                  + from
                  + " to "
                  + in.dischargedOn()
                  + ").");
        }
      }
    }

    void mce() {
      String version = in.mceVersion();
      if (version == null || !in.hasCodes()) {
        return;
      }
      Set<String> dx = new LinkedHashSet<>();
      if (in.principalDiagnosis() != null) dx.add(in.principalDiagnosis());
      in.secondaryDiagnoses().forEach(d -> dx.add(d.code()));
      Map<String, Set<String>> dxLists = book.mceLists(version, "D", dx);
      Map<String, Set<String>> pxLists =
          book.mceLists(
              version,
              "P",
              in.procedures().stream().map(EditInput.Procedure::code).collect(Collectors.toSet()));
      String sex = sex();
      boolean sexEdits = sex != null && settings.sexEditsApply(in.dischargedOn());

      if (age == null && !dx.isEmpty()) {
        add(
            EditType.AGE_UNKNOWN,
            "patientBirthDate",
            in.birthDate() == null
                ? "The patient's birth date is not recorded: the MCE age edits did not run."
                : "The birth date "
                    + in.birthDate()
                    + " gives no age between 0 and "
                    + MAX_AGE
                    + " at admission: the MCE age edits did not run.");
      }
      List<Dx> all = new ArrayList<>();
      if (in.principalDiagnosis() != null) {
        all.add(new Dx("principalDiagnosis", in.principalDiagnosis(), true));
      }
      for (int i = 0; i < in.secondaryDiagnoses().size(); i++) {
        all.add(
            new Dx("secondaryDiagnoses[" + i + "]", in.secondaryDiagnoses().get(i).code(), false));
      }
      for (Dx d : all) {
        Set<String> lists = dxLists.getOrDefault(d.code, Set.of());
        if (lists.isEmpty()) {
          continue;
        }
        String shown = Icd10CmShape.withDot(d.code) + describe(d.code);
        if (age != null) {
          for (AgeGroup group : AgeGroup.values()) {
            AgeRange range = settings.ageRange(version, group);
            if (lists.contains(group.list()) && !range.contains(age)) {
              add(
                  group.edit(),
                  d.field,
                  shown
                      + " is a "
                      + group.label()
                      + " diagnosis (age "
                      + range
                      + " in MCE "
                      + version
                      + "); the patient was "
                      + age
                      + " at admission.");
            }
          }
        }
        if (sexEdits) {
          sexConflict(lists, sex, d.field, shown);
        }
        if (lists.contains(MceLists.WRONG_PROCEDURE)) {
          add(
              EditType.WRONG_PROCEDURE_PERFORMED,
              d.field,
              shown
                  + " reports a wrong procedure performed (MCE "
                  + version
                  + "): the claim goes to review.");
        }
        if (!d.principal) {
          continue;
        }
        if (lists.contains(MceLists.MANIFESTATION)) {
          add(
              EditType.MANIFESTATION_PRINCIPAL,
              d.field,
              shown
                  + " is a manifestation code and may not be the principal diagnosis: code the"
                  + " underlying condition first.");
        }
        if (lists.contains(MceLists.UNACCEPTABLE_PRINCIPAL)) {
          add(
              EditType.UNACCEPTABLE_PRINCIPAL,
              d.field,
              shown + " is not acceptable as a principal diagnosis (MCE " + version + ").");
        }
        if (lists.contains(MceLists.QUESTIONABLE_ADMISSION)) {
          add(
              EditType.QUESTIONABLE_ADMISSION,
              d.field,
              shown
                  + " as principal diagnosis is a questionable reason for an inpatient admission"
                  + " (MCE "
                  + version
                  + "): make sure the record supports the admission.");
        }
      }
      for (int i = 0; i < in.procedures().size(); i++) {
        String code = in.procedures().get(i).code();
        Set<String> lists = pxLists.getOrDefault(code, Set.of());
        if (lists.isEmpty()) {
          continue;
        }
        String field = "procedures[" + i + "]";
        String shown = code + (pcs.containsKey(code) ? " (" + pcs.get(code) + ")" : "");
        if (sexEdits) {
          sexConflict(lists, sex, field, shown);
        }
        if (lists.contains(MceLists.NONCOVERED_ALWAYS)) {
          add(
              EditType.NONCOVERED_PROCEDURE,
              field,
              shown + " is a non-covered procedure for Medicare (MCE " + version + ").");
        }
        if (lists.contains(MceLists.NONCOVERED_OVER_60) && age != null && age > MCE_OVER_AGE) {
          add(
              EditType.NONCOVERED_PROCEDURE,
              field,
              shown
                  + " is not covered for patients over "
                  + MCE_OVER_AGE
                  + " (MCE "
                  + version
                  + "); the patient was "
                  + age
                  + " at admission.");
        }
        Long hours = stayHours();
        if (lists.contains(MceLists.NONCOVERED_LOS_96_HOURS)
            && hours != null
            && hours < MCE_LONG_STAY_HOURS) {
          add(
              EditType.NONCOVERED_PROCEDURE,
              field,
              shown
                  + " needs a stay of at least "
                  + MCE_LONG_STAY_HOURS
                  + " hours (MCE "
                  + version
                  + "); this stay was "
                  + hours
                  + " hours.");
        }
        if (lists.contains(MceLists.LIMITED_COVERAGE)) {
          add(
              EditType.LIMITED_COVERAGE,
              field,
              shown
                  + " has limited Medicare coverage (MCE "
                  + version
                  + "): check that the coverage conditions are documented.");
        }
      }
    }

    void sexConflict(Set<String> lists, String sex, String field, String shown) {
      if (lists.contains(MceLists.FEMALE) && "male".equals(sex)) {
        add(
            EditType.SEX_CONFLICT,
            field,
            shown + " is for female patients only; the patient is recorded as male.");
      } else if (lists.contains(MceLists.MALE) && "female".equals(sex)) {
        add(
            EditType.SEX_CONFLICT,
            field,
            shown + " is for male patients only; the patient is recorded as female.");
      }
    }

    String describe(String code) {
      CodeBook.CmCode row = cm.get(code);
      return row == null ? "" : " (" + row.description() + ")";
    }

    Integer ageAtAdmission() {
      if (in.birthDate() == null) {
        return null;
      }
      LocalDate admitted = in.admittedOn() != null ? in.admittedOn() : in.dischargedOn();
      if (in.birthDate().isAfter(admitted)) {
        return null;
      }
      int years = Period.between(in.birthDate(), admitted).getYears();
      return years > MAX_AGE ? null : years;
    }

    Long stayHours() {
      if (in.admittedAt() == null || in.dischargedAt() == null) {
        return null;
      }
      return Duration.between(in.admittedAt(), in.dischargedAt()).toHours();
    }

    String sex() {
      if (in.gender() == null) {
        return null;
      }
      String g = in.gender().strip().toLowerCase(Locale.ROOT);
      return "male".equals(g) || "female".equals(g) ? g : null;
    }
  }

  private record Dx(String field, String code, boolean principal) {}

  /**
   * Whether {@code full} is {@code header} filled up with placeholder X to six characters plus a
   * 7th character: S72.001 to S72.001A, S00.03 to S00.03XA.
   */
  static boolean extendsWithSeventh(String header, String full) {
    if (full.length() != 7 || !full.startsWith(header)) {
      return false;
    }
    for (int i = header.length(); i < 6; i++) {
      if (full.charAt(i) != 'X') {
        return false;
      }
    }
    return true;
  }

  private static String examples(List<String> codes) {
    String shown = String.join(", ", codes.subList(0, Math.min(EXAMPLES, codes.size())));
    return codes.size() > EXAMPLES ? shown + " (" + codes.size() + " codes)" : shown;
  }
}
