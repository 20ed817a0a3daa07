package dev.him.coding.cases;

import dev.him.coding.drg.DrgCatalog;
import dev.him.coding.drg.DrgGrouper;
import dev.him.coding.drg.DrgInfo;
import dev.him.coding.edits.Edit;
import dev.him.coding.edits.EditEngine;
import dev.him.coding.edits.EditInput;
import dev.him.coding.edits.Icd10CmShape;
import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.outbox.Outbox;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.EncounterCoded;
import dev.him.events.v1.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The coder's work on a case: drafts (every save runs the edits and keeps their result),
 * assignment, finalize (refused while an error-level edit or an open physician query stands;
 * publishes EncounterCoded through the outbox), reopen with a reason, and the DRG an external
 * grouper sends. Every read and write is recorded as access to the patient's data.
 */
@ApplicationScoped
public class CaseService {
  static final String RESOURCE = "CodingCase";

  @Inject Sql sql;
  @Inject CaseStore store;
  @Inject CaseViews views;
  @Inject CaseHistory history;
  @Inject ReleaseChooser releases;
  @Inject EditEngine edits;
  @Inject DrgCatalog drgs;
  @Inject DrgGrouper grouper;
  @Inject Outbox outbox;
  @Inject AccessRecorder access;
  @Inject RequestContext request;

  /** The codes of a save, checked for shape and normalized (diagnoses without the dot). */
  public record Draft(
      String principal,
      List<EditInput.Diagnosis> secondaries,
      List<EditInput.Procedure> procedures,
      String msDrg) {}

  @Transactional
  public CaseView get(UUID id) {
    CaseRow row = store.find(id).orElseThrow(() -> CaseStore.notFound(id));
    access.success(AccessAction.READ, RESOURCE, id.toString(), List.of(row.patientId()), null);
    return views.of(row);
  }

  /** Replaces the case's codes with the draft, runs the edits and keeps them with the case. */
  @Transactional
  public CaseView save(UUID id, Draft draft, Integer version, boolean fromIfMatch) {
    CaseRow row = store.lock(id);
    CaseStore.expect(row, version, fromIfMatch);
    if (row.isFinal()) {
      throw CaseStore.conflict(
          "Case " + id + " is final: reopen it (with a reason) before changing its codes");
    }
    ReleaseChooser.Releases r = releases.choose(row.dischargedOn());
    CaseStore.Codes codes =
        new CaseStore.Codes(draft.principal(), draft.secondaries(), draft.procedures());
    String drg = null;
    String drgSource = null;
    if (draft.msDrg() != null) {
      drg = checkedDrg(r, draft.msDrg()).msDrg();
      drgSource = "coder";
    } else if (r.msDrg() != null) {
      drg =
          grouper
              .group(grouperInput(row, r, codes))
              .flatMap(d -> drgs.find(r.msDrg(), d))
              .map(DrgInfo::msDrg)
              .orElse(null);
      drgSource = drg == null ? null : "grouper:" + grouper.name();
    }
    String status = row.status();
    String held = row.heldStatus();
    if (CaseStatus.OPEN.equals(status)) {
      status = CaseStatus.IN_PROGRESS;
    } else if (CaseStatus.ON_HOLD.equals(status)
        && (held == null || CaseStatus.OPEN.equals(held))) {
      held = CaseStatus.IN_PROGRESS;
    }
    Instant now = now();
    String actor = actor();
    store.replaceCodes(id, codes);
    sql.update(
        "update coding_case set principal_diagnosis = ?, icd10cm_version = ?,"
            + " icd10pcs_version = ?, mce_version = ?, ms_drg = ?, drg_version = ?,"
            + " drg_source = ?, status = ?, held_status = ?,"
            + " first_saved_at = coalesce(first_saved_at, ?), last_saved_at = ?,"
            + " last_saved_by = ?, version = version + 1 where id = ?",
        codes.principal(),
        r.icd10cm(),
        r.icd10pcs(),
        r.mce(),
        drg,
        drg == null ? null : r.msDrg(),
        drgSource,
        status,
        held,
        now,
        now,
        actor,
        id);
    List<Edit> found = runEdits(row, r, codes, drg != null);
    store.replaceEdits(id, found);
    long errors = found.stream().filter(Edit::isError).count();
    history.add(
        id,
        actor,
        "saved",
        null,
        summary(codes, drg) + "; " + errors + " errors, " + (found.size() - errors) + " warnings");
    access.success(
        AccessAction.UPDATE, RESOURCE, id.toString(), List.of(row.patientId()), "codes saved");
    return views.of(store.find(id).orElseThrow());
  }

  /** Gives the case to a coder (the caller when {@code assignee} is null). */
  @Transactional
  public CaseView assign(UUID id, String assignee, Integer version, boolean fromIfMatch) {
    CaseRow row = store.lock(id);
    CaseStore.expect(row, version, fromIfMatch);
    if (row.isFinal()) {
      throw CaseStore.conflict("Case " + id + " is final: there is nothing left to assign");
    }
    String to = assignee == null ? actor() : assignee;
    sql.update(
        "update coding_case set assigned_to = ?, assigned_at = ?, version = version + 1"
            + " where id = ?",
        to,
        now(),
        id);
    history.add(
        id,
        actor(),
        "assigned",
        null,
        "to " + to + (row.assignedTo() == null ? "" : " (was " + row.assignedTo() + ")"));
    access.success(
        AccessAction.UPDATE, RESOURCE, id.toString(), List.of(row.patientId()), "assigned");
    return views.of(store.find(id).orElseThrow());
  }

  @Transactional
  public CaseView unassign(UUID id, Integer version, boolean fromIfMatch) {
    CaseRow row = store.lock(id);
    CaseStore.expect(row, version, fromIfMatch);
    if (row.assignedTo() != null) {
      sql.update(
          "update coding_case set assigned_to = null, assigned_at = null, version = version + 1"
              + " where id = ?",
          id);
      history.add(id, actor(), "unassigned", null, "was " + row.assignedTo());
    }
    access.success(
        AccessAction.UPDATE, RESOURCE, id.toString(), List.of(row.patientId()), "unassigned");
    return views.of(store.find(id).orElseThrow());
  }

  /**
   * Runs the edits on the stored codes and finalizes the case when no error stands and no physician
   * query is open: status final, a finalization row, a history entry and EncounterCoded in the
   * outbox, in one transaction. When errors stand, their fresh result is kept and 409 lists them.
   */
  @Transactional(dontRollbackOn = EditsStand.class)
  public CaseView finalizeCase(UUID id, Integer version, boolean fromIfMatch) {
    CaseRow row = store.lock(id);
    CaseStore.expect(row, version, fromIfMatch);
    if (row.isFinal()) {
      throw CaseStore.conflict("Case " + id + " is final already");
    }
    long open = store.openQueries(id);
    if (open > 0) {
      throw new ProblemException(
          409,
          "Query open",
          "Case "
              + id
              + " is on hold: "
              + open
              + " physician "
              + (open == 1 ? "query is" : "queries are")
              + " open; finalize once answered or withdrawn",
          List.of(new dev.him.common.problem.InvalidParam("queries", "a physician query is open")));
    }
    ReleaseChooser.Releases r = releases.choose(row.dischargedOn());
    CaseStore.Codes codes = store.codes(id, row.principalDiagnosis());
    List<Edit> found = runEdits(row, r, codes, row.msDrg() != null);
    store.replaceEdits(id, found);
    String actor = actor();
    List<Edit> errors = found.stream().filter(Edit::isError).toList();
    if (!errors.isEmpty()) {
      history.add(
          id,
          actor,
          "finalize-refused",
          null,
          String.join(", ", errors.stream().map(Edit::code).distinct().toList()));
      access.success(
          AccessAction.UPDATE,
          RESOURCE,
          id.toString(),
          List.of(row.patientId()),
          "finalize refused");
      throw new EditsStand(errors);
    }
    DrgInfo drg =
        row.msDrg() == null ? null : drgs.find(row.drgVersion(), row.msDrg()).orElse(null);
    BigDecimal weight = drg == null ? null : drg.weight();
    int caseVersion = row.finalCount() + 1;
    Instant now = now();
    List<String> warnings = found.stream().map(Edit::code).toList();
    sql.update(
        "update coding_case set status = 'final', held_status = null, finalized_at = ?,"
            + " finalized_by = ?, final_count = ?, icd10cm_version = ?, icd10pcs_version = ?,"
            + " mce_version = ?, version = version + 1 where id = ?",
        now,
        actor,
        caseVersion,
        r.icd10cm(),
        r.icd10pcs(),
        r.mce(),
        id);
    sql.update(
        "insert into coding_case_finalization (case_id, case_version, finalized_at, finalized_by,"
            + " icd10cm_version, ms_drg, drg_version, drg_weight, warning_codes)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        caseVersion,
        now,
        actor,
        r.icd10cm(),
        row.msDrg(),
        row.msDrg() == null ? null : row.drgVersion(),
        weight,
        warnings);
    history.add(
        id,
        actor,
        "finalized",
        null,
        "caseVersion "
            + caseVersion
            + (warnings.isEmpty() ? "" : "; warnings standing: " + String.join(", ", warnings)));
    UUID eventId = UUID.randomUUID();
    outbox.add(
        Topics.CODING_EVENTS,
        row.patientId(),
        eventId,
        EncounterCoded.TYPE,
        EncounterCoded.VERSION,
        new EncounterCoded(
            eventId,
            now,
            id.toString(),
            row.encounterId(),
            row.patientId(),
            r.icd10cm(),
            Icd10CmShape.withDot(codes.principal()),
            codes.secondaries().stream()
                .map(d -> new EncounterCoded.Diagnosis(Icd10CmShape.withDot(d.code()), d.poa()))
                .toList(),
            codes.procedures().stream()
                .map(p -> new EncounterCoded.ProcedureCode(p.code(), p.performedOn()))
                .toList(),
            row.msDrg(),
            weight,
            actor,
            caseVersion,
            request.requestId()));
    access.success(
        AccessAction.UPDATE, RESOURCE, id.toString(), List.of(row.patientId()), "finalized");
    return views.of(store.find(id).orElseThrow());
  }

  /** Opens a final case again; the reason is kept in the history. */
  @Transactional
  public CaseView reopen(UUID id, String reason, Integer version, boolean fromIfMatch) {
    CaseRow row = store.lock(id);
    CaseStore.expect(row, version, fromIfMatch);
    if (!row.isFinal()) {
      throw CaseStore.conflict(
          "Case " + id + " is " + row.status() + ", not final: only a final case is reopened");
    }
    sql.update(
        "update coding_case set status = 'reopened', version = version + 1 where id = ?", id);
    history.add(id, actor(), "reopened", reason, "after caseVersion " + row.finalCount());
    access.success(
        AccessAction.UPDATE, RESOURCE, id.toString(), List.of(row.patientId()), "reopened");
    return views.of(store.find(id).orElseThrow());
  }

  /** The MS-DRG an external grouper computed for the codes as they stand. */
  @Transactional
  public CaseView setGroupedDrg(UUID id, String msDrg, String grouperName) {
    CaseRow row = store.lock(id);
    if (row.isFinal()) {
      throw CaseStore.conflict("Case " + id + " is final: reopen it before grouping it again");
    }
    ReleaseChooser.Releases r = releases.choose(row.dischargedOn());
    DrgInfo drg = checkedDrg(r, msDrg);
    sql.update(
        "update coding_case set ms_drg = ?, drg_version = ?, drg_source = ?,"
            + " version = version + 1 where id = ?",
        drg.msDrg(),
        drg.version(),
        "grouper:" + grouperName,
        id);
    history.add(
        id,
        actor(),
        "drg-set",
        null,
        "MS-DRG " + drg.msDrg() + " " + drg.version() + " from " + grouperName);
    access.success(
        AccessAction.UPDATE, RESOURCE, id.toString(), List.of(row.patientId()), "MS-DRG grouped");
    return views.of(store.find(id).orElseThrow());
  }

  private DrgInfo checkedDrg(ReleaseChooser.Releases r, String msDrg) {
    if (r.msDrg() == null) {
      throw ProblemException.badRequest(
          "msDrg", "no MS-DRG weights table is loaded, so no MS-DRG can be recorded");
    }
    return drgs.find(r.msDrg(), msDrg)
        .orElseThrow(
            () ->
                ProblemException.badRequest(
                    "msDrg", "MS-DRG " + msDrg + " is not in the MS-DRG " + r.msDrg() + " table"));
  }

  private List<Edit> runEdits(
      CaseRow row, ReleaseChooser.Releases r, CaseStore.Codes codes, boolean hasDrg) {
    List<String> notes = new ArrayList<>();
    r.notes()
        .forEach(
            (system, note) -> {
              boolean relevant =
                  switch (system) {
                    case "ICD-10-PCS" -> !codes.procedures().isEmpty();
                    case "MS-DRG" -> hasDrg;
                    default -> true;
                  };
              if (relevant) notes.add(note);
            });
    return edits.run(
        new EditInput(
            r.icd10cm(),
            r.icd10pcs(),
            r.mce(),
            notes,
            row.encounterClass(),
            row.dischargedOn(),
            row.admittedAt(),
            row.dischargedAt(),
            views.admittedOn(row),
            row.birthDate(),
            row.gender(),
            codes.principal(),
            codes.secondaries(),
            codes.procedures()));
  }

  private DrgGrouper.Input grouperInput(
      CaseRow row, ReleaseChooser.Releases r, CaseStore.Codes codes) {
    String gender = row.gender() == null ? null : row.gender().toLowerCase(Locale.ROOT);
    return new DrgGrouper.Input(
        r.msDrg(),
        row.dischargedOn(),
        views.ageAtAdmission(row),
        "male".equals(gender) || "female".equals(gender) ? gender : null,
        row.dischargeDisposition(),
        codes.principal(),
        codes.secondaries().stream().map(d -> new DrgGrouper.Diagnosis(d.code(), d.poa())).toList(),
        codes.procedures().stream().map(EditInput.Procedure::code).toList());
  }

  private static String summary(CaseStore.Codes codes, String drg) {
    return "principal "
        + (codes.principal() == null ? "none" : Icd10CmShape.withDot(codes.principal()))
        + ", "
        + codes.secondaries().size()
        + " secondary, "
        + codes.procedures().size()
        + " procedures"
        + (drg == null ? "" : ", MS-DRG " + drg);
  }

  private String actor() {
    return request.actor().username();
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
