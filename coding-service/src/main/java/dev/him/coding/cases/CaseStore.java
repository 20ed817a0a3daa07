package dev.him.coding.cases;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.coding.edits.Edit;
import dev.him.coding.edits.EditInput;
import dev.him.coding.edits.Severity;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.CodedEntry;
import dev.him.events.v1.EncounterDischarged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads and writes the rows of a case: the case itself, its codes, its edits, its sources. */
@ApplicationScoped
public class CaseStore {
  @Inject Sql sql;
  @Inject ObjectMapper json;

  /** The codes stored on a case, diagnoses without the dot. */
  record Codes(
      String principal,
      List<EditInput.Diagnosis> secondaries,
      List<EditInput.Procedure> procedures) {}

  Optional<CaseRow> find(UUID id) {
    return sql.one(
        "select " + CaseRow.COLUMNS + " from coding_case where id = ?", CaseRow::read, id);
  }

  /** The case, locked until the transaction ends; 404 when there is none. */
  CaseRow lock(UUID id) {
    return sql.one(
            "select " + CaseRow.COLUMNS + " from coding_case where id = ? for update",
            CaseRow::read,
            id)
        .orElseThrow(() -> notFound(id));
  }

  /**
   * Checks the version the caller saw: 412 when it came as If-Match, 409 when in the body; nothing
   * to check when the caller sent neither (only saving codes insists on one).
   */
  static void expect(CaseRow row, Integer version, boolean fromIfMatch) {
    if (version == null || version == row.version()) {
      return;
    }
    String detail =
        "The case changed since you read it (you have version "
            + version
            + ", it is at "
            + row.version()
            + "): reload it and apply your changes again";
    if (fromIfMatch) {
      throw new ProblemException(
          412,
          "Precondition failed",
          detail,
          List.of(new InvalidParam("If-Match", "is not the case's current version")));
    }
    throw new ProblemException(
        409,
        "Conflict",
        detail,
        List.of(new InvalidParam("version", "is not the case's current version")));
  }

  static ProblemException notFound(UUID id) {
    return ProblemException.notFound("Coding case " + id + " is not known");
  }

  static ProblemException conflict(String detail) {
    return new ProblemException(409, "Conflict", detail, List.of());
  }

  Codes codes(UUID caseId, String principal) {
    List<EditInput.Diagnosis> dx =
        sql.list(
            "select code, poa from coding_case_diagnosis where case_id = ? order by position",
            rs -> new EditInput.Diagnosis(rs.getString(1), rs.getString(2)),
            caseId);
    List<EditInput.Procedure> px =
        sql.list(
            "select code, performed_on from coding_case_procedure where case_id = ?"
                + " order by position",
            rs -> new EditInput.Procedure(rs.getString(1), Sql.date(rs, "performed_on")),
            caseId);
    return new Codes(principal, dx, px);
  }

  void replaceCodes(UUID caseId, Codes codes) {
    sql.update("delete from coding_case_diagnosis where case_id = ?", caseId);
    sql.update("delete from coding_case_procedure where case_id = ?", caseId);
    for (int i = 0; i < codes.secondaries().size(); i++) {
      EditInput.Diagnosis d = codes.secondaries().get(i);
      sql.update(
          "insert into coding_case_diagnosis (case_id, position, code, poa) values (?, ?, ?, ?)",
          caseId,
          i,
          d.code(),
          d.poa());
    }
    for (int i = 0; i < codes.procedures().size(); i++) {
      EditInput.Procedure p = codes.procedures().get(i);
      sql.update(
          "insert into coding_case_procedure (case_id, position, code, performed_on)"
              + " values (?, ?, ?, ?)",
          caseId,
          i,
          p.code(),
          p.performedOn());
    }
  }

  void replaceEdits(UUID caseId, List<Edit> edits) {
    sql.update("delete from coding_case_edit where case_id = ?", caseId);
    for (int i = 0; i < edits.size(); i++) {
      Edit e = edits.get(i);
      sql.update(
          "insert into coding_case_edit (case_id, position, code, severity, field, message)"
              + " values (?, ?, ?, ?, ?, ?)",
          caseId,
          i,
          e.code(),
          e.severity().json(),
          e.field(),
          e.message());
    }
  }

  List<Edit> edits(UUID caseId) {
    return sql.list(
        "select code, severity, field, message from coding_case_edit where case_id = ?"
            + " order by position",
        rs ->
            new Edit(
                rs.getString(1), Severity.of(rs.getString(2)), rs.getString(3), rs.getString(4)),
        caseId);
  }

  long openQueries(UUID caseId) {
    return sql.count(
        "select count(*) from coding_query where case_id = ? and status = 'open'", caseId);
  }

  /** Stores (or replaces) what the encounter recorded. */
  void writeSource(UUID caseId, EncounterDischarged e) {
    sql.update(
        "insert into coding_case_source (case_id, diagnoses, procedures, reasons, documents)"
            + " values (?, cast(? as jsonb), cast(? as jsonb), cast(? as jsonb), cast(? as jsonb))"
            + " on conflict (case_id) do update set diagnoses = excluded.diagnoses,"
            + " procedures = excluded.procedures, reasons = excluded.reasons,"
            + " documents = excluded.documents",
        caseId,
        write(e.diagnoses()),
        write(e.procedures()),
        write(e.reasons()),
        write(e.documents()));
  }

  Optional<CaseView.Recorded> source(UUID caseId) {
    return sql.one(
        "select cast(diagnoses as text), cast(procedures as text), cast(reasons as text),"
            + " cast(documents as text) from coding_case_source where case_id = ?",
        rs ->
            new CaseView.Recorded(
                read(rs.getString(1), new TypeReference<List<CodedEntry>>() {}),
                read(rs.getString(2), new TypeReference<List<CodedEntry>>() {}),
                read(rs.getString(3), new TypeReference<List<String>>() {}),
                read(
                    rs.getString(4),
                    new TypeReference<List<EncounterDischarged.DocumentText>>() {})),
        caseId);
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private <T> T read(String text, TypeReference<T> type) {
    try {
      return json.readValue(text, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
