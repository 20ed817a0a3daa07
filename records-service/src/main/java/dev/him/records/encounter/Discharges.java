package dev.him.records.encounter;

import dev.him.common.access.RequestContext;
import dev.him.common.outbox.Outbox;
import dev.him.events.v1.EncounterDischarged;
import dev.him.events.v1.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Remembers which encounters were discharged and publishes EncounterDischarged once per encounter:
 * the row in encounter_discharge is claimed first (its primary key settles a race between two
 * transactions), the event goes out only from the transaction that claimed it.
 */
@ApplicationScoped
public class Discharges {
  @Inject EntityManager em;
  @Inject Outbox outbox;
  @Inject RequestContext request;
  @Inject CodingContext codingContext;

  /** Serialises every chart evaluation of one encounter until the transaction ends. */
  void lock(String encounterId) {
    em.createNativeQuery("select cast(pg_advisory_xact_lock(hashtext(?1)) as text)")
        .setParameter(1, "encounter:" + encounterId)
        .getSingleResult();
  }

  Optional<Discharge> find(String encounterId) {
    List<?> rows =
        em.createNativeQuery(
                "select patient_id, discharged_at from encounter_discharge where encounter_id = ?1")
            .setParameter(1, encounterId)
            .getResultList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Object[] r = (Object[]) rows.get(0);
    return Optional.of(new Discharge(encounterId, (String) r[0], instant(r[1])));
  }

  /** Records the discharge of a chart that shows one; empty if it was recorded already. */
  Optional<Discharge> claim(Chart chart, UUID eventId) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant dischargedAt = chart.endedAt() != null ? chart.endedAt() : now;
    int inserted =
        em.createNativeQuery(
                "insert into encounter_discharge (encounter_id, patient_id, encounter_class,"
                    + " admitted_at, discharged_at, event_id, recorded_at) values (?1,"
                    + " cast(?2 as varchar), cast(?3 as varchar), cast(?4 as timestamptz), ?5, ?6, ?7)"
                    + " on conflict (encounter_id) do nothing")
            .setParameter(1, chart.encounterId())
            .setParameter(2, chart.patientId())
            .setParameter(3, chart.encounterClass())
            .setParameter(4, chart.admittedAt() == null ? null : chart.admittedAt().toString())
            .setParameter(5, dischargedAt)
            .setParameter(6, eventId)
            .setParameter(7, now)
            .executeUpdate();
    return inserted == 0
        ? Optional.empty()
        : Optional.of(new Discharge(chart.encounterId(), chart.patientId(), dischargedAt));
  }

  /** EncounterDischarged with the diagnoses and procedures the chart holds now. */
  void publish(Chart chart, Discharge discharge, UUID eventId) {
    CodingContext.Details details = codingContext.of(chart);
    outbox.add(
        Topics.ENCOUNTER_EVENTS,
        chart.patientId(),
        eventId,
        EncounterDischarged.TYPE,
        EncounterDischarged.VERSION,
        new EncounterDischarged(
            eventId,
            Instant.now(),
            chart.encounterId(),
            chart.patientId(),
            chart.encounterClass(),
            chart.admittedAt(),
            discharge.dischargedAt(),
            chart.dischargeDisposition(),
            chart.attendingPractitionerId(),
            chart.diagnoses(),
            chart.procedures(),
            request.requestId(),
            details.birthDate(),
            details.gender(),
            details.reasons(),
            details.documents()));
  }

  static Instant instant(Object value) {
    if (value instanceof Instant i) return i;
    if (value instanceof OffsetDateTime o) return o.toInstant();
    if (value instanceof java.sql.Timestamp t) return t.toInstant();
    throw new IllegalStateException("not a time: " + value);
  }
}
