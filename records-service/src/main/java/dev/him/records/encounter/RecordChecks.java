package dev.him.records.encounter;

import dev.him.records.document.DocumentEvents;
import dev.him.records.resource.ResourceChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;

/**
 * Checks encounters' charts once per writing unit of work. A transaction bundle stores the
 * Encounter before its Conditions, Procedures and documents, so nothing is judged when the
 * Encounter itself is written: each write only notes the encounters it touches, and the writing
 * service calls {@link #afterWrites()} when all its writes are done, still inside its transaction.
 * Then a newly discharged encounter is recorded and announced (EncounterDischarged, once), and the
 * chart of every discharged encounter touched is handed to the deficiency rules.
 */
@ApplicationScoped
public class RecordChecks {
  @Inject TouchedRecords touched;
  @Inject ChartLoader charts;
  @Inject Discharges discharges;
  @Inject Event<DischargedChartChanged> changed;

  void on(@Observes ResourceChanged e) {
    switch (e.type()) {
      case "Encounter" -> touched.add(e.id());
      case "Condition" -> {
        note(encounterOf(e.resource()));
        note(encounterOf(e.previous()));
      }
      case "Procedure" -> {
        note(encounterOf(e.resource()));
        note(encounterOf(e.previous()));
      }
      case "DocumentReference" -> {
        DocumentEvents.encounters((DocumentReference) e.resource()).forEach(touched::add);
        DocumentEvents.encounters((DocumentReference) e.previous()).forEach(touched::add);
      }
      default -> {}
    }
  }

  /**
   * Judges the encounters this transaction touched. Called by every service that writes clinical
   * resources (ResourceStore, BundleService) at the end of its transaction; harmless to call twice.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void afterWrites() {
    for (String encounterId : touched.drain()) {
      discharges.lock(encounterId);
      Optional<Discharge> discharge = discharges.find(encounterId);
      Optional<Chart> chart = charts.load(encounterId);
      if (discharge.isEmpty()) {
        if (chart.isEmpty() || !chart.get().dischargeRecorded()) {
          continue; // not discharged (yet): a chart in progress has no deficiencies
        }
        UUID eventId = UUID.randomUUID();
        discharge = discharges.claim(chart.get(), eventId);
        if (discharge.isEmpty()) {
          continue; // cannot happen under the lock; the first claimant judged it
        }
        discharges.publish(chart.get(), discharge.get(), eventId);
      }
      changed.fire(
          new DischargedChartChanged(chart.orElse(Chart.gone(encounterId)), discharge.get()));
    }
  }

  private void note(String encounterId) {
    if (encounterId != null) touched.add(encounterId);
  }

  private static String encounterOf(Resource r) {
    if (r instanceof Condition c) return References.idOf(c.getEncounter(), "Encounter");
    if (r instanceof Procedure p) return References.idOf(p.getEncounter(), "Encounter");
    return null;
  }
}
