package dev.him.coding.cases;

import dev.him.events.v1.EncounterDischarged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Opens a coding case from EncounterDischarged, once per encounter. An event applied before (same
 * event id) changes nothing; the unique encounter id settles any race. A later discharge event for
 * the same encounter refreshes the case only while nobody has saved codes on it (status open): the
 * encounter facts and what the encounter recorded are replaced, nothing coded exists to change. On
 * a case already worked or final the event is noted in the history and not applied.
 */
@ApplicationScoped
public class CaseIntake {
  private static final Logger LOG = Logger.getLogger(CaseIntake.class);
  static final String ACTOR = "coding-service (EncounterDischarged)";

  public enum Outcome {
    OPENED,
    REFRESHED,
    NOT_APPLIED,
    DUPLICATE,
    CLASS_NOT_CODED
  }

  @Inject Sql sql;
  @Inject CaseStore store;
  @Inject CaseHistory history;

  @ConfigProperty(name = "him.coding.time-zone", defaultValue = "UTC")
  ZoneId zone;

  /** Encounter classes that get a case (empty: every class). */
  @ConfigProperty(name = "him.coding.case-classes")
  Optional<List<String>> caseClasses;

  @Transactional
  public Outcome apply(EncounterDischarged e) {
    int fresh =
        sql.update(
            "insert into coding_processed_event (event_id, processed_at) values (?, ?)"
                + " on conflict (event_id) do nothing",
            e.eventId(),
            Instant.now());
    if (fresh == 0) {
      return Outcome.DUPLICATE;
    }
    if (caseClasses.isPresent()
        && !caseClasses.get().isEmpty()
        && (e.encounterClass() == null
            || caseClasses.get().stream()
                .noneMatch(c -> c.strip().equalsIgnoreCase(e.encounterClass())))) {
      LOG.debugf("encounter %s of class %s is not coded here", e.encounterId(), e.encounterClass());
      return Outcome.CLASS_NOT_CODED;
    }
    Instant discharged = e.dischargedAt() != null ? e.dischargedAt() : e.occurredAt();
    UUID id = UUID.randomUUID();
    int inserted =
        sql.update(
            "insert into coding_case (id, encounter_id, patient_id, encounter_class, admitted_at,"
                + " discharged_at, discharged_on, patient_birth_date, patient_gender,"
                + " discharge_disposition, attending_practitioner_id, status, opened_at,"
                + " source_event_id, source_occurred_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)"
                + " on conflict (encounter_id) do nothing",
            id,
            e.encounterId(),
            e.patientId(),
            upper(e.encounterClass()),
            e.admittedAt(),
            discharged,
            discharged.atZone(zone).toLocalDate(),
            e.patientBirthDate(),
            lower(e.patientGender()),
            e.dischargeDisposition(),
            e.attendingPractitionerId(),
            Instant.now().truncatedTo(ChronoUnit.MICROS),
            e.eventId(),
            e.occurredAt());
    if (inserted == 1) {
      store.writeSource(id, e);
      history.add(id, ACTOR, "opened", null, "from event " + e.eventId());
      LOG.infof("coding case %s opened for encounter %s", id, e.encounterId());
      return Outcome.OPENED;
    }
    CaseRow row =
        sql.one(
                "select " + CaseRow.COLUMNS + " from coding_case where encounter_id = ? for update",
                CaseRow::read,
                e.encounterId())
            .orElseThrow();
    Instant lastApplied =
        sql.one(
                "select source_occurred_at from coding_case where id = ?",
                rs -> Sql.instant(rs, "source_occurred_at"),
                row.id())
            .orElse(null);
    boolean newer =
        lastApplied == null || e.occurredAt() == null || e.occurredAt().isAfter(lastApplied);
    boolean untouched = CaseStatus.OPEN.equals(row.status()) && row.firstSavedAt() == null;
    if (!newer || !untouched) {
      history.add(
          row.id(),
          ACTOR,
          "discharge-not-applied",
          null,
          "event "
              + e.eventId()
              + (newer
                  ? " came after coding started (" + row.status() + "); nothing was changed"
                  : " is older than the one the case holds"));
      return Outcome.NOT_APPLIED;
    }
    sql.update(
        "update coding_case set patient_id = ?, encounter_class = ?, admitted_at = ?,"
            + " discharged_at = ?, discharged_on = ?, patient_birth_date = ?, patient_gender = ?,"
            + " discharge_disposition = ?, attending_practitioner_id = ?, source_event_id = ?,"
            + " source_occurred_at = ?, version = version + 1 where id = ?",
        e.patientId(),
        upper(e.encounterClass()),
        e.admittedAt(),
        discharged,
        discharged.atZone(zone).toLocalDate(),
        e.patientBirthDate(),
        lower(e.patientGender()),
        e.dischargeDisposition(),
        e.attendingPractitionerId(),
        e.eventId(),
        e.occurredAt(),
        row.id());
    store.writeSource(row.id(), e);
    history.add(row.id(), ACTOR, "refreshed", null, "from event " + e.eventId());
    return Outcome.REFRESHED;
  }

  private static String upper(String s) {
    return s == null ? null : s.strip().toUpperCase(Locale.ROOT);
  }

  private static String lower(String s) {
    return s == null ? null : s.strip().toLowerCase(Locale.ROOT);
  }
}
