package dev.him.requests.intake;

import dev.him.common.problem.ProblemException;
import dev.him.requests.records.RecordsClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PrimitiveType;

/**
 * Finds the request's patient in records-service (the MPI). A given patientId is read back; a
 * description is searched by identifier first, then by family, given and birth date. Only one
 * candidate agreeing on every field given links automatically; anything else goes to a person. Runs
 * outside any transaction: records-service may take seconds (retries) to answer.
 */
@ApplicationScoped
public class PatientMatcher {
  /** The MRN identifier system of records-service. */
  public static final String MRN_SYSTEM = "https://him.dev/fhir/sid/mrn";

  static final int MAX_CANDIDATES = 10;

  @Inject RecordsClient records;

  /** The outcome: status, the linked patient (EXACT only) and the candidates shown to a person. */
  public record Outcome(MatchStatus status, String patientId, List<MatchCandidate> candidates) {
    static Outcome pending(String patientId) {
      return new Outcome(MatchStatus.PENDING, patientId, List.of());
    }
  }

  /**
   * Matches; a records-service that is down or refuses gives PENDING (the request is still logged).
   * An unknown patientId is a 400 naming patientId.
   */
  public Outcome match(String patientId, PatientDescription described) {
    try {
      return matchOrFail(patientId, described);
    } catch (ProblemException e) {
      if (e.status() >= 500) {
        return Outcome.pending(patientId == null || patientId.isBlank() ? null : patientId.strip());
      }
      throw e;
    }
  }

  /** Matches, or fails with records-service's 502/503 (for a person re-running the match). */
  public Outcome matchOrFail(String patientId, PatientDescription described) {
    return patientId != null && !patientId.isBlank()
        ? byId(patientId.strip(), described)
        : byDescription(described);
  }

  /** Reads a patient a person chose; empty when records-service does not know it. */
  public Optional<Patient> read(String patientId) {
    return records.readPatient(patientId);
  }

  private Outcome byId(String patientId, PatientDescription described) {
    Patient p =
        records
            .readPatient(patientId)
            .orElseThrow(
                () ->
                    ProblemException.badRequest(
                        "patientId", "records-service knows no patient with this id"));
    MatchCandidate c = candidate(p, described);
    if (described == null || agreesOnAllGiven(c, described)) {
      return new Outcome(MatchStatus.EXACT, patientId, List.of(c));
    }
    // the id and the requester's description disagree: a person decides
    return new Outcome(MatchStatus.NEEDS_REVIEW, null, List.of(c));
  }

  private Outcome byDescription(PatientDescription d) {
    Map<String, Patient> found = new LinkedHashMap<>();
    if (d.identifier() != null && !d.identifier().isBlank()) {
      add(found, records.searchPatients(null, null, null, d.identifier().strip(), MAX_CANDIDATES));
    }
    if (found.isEmpty()) {
      add(
          found,
          records.searchPatients(
              d.family().strip(),
              d.given().strip(),
              d.birthDate().toString(),
              null,
              MAX_CANDIDATES));
    }
    List<MatchCandidate> candidates = new ArrayList<>();
    found.values().forEach(p -> candidates.add(candidate(p, d)));
    if (candidates.size() == 1 && agreesOnAllGiven(candidates.get(0), d)) {
      return new Outcome(MatchStatus.EXACT, candidates.get(0).patientId(), candidates);
    }
    return new Outcome(MatchStatus.NEEDS_REVIEW, null, candidates);
  }

  private static void add(Map<String, Patient> found, Bundle b) {
    for (Bundle.BundleEntryComponent e : b.getEntry()) {
      if (e.getResource() instanceof Patient p && found.size() < MAX_CANDIDATES) {
        found.putIfAbsent(p.getIdElement().getIdPart(), p);
      }
    }
  }

  /** Name and birth date must agree, and the identifier when the requester gave one. */
  static boolean agreesOnAllGiven(MatchCandidate c, PatientDescription d) {
    List<String> needed = new ArrayList<>();
    if (d.family() != null && !d.family().isBlank()) {
      needed.add("family");
    }
    if (d.given() != null && !d.given().isBlank()) {
      needed.add("given");
    }
    if (d.birthDate() != null) {
      needed.add("birthDate");
    }
    if (d.identifier() != null && !d.identifier().isBlank()) {
      needed.add("identifier");
    }
    return c.agreeing().containsAll(needed);
  }

  static MatchCandidate candidate(Patient p, PatientDescription d) {
    HumanName name = p.getNameFirstRep();
    String family = name.getFamily();
    List<String> given = name.getGiven().stream().map(PrimitiveType::getValue).toList();
    LocalDate birth =
        p.getBirthDate() == null
            ? null
            : LocalDate.parse(p.getBirthDateElement().getValueAsString().substring(0, 10));
    String mrn =
        p.getIdentifier().stream()
            .filter(i -> MRN_SYSTEM.equals(i.getSystem()))
            .map(Identifier::getValue)
            .findFirst()
            .orElse(null);
    List<String> agreeing = new ArrayList<>();
    if (d != null) {
      if (d.family() != null
          && p.getName().stream().anyMatch(n -> same(n.getFamily(), d.family()))) {
        agreeing.add("family");
      }
      if (d.given() != null
          && p.getName().stream()
              .flatMap(n -> n.getGiven().stream())
              .anyMatch(g -> same(g.getValue(), d.given()))) {
        agreeing.add("given");
      }
      if (d.birthDate() != null && d.birthDate().equals(birth)) {
        agreeing.add("birthDate");
      }
      if (d.identifier() != null
          && p.getIdentifier().stream().anyMatch(i -> identifierAgrees(i, d.identifier()))) {
        agreeing.add("identifier");
      }
    }
    return new MatchCandidate(p.getIdElement().getIdPart(), family, given, birth, mrn, agreeing);
  }

  private static boolean identifierAgrees(Identifier i, String token) {
    String t = token.strip();
    int bar = t.indexOf('|');
    String value = bar < 0 ? t : t.substring(bar + 1);
    String system = bar < 0 ? null : t.substring(0, bar);
    return value.equals(i.getValue()) && (system == null || system.equals(i.getSystem()));
  }

  private static boolean same(String a, String b) {
    return a != null
        && b != null
        && a.strip().toLowerCase(Locale.ROOT).equals(b.strip().toLowerCase(Locale.ROOT));
  }
}
