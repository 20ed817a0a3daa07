package dev.him.coding.cases;

import dev.him.coding.drg.DrgCatalog;
import dev.him.coding.edits.EditInput;
import dev.him.coding.edits.Icd10CmShape;
import dev.him.coding.pcs.Icd10PcsCodes;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks the shape of a draft before anything is stored: each field that is not shaped right is
 * named (secondaryDiagnoses[1].poa, procedures[0].performedOn). Whether a well-shaped code exists
 * in the release is the edits' business, so an unknown code is saved and shows as INVALID_CODE.
 */
final class DraftCheck {
  /** Present on admission: yes, no, documentation insufficient, clinically undetermined, exempt. */
  static final Set<String> POA = Set.of("Y", "N", "U", "W", "1");

  /** The claim form's room: 24 secondary diagnoses and 25 procedures besides the principal. */
  static final int MAX_SECONDARY = 24;

  static final int MAX_PROCEDURES = 25;

  private DraftCheck() {}

  static CaseService.Draft check(DraftCodes body) {
    if (body == null) {
      throw ProblemException.badRequest("body", "send the codes as JSON");
    }
    List<InvalidParam> problems = new ArrayList<>();
    String principal = null;
    if (body.principalDiagnosis() != null && !body.principalDiagnosis().isBlank()) {
      principal = Icd10CmShape.normalize(body.principalDiagnosis()).orElse(null);
      if (principal == null) {
        problems.add(new InvalidParam("principalDiagnosis", notCm(body.principalDiagnosis())));
      }
    }
    if (body.secondaryDiagnoses().size() > MAX_SECONDARY) {
      problems.add(
          new InvalidParam(
              "secondaryDiagnoses", "at most " + MAX_SECONDARY + " secondary diagnoses"));
    }
    List<EditInput.Diagnosis> dx = new ArrayList<>();
    for (int i = 0; i < body.secondaryDiagnoses().size(); i++) {
      DraftCodes.Diagnosis d = body.secondaryDiagnoses().get(i);
      String field = "secondaryDiagnoses[" + i + "]";
      if (d == null) {
        problems.add(new InvalidParam(field, "is empty"));
        continue;
      }
      String code = Icd10CmShape.normalize(d.code()).orElse(null);
      if (code == null) {
        problems.add(new InvalidParam(field + ".code", notCm(d.code())));
      }
      String poa = d.poa() == null || d.poa().isEmpty() ? null : d.poa();
      if (poa != null && !POA.contains(poa)) {
        problems.add(
            new InvalidParam(
                field + ".poa",
                "\""
                    + poa
                    + "\" is not a present-on-admission indicator: Y, N, U, W or 1 (exempt)"));
      }
      dx.add(new EditInput.Diagnosis(code, poa));
    }
    if (body.procedures().size() > MAX_PROCEDURES) {
      problems.add(new InvalidParam("procedures", "at most " + MAX_PROCEDURES + " procedures"));
    }
    List<EditInput.Procedure> px = new ArrayList<>();
    for (int i = 0; i < body.procedures().size(); i++) {
      DraftCodes.Procedure p = body.procedures().get(i);
      String field = "procedures[" + i + "]";
      if (p == null) {
        problems.add(new InvalidParam(field, "is empty"));
        continue;
      }
      String code = Icd10PcsCodes.normalize(p.code()).orElse(null);
      if (code == null) {
        problems.add(
            new InvalidParam(
                field + ".code",
                (p.code() == null ? "is required" : "\"" + p.code() + "\" is not")
                    + " an ICD-10-PCS code: 7 characters, digits and letters other than I and O"));
      }
      if (p.performedOn() == null) {
        problems.add(new InvalidParam(field + ".performedOn", "is required (the day performed)"));
      }
      px.add(new EditInput.Procedure(code, p.performedOn()));
    }
    String drg = null;
    if (body.msDrg() != null && !body.msDrg().isBlank()) {
      drg = DrgCatalog.normalize(body.msDrg()).orElse(null);
      if (drg == null) {
        problems.add(new InvalidParam("msDrg", "\"" + body.msDrg() + "\" is not an MS-DRG number"));
      }
    }
    if (!problems.isEmpty()) {
      throw new ProblemException(
          400,
          "Invalid request",
          String.join("; ", problems.stream().map(p -> p.name() + " " + p.reason()).toList()),
          problems);
    }
    return new CaseService.Draft(principal, dx, px, drg);
  }

  private static String notCm(String code) {
    return (code == null ? "is required" : "\"" + code + "\" is not")
        + " an ICD-10-CM code: a letter, a digit, a letter or digit, then up to 4 letters or"
        + " digits, a dot allowed after the third (E11.9)";
  }
}
