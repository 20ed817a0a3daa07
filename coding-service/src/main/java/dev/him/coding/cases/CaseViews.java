package dev.him.coding.cases;

import dev.him.coding.drg.DrgCatalog;
import dev.him.coding.drg.DrgInfo;
import dev.him.coding.edits.CodeBook;
import dev.him.coding.edits.Edit;
import dev.him.coding.edits.EditInput;
import dev.him.coding.edits.Icd10CmShape;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the full view of a case from its rows. */
@ApplicationScoped
public class CaseViews {
  @Inject CaseStore store;
  @Inject CaseHistory history;
  @Inject PhysicianQueries queries;
  @Inject CodeBook book;
  @Inject DrgCatalog drgs;
  @Inject ReleaseChooser releases;

  @ConfigProperty(name = "him.coding.time-zone", defaultValue = "UTC")
  ZoneId zone;

  CaseView of(CaseRow row) {
    CaseView.CodeSets sets;
    if (row.firstSavedAt() == null) {
      // nothing saved yet: show the releases a save would use
      ReleaseChooser.Releases r = releases.choose(row.dischargedOn());
      sets = new CaseView.CodeSets(r.icd10cm(), r.icd10pcs(), r.mce(), r.msDrg());
    } else {
      sets =
          new CaseView.CodeSets(
              row.icd10cmVersion(), row.icd10pcsVersion(), row.mceVersion(), row.drgVersion());
    }
    CaseStore.Codes codes = store.codes(row.id(), row.principalDiagnosis());
    List<String> dx = new ArrayList<>();
    if (codes.principal() != null) dx.add(codes.principal());
    codes.secondaries().forEach(d -> dx.add(d.code()));
    Map<String, CodeBook.CmCode> cm = book.icd10cm(sets.icd10cm(), dx);
    Map<String, String> pcs =
        book.icd10pcs(
            sets.icd10pcs(), codes.procedures().stream().map(EditInput.Procedure::code).toList());
    List<Edit> edits = store.edits(row.id());
    int errors = (int) edits.stream().filter(Edit::isError).count();
    return new CaseView(
        row.id(),
        row.encounterId(),
        row.patientId(),
        row.encounterClass(),
        row.admittedAt(),
        row.dischargedAt(),
        row.dischargedOn(),
        ChronoUnit.DAYS.between(row.dischargedOn(), LocalDate.now(zone)),
        new CaseView.Patient(row.birthDate(), row.gender(), ageAtAdmission(row)),
        row.dischargeDisposition(),
        row.attendingPractitionerId(),
        row.status(),
        row.version(),
        row.assignedTo(),
        row.assignedAt(),
        sets,
        codes.principal() == null
            ? null
            : new CaseView.Code(
                Icd10CmShape.withDot(codes.principal()), null, description(cm, codes.principal())),
        codes.secondaries().stream()
            .map(
                d ->
                    new CaseView.Code(
                        Icd10CmShape.withDot(d.code()), d.poa(), description(cm, d.code())))
            .toList(),
        codes.procedures().stream()
            .map(p -> new CaseView.ProcedureCode(p.code(), p.performedOn(), pcs.get(p.code())))
            .toList(),
        drg(row),
        edits,
        errors,
        edits.size() - errors,
        queries.of(row.id()),
        history.of(row.id()),
        store.source(row.id()).orElse(null),
        row.openedAt(),
        row.lastSavedAt(),
        row.lastSavedBy(),
        row.finalizedAt(),
        row.finalizedBy(),
        row.finalCount());
  }

  private CaseView.Drg drg(CaseRow row) {
    if (row.msDrg() == null) {
      return null;
    }
    DrgInfo d = drgs.find(row.drgVersion(), row.msDrg()).orElse(null);
    if (d == null) {
      return new CaseView.Drg(
          row.msDrg(), row.drgVersion(), null, null, null, null, null, row.drgSource());
    }
    return new CaseView.Drg(
        d.msDrg(),
        d.version(),
        d.mdc(),
        d.type(),
        d.title(),
        d.weight(),
        d.gmlos(),
        row.drgSource());
  }

  private static String description(Map<String, CodeBook.CmCode> cm, String code) {
    CodeBook.CmCode c = cm.get(code);
    return c == null ? null : c.description();
  }

  LocalDate admittedOn(CaseRow row) {
    return row.admittedAt() == null ? null : row.admittedAt().atZone(zone).toLocalDate();
  }

  Integer ageAtAdmission(CaseRow row) {
    if (row.birthDate() == null) {
      return null;
    }
    LocalDate admitted = row.admittedAt() == null ? row.dischargedOn() : admittedOn(row);
    return row.birthDate().isAfter(admitted)
        ? null
        : Period.between(row.birthDate(), admitted).getYears();
  }
}
