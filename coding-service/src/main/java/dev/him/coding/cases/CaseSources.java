package dev.him.coding.cases;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.UUID;

/**
 * The way in for computer-assisted suggestions: what a case's encounter recorded (diagnoses,
 * procedures, reasons, document texts) and the ICD-10-CM release to suggest from (the one chosen by
 * the discharge day). Records no access: the caller's endpoint records its own.
 */
@ApplicationScoped
public class CaseSources {
  @Inject CaseStore store;
  @Inject ReleaseChooser releases;

  @Transactional
  public Optional<RecordedEncounter> recorded(UUID caseId) {
    return store
        .find(caseId)
        .flatMap(
            row ->
                store
                    .source(row.id())
                    .map(
                        s ->
                            new RecordedEncounter(
                                row.id(),
                                row.encounterId(),
                                row.patientId(),
                                row.icd10cmVersion() != null
                                    ? row.icd10cmVersion()
                                    : releases.choose(row.dischargedOn()).icd10cm(),
                                s.diagnoses(),
                                s.procedures(),
                                s.reasons(),
                                s.documents())));
  }
}
