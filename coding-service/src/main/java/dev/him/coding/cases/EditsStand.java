package dev.him.coding.cases;

import dev.him.coding.edits.Edit;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import java.util.List;

/** Finalize refused: error-level edits stand. Lists each one (field, code and message). */
public class EditsStand extends ProblemException {
  public EditsStand(List<Edit> errors) {
    super(
        409,
        "Edits stand",
        "The case cannot be finalized while "
            + errors.size()
            + (errors.size() == 1 ? " error-level edit stands: " : " error-level edits stand: ")
            + String.join(", ", errors.stream().map(Edit::code).distinct().toList()),
        errors.stream()
            .map(e -> new InvalidParam(e.field(), e.code() + ": " + e.message()))
            .toList());
  }
}
