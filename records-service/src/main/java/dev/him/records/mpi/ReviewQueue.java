package dev.him.records.mpi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The review queue of possible duplicates: listed by score for a technician, who decides each pair
 * "duplicate" (a merge) or "not duplicate" (remembered, never queued again). The queue shows
 * patient data, so every listing and decision is recorded as access to the patients shown.
 */
@ApplicationScoped
public class ReviewQueue {
  public static final Set<String> STATUSES =
      Set.of("open", "duplicate", "not-duplicate", "superseded");
  public static final int DEFAULT_COUNT = 20;
  public static final int MAX_COUNT = 100;

  private static final String COLUMNS =
      "c.id, c.status, c.priority, c.score, c.patient_a, pa.mrn, pa.family, pa.given,"
          + " pa.birth_date, pa.gender, c.patient_b, pb.mrn, pb.family, pb.given, pb.birth_date,"
          + " pb.gender, cast(c.fields as text), c.created_at, c.updated_at, c.decided_by,"
          + " c.decided_at, c.reason";
  private static final String FROM =
      " from mpi_match_candidate c join patient pa on pa.id = c.patient_a"
          + " join patient pb on pb.id = c.patient_b";

  @Inject EntityManager em;
  @Inject ObjectMapper json;
  @Inject AccessRecorder access;
  @Inject RequestContext request;
  @Inject MergeService merges;

  public record Page(long total, int offset, int count, List<CandidateView> items) {}

  /** Pairs with this status, at least this score, optionally of one patient; best first. */
  @Transactional
  public Page list(String status, Double minScore, String patientId, int count, int offset) {
    String where = " where c.status = ?1 and c.score >= ?2";
    if (patientId != null) where += " and (c.patient_a = ?3 or c.patient_b = ?3)";
    Query total = em.createNativeQuery("select count(*) from mpi_match_candidate c" + where);
    Query page =
        em.createNativeQuery(
            "select "
                + COLUMNS
                + FROM
                + where
                + " order by c.score desc, c.id limit "
                + count
                + " offset "
                + offset);
    for (Query q : List.of(total, page)) {
      q.setParameter(1, status).setParameter(2, minScore == null ? -1000.0 : minScore);
      if (patientId != null) q.setParameter(3, patientId);
    }
    long n = ((Number) total.getSingleResult()).longValue();
    @SuppressWarnings("unchecked")
    List<Object[]> rows = count == 0 || offset >= n ? List.of() : page.getResultList();
    List<CandidateView> items = rows.stream().map(this::view).toList();
    access.success(
        AccessAction.SEARCH,
        "Patient",
        null,
        shown(items),
        "MPI review queue: status " + status + (minScore == null ? "" : ", minScore " + minScore));
    return new Page(n, offset, count, items);
  }

  @Transactional
  public CandidateView read(UUID id) {
    CandidateView c = find(id, false);
    access.success(
        AccessAction.READ, "Patient", c.patientA().id(), shown(List.of(c)), "MPI candidate " + id);
    return c;
  }

  /** "Not duplicate": remembered, so re-scoring never queues the pair again. */
  @Transactional
  public CandidateView notDuplicate(UUID id, String reason) {
    CandidateView c = find(id, true);
    requireOpen(c);
    em.createNativeQuery(
            "update mpi_match_candidate set status = 'not-duplicate', decided_by = ?1,"
                + " decided_at = ?2, updated_at = ?2, reason = ?3 where id = ?4")
        .setParameter(1, request.actor().username())
        .setParameter(2, Instant.now().truncatedTo(ChronoUnit.MILLIS))
        .setParameter(3, reason)
        .setParameter(4, id)
        .executeUpdate();
    CandidateView decided = find(id, false);
    access.success(
        AccessAction.READ,
        "Patient",
        c.patientA().id(),
        shown(List.of(c)),
        "MPI candidate " + id + " decided not duplicate");
    return decided;
  }

  /** "Duplicate": merges the pair, keeping the survivor the technician chose. */
  @Transactional
  public LinkView merge(UUID id, String survivorId, String reason) {
    CandidateView c = find(id, true);
    requireOpen(c);
    String a = c.patientA().id();
    String b = c.patientB().id();
    if (!survivorId.equals(a) && !survivorId.equals(b)) {
      throw ProblemException.badRequest(
          "survivorId", "must be one of the candidate's patients: " + a + " or " + b);
    }
    return merges.merge(survivorId.equals(a) ? b : a, survivorId, reason, id);
  }

  private static void requireOpen(CandidateView c) {
    if (!"open".equals(c.status())) {
      String who = c.decidedBy() == null ? "" : " by " + c.decidedBy() + " at " + c.decidedAt();
      throw new ProblemException(
          409,
          "Already decided",
          "Candidate " + c.id() + " is " + c.status() + who + "; only open candidates are decided",
          List.of(new InvalidParam("status", c.status())));
    }
  }

  private CandidateView find(UUID id, boolean lock) {
    if (lock) {
      // serialises two technicians deciding the same pair
      List<?> locked =
          em.createNativeQuery("select id from mpi_match_candidate where id = ?1 for update")
              .setParameter(1, id)
              .getResultList();
      if (locked.isEmpty()) throw ProblemException.notFound("No MPI candidate " + id);
    }
    List<?> rows =
        em.createNativeQuery("select " + COLUMNS + FROM + " where c.id = ?1")
            .setParameter(1, id)
            .getResultList();
    if (rows.isEmpty()) {
      throw ProblemException.notFound("No MPI candidate " + id);
    }
    return view((Object[]) rows.get(0));
  }

  private static List<String> shown(List<CandidateView> items) {
    return items.stream()
        .flatMap(c -> Stream.of(c.patientA().id(), c.patientB().id()))
        .distinct()
        .toList();
  }

  private CandidateView view(Object[] r) {
    Map<String, FieldEvidence> fields;
    try {
      fields = json.readValue((String) r[16], new TypeReference<Map<String, FieldEvidence>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable evidence of MPI candidate " + r[0], e);
    }
    return new CandidateView(
        Sql.uuid(r[0]),
        (String) r[1],
        (String) r[2],
        ((Number) r[3]).doubleValue(),
        new CandidateView.PatientSummary(
            (String) r[4],
            (String) r[5],
            (String) r[6],
            (String) r[7],
            Sql.date(r[8]),
            (String) r[9]),
        new CandidateView.PatientSummary(
            (String) r[10],
            (String) r[11],
            (String) r[12],
            (String) r[13],
            Sql.date(r[14]),
            (String) r[15]),
        fields,
        Sql.instant(r[17]),
        Sql.instant(r[18]),
        (String) r[19],
        Sql.instant(r[20]),
        (String) r[21]);
  }
}
