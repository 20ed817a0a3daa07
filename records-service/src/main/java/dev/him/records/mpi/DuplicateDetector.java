package dev.him.records.mpi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.records.patient.PatientChanged;
import dev.him.records.patient.PatientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.Patient;

/**
 * Looks for possible duplicates whenever a patient is registered or changed, in the same
 * transaction: keeps the patient's match profile and blocking keys, compares it with the patients
 * sharing a key (and with those it is already queued against), and puts pairs scoring at least the
 * review threshold in the review queue. A pair a person decided is never reopened; merged and
 * deleted patients are not queued.
 */
@ApplicationScoped
public class DuplicateDetector {
  /** Patients read per blocking key: a very common key (a shared clinic phone) stays cheap. */
  static final int BLOCK_LIMIT = 200;

  /** Patients scored per change, those sharing the most keys first. */
  static final int CANDIDATE_LIMIT = 50;

  @Inject EntityManager em;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "him.mpi.mrn-system")
  String mrnSystem;

  @ConfigProperty(name = "him.mpi.review-threshold")
  double reviewThreshold;

  @ConfigProperty(name = "him.mpi.probable-threshold")
  double probableThreshold;

  void onPatientChanged(@Observes PatientChanged change) {
    refresh(change.patientId(), change.patient());
  }

  /** Re-indexes one patient and re-scores it against its candidates. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void refresh(String patientId, Patient patient) {
    MatchProfile profile = MatchProfile.of(patient, mrnSystem);
    List<String> keys = profile.blockingKeys();
    saveProfile(patientId, profile);
    saveKeys(patientId, keys);
    var survivor = PatientService.replacedBy(patient);
    if (survivor.isPresent()) {
      supersedeOpen(
          patientId, "Patient/" + patientId + " was merged into Patient/" + survivor.get());
      return;
    }
    // in id order, so two changes touching the same pairs lock their rows in the same order
    Map<String, MatchProfile> others = new TreeMap<>(blocked(patientId, keys));
    others.putAll(openPartners(patientId));
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    for (var other : others.entrySet()) {
      MatchScorer.Result result = MatchScorer.score(profile, other.getValue());
      if (result.score() >= reviewThreshold) {
        queue(patientId, other.getKey(), result, now);
      } else {
        supersedePair(
            patientId,
            other.getKey(),
            "score " + result.score() + " fell below the threshold",
            now);
      }
    }
  }

  /** A deleted or merged patient leaves the queue: its open pairs are superseded. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void supersedeOpen(String patientId, String why) {
    em.createNativeQuery(
            "update mpi_match_candidate set status = 'superseded', updated_at = ?1, reason = ?2"
                + " where (patient_a = ?3 or patient_b = ?3) and status = 'open'")
        .setParameter(1, Instant.now().truncatedTo(ChronoUnit.MILLIS))
        .setParameter(2, why)
        .setParameter(3, patientId)
        .executeUpdate();
  }

  /**
   * Records a person's decision on a pair (duplicate, not-duplicate), creating the pair's row with
   * its current score when the pair was never queued (a direct merge, an unmerge).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void recordDecision(String x, String y, String status, String by, String reason) {
    String a = x.compareTo(y) < 0 ? x : y;
    String b = a.equals(x) ? y : x;
    Map<String, MatchProfile> profiles = profiles(List.of(a, b));
    MatchScorer.Result result =
        profiles.size() == 2
            ? MatchScorer.score(profiles.get(a), profiles.get(b))
            : new MatchScorer.Result(0, Map.of());
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    em.createNativeQuery(
            "insert into mpi_match_candidate (id, patient_a, patient_b, score, priority, fields,"
                + " status, created_at, updated_at, decided_by, decided_at, reason)"
                + " values (?1, ?2, ?3, ?4, ?5, cast(?6 as jsonb), ?7, ?8, ?8, ?9, ?8, ?10)"
                + " on conflict (patient_a, patient_b) do update set status = excluded.status,"
                + " updated_at = excluded.updated_at, decided_by = excluded.decided_by,"
                + " decided_at = excluded.decided_at, reason = excluded.reason")
        .setParameter(1, UUID.randomUUID())
        .setParameter(2, a)
        .setParameter(3, b)
        .setParameter(4, result.score())
        .setParameter(5, priority(result.score()))
        .setParameter(6, write(result.fields()))
        .setParameter(7, status)
        .setParameter(8, now)
        .setParameter(9, by)
        .setParameter(10, reason)
        .executeUpdate();
  }

  String priority(double score) {
    return score >= probableThreshold ? "probable" : "possible";
  }

  private void queue(String x, String y, MatchScorer.Result result, Instant now) {
    String a = x.compareTo(y) < 0 ? x : y;
    String b = a.equals(x) ? y : x;
    // a pair decided by a person (duplicate, not-duplicate) keeps its decision: only open and
    // superseded rows are refreshed
    em.createNativeQuery(
            "insert into mpi_match_candidate (id, patient_a, patient_b, score, priority, fields,"
                + " status, created_at, updated_at) values (?1, ?2, ?3, ?4, ?5, cast(?6 as jsonb),"
                + " 'open', ?7, ?7) on conflict (patient_a, patient_b) do update set"
                + " score = excluded.score, priority = excluded.priority, fields = excluded.fields,"
                + " status = 'open', updated_at = excluded.updated_at, reason = null"
                + " where mpi_match_candidate.status in ('open', 'superseded')")
        .setParameter(1, UUID.randomUUID())
        .setParameter(2, a)
        .setParameter(3, b)
        .setParameter(4, result.score())
        .setParameter(5, priority(result.score()))
        .setParameter(6, write(result.fields()))
        .setParameter(7, now)
        .executeUpdate();
  }

  private void supersedePair(String x, String y, String why, Instant now) {
    em.createNativeQuery(
            "update mpi_match_candidate set status = 'superseded', updated_at = ?1, reason = ?2"
                + " where patient_a = ?3 and patient_b = ?4 and status = 'open'")
        .setParameter(1, now)
        .setParameter(2, why)
        .setParameter(3, x.compareTo(y) < 0 ? x : y)
        .setParameter(4, x.compareTo(y) < 0 ? y : x)
        .executeUpdate();
  }

  private void saveProfile(String patientId, MatchProfile profile) {
    em.createNativeQuery(
            "insert into mpi_profile (patient_id, profile, updated_at) values (?1, cast(?2 as jsonb), ?3)"
                + " on conflict (patient_id) do update set profile = excluded.profile,"
                + " updated_at = excluded.updated_at")
        .setParameter(1, patientId)
        .setParameter(2, write(profile))
        .setParameter(3, Instant.now().truncatedTo(ChronoUnit.MILLIS))
        .executeUpdate();
  }

  private void saveKeys(String patientId, List<String> keys) {
    em.createNativeQuery("delete from mpi_block_key where patient_id = ?1")
        .setParameter(1, patientId)
        .executeUpdate();
    if (keys.isEmpty()) return;
    StringBuilder sql = new StringBuilder("insert into mpi_block_key (patient_id, key) values ");
    for (int i = 0; i < keys.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append("(?1, ?").append(i + 2).append(')');
    }
    Query insert =
        em.createNativeQuery(sql.append(" on conflict do nothing").toString())
            .setParameter(1, patientId);
    for (int i = 0; i < keys.size(); i++) insert.setParameter(i + 2, keys.get(i));
    insert.executeUpdate();
  }

  /**
   * Active patients sharing a blocking key with this one, most shared keys first: each key is an
   * index range scan on (key, patient_id), bounded by {@link #BLOCK_LIMIT}.
   */
  private Map<String, MatchProfile> blocked(String patientId, List<String> keys) {
    if (keys.isEmpty()) return Map.of();
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      values.append(i == 0 ? "" : ", ").append("(cast(?").append(i + 2).append(" as text))");
    }
    Query q =
        em.createNativeQuery(
                "select c.patient_id, cast(m.profile as text) from (select b.patient_id,"
                    + " count(*) as shared from (values "
                    + values
                    + ") k(key) cross join lateral (select bk.patient_id from mpi_block_key bk"
                    + " where bk.key = k.key and bk.patient_id <> ?1 limit "
                    + BLOCK_LIMIT
                    + ") b join patient p on p.id = b.patient_id and p.deleted_at is null"
                    + " and p.merged_into is null group by b.patient_id"
                    + " order by shared desc, b.patient_id limit "
                    + CANDIDATE_LIMIT
                    + ") c join mpi_profile m on m.patient_id = c.patient_id")
            .setParameter(1, patientId);
    for (int i = 0; i < keys.size(); i++) q.setParameter(i + 2, keys.get(i));
    return read(q.getResultList());
  }

  /** Patients this one is queued against now, so an update that removes a match closes it. */
  private Map<String, MatchProfile> openPartners(String patientId) {
    Query q =
        em.createNativeQuery(
                "select o.other, cast(m.profile as text) from (select case when patient_a = ?1"
                    + " then patient_b else patient_a end as other from mpi_match_candidate"
                    + " where (patient_a = ?1 or patient_b = ?1) and status = 'open') o"
                    + " join patient p on p.id = o.other and p.deleted_at is null"
                    + " and p.merged_into is null"
                    + " join mpi_profile m on m.patient_id = o.other")
            .setParameter(1, patientId);
    return read(q.getResultList());
  }

  private Map<String, MatchProfile> profiles(List<String> ids) {
    Query q =
        em.createNativeQuery(
                "select patient_id, cast(profile as text) from mpi_profile"
                    + " where patient_id in (?1, ?2)")
            .setParameter(1, ids.get(0))
            .setParameter(2, ids.get(1));
    return read(q.getResultList());
  }

  private Map<String, MatchProfile> read(List<?> rows) {
    Map<String, MatchProfile> out = new LinkedHashMap<>();
    for (Object o : rows) {
      Object[] r = (Object[]) o;
      try {
        out.put((String) r[0], json.readValue((String) r[1], MatchProfile.class));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("unreadable match profile of Patient/" + r[0], e);
      }
    }
    return out;
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }
}
