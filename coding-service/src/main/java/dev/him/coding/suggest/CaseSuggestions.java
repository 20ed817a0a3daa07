package dev.him.coding.suggest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.coding.codeset.CodeSetVersions;
import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Suggestions kept with a coding case: generated from what the encounter recorded (conditions,
 * reasons, document texts stored with the case), shown with their evidence, and accepted or
 * rejected by the coder. Regenerating keeps every decision already made; a proposal that no longer
 * comes out of the sources is dropped unless it was decided.
 */
@ApplicationScoped
public class CaseSuggestions {
  static final String RESOURCE = "CodingCase";
  private static final int LIMIT = 25;

  @Inject EntityManager em;
  @Inject CodeSuggester suggester;
  @Inject CodeSetVersions versions;
  @Inject AccessRecorder access;
  @Inject RequestContext request;
  @Inject ObjectMapper json;

  /** A stored suggestion as the coder sees it. */
  public record View(
      String code,
      String display,
      double score,
      String status,
      List<Suggestion.Evidence> evidence,
      String icd10cmVersion,
      Instant generatedAt,
      String decidedBy,
      Instant decidedAt,
      String rejectReason) {}

  public record Page(String caseId, String icd10cmVersion, List<View> suggestions) {}

  /** The case's suggestions, generated on the first call. */
  @Transactional
  public Page list(UUID caseId) {
    CaseFacts facts = facts(caseId);
    List<View> stored = stored(caseId);
    if (stored.isEmpty()) {
      return generate(caseId, facts);
    }
    access.success(
        AccessAction.READ,
        RESOURCE,
        caseId.toString(),
        List.of(facts.patientId),
        "coding suggestions");
    return new Page(caseId.toString(), stored.get(0).icd10cmVersion(), stored);
  }

  /** Computes the suggestions again from the case's sources, keeping decisions. */
  @Transactional
  public Page regenerate(UUID caseId) {
    return generate(caseId, facts(caseId));
  }

  @Transactional
  public View decide(UUID caseId, String code, boolean accept, String reason) {
    CaseFacts facts = facts(caseId);
    String dotted = CodeSuggester.dotted(code == null ? "" : code);
    int updated =
        em.createNativeQuery(
                "update coding_suggestion set status = ?1, decided_by = ?2, decided_at = ?3,"
                    + " reject_reason = cast(?4 as text) where case_id = ?5 and code = ?6")
            .setParameter(1, accept ? "accepted" : "rejected")
            .setParameter(2, request.actor().username())
            .setParameter(3, Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .setParameter(4, accept ? null : reason)
            .setParameter(5, caseId)
            .setParameter(6, dotted)
            .executeUpdate();
    if (updated == 0) {
      throw ProblemException.notFound(
          "Case " + caseId + " has no suggestion " + dotted + "; list the suggestions first");
    }
    access.success(
        AccessAction.UPDATE,
        RESOURCE,
        caseId.toString(),
        List.of(facts.patientId),
        (accept ? "accepted" : "rejected") + " suggestion " + dotted);
    return stored(caseId).stream().filter(v -> v.code().equals(dotted)).findFirst().orElseThrow();
  }

  private Page generate(UUID caseId, CaseFacts facts) {
    String version = facts.icd10cmVersion;
    if (version == null) {
      throw new ProblemException(
          409,
          "No ICD-10-CM release",
          "No ICD-10-CM release is loaded, so there is nothing to suggest from",
          List.of());
    }
    String tabular =
        versions.latestOnOrBefore(CodeSetVersions.ICD10CM_TABULAR, LocalDate.now()).orElse(null);
    List<Suggestion> found = suggester.suggest(version, tabular, sources(caseId), LIMIT);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<String> codes = new ArrayList<>();
    for (Suggestion s : found) {
      codes.add(s.code());
      em.createNativeQuery(
              "insert into coding_suggestion (case_id, code, display, score, evidence,"
                  + " icd10cm_version, status, generated_at) values (?1, ?2, ?3, ?4,"
                  + " cast(?5 as jsonb), ?6, 'proposed', ?7) on conflict (case_id, code) do update"
                  + " set score = excluded.score, evidence = excluded.evidence,"
                  + " display = excluded.display, icd10cm_version = excluded.icd10cm_version,"
                  + " generated_at = excluded.generated_at")
          .setParameter(1, caseId)
          .setParameter(2, s.code())
          .setParameter(3, s.display())
          .setParameter(4, BigDecimal.valueOf(s.score()))
          .setParameter(5, write(s.evidence()))
          .setParameter(6, version)
          .setParameter(7, now)
          .executeUpdate();
    }
    // proposals the sources no longer support go; decisions stay for the record
    em.createNativeQuery(
            "delete from coding_suggestion where case_id = ?1 and status = 'proposed'"
                + " and not (code = any(cast(?2 as text[])))")
        .setParameter(1, caseId)
        .setParameter(2, "{" + String.join(",", codes) + "}")
        .executeUpdate();
    access.success(
        AccessAction.READ,
        RESOURCE,
        caseId.toString(),
        List.of(facts.patientId),
        "coding suggestions generated");
    return new Page(caseId.toString(), version, stored(caseId));
  }

  /** The case's recorded conditions, reasons and documents as suggestion sources. */
  private List<SourceText> sources(UUID caseId) {
    List<?> rows =
        em.createNativeQuery(
                "select cast(diagnoses as text), cast(reasons as text), cast(documents as text)"
                    + " from coding_case_source where case_id = ?1")
            .setParameter(1, caseId)
            .getResultList();
    List<SourceText> out = new ArrayList<>();
    if (rows.isEmpty()) return out;
    Object[] r = (Object[]) rows.get(0);
    for (JsonNode d : read((String) r[0])) {
      String display = text(d, "display");
      String id = text(d, "resourceId");
      out.add(
          new SourceText(
              "condition:" + id,
              display != null ? display : text(d, "code"),
              display,
              text(d, "system"),
              text(d, "code")));
    }
    for (JsonNode reason : read((String) r[1])) {
      out.add(SourceText.text("reason", "Encounter reason", reason.asText()));
    }
    for (JsonNode doc : read((String) r[2])) {
      out.add(
          SourceText.text(
              "document:" + text(doc, "documentId"), text(doc, "type"), text(doc, "text")));
    }
    return out;
  }

  private record CaseFacts(String patientId, String icd10cmVersion) {}

  /** 404 for an unknown case; the release: the case's own, else the one in force at discharge. */
  private CaseFacts facts(UUID caseId) {
    List<?> rows =
        em.createNativeQuery(
                "select patient_id, icd10cm_version, discharged_on from coding_case where id = ?1")
            .setParameter(1, caseId)
            .getResultList();
    if (rows.isEmpty()) {
      throw ProblemException.notFound("No coding case " + caseId);
    }
    Object[] r = (Object[]) rows.get(0);
    String version = (String) r[1];
    if (version == null) {
      LocalDate discharged = r[2] instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) r[2];
      version =
          versions
              .inForce(CodeSetVersions.ICD10CM, discharged)
              .or(() -> versions.latestOnOrBefore(CodeSetVersions.ICD10CM, LocalDate.now()))
              .orElse(null);
    }
    return new CaseFacts((String) r[0], version);
  }

  private List<View> stored(UUID caseId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select code, display, score, status, cast(evidence as text), icd10cm_version,"
                    + " generated_at, decided_by, decided_at, reject_reason from coding_suggestion"
                    + " where case_id = ?1 order by score desc, code")
            .setParameter(1, caseId)
            .getResultList();
    List<View> out = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      out.add(
          new View(
              (String) r[0],
              (String) r[1],
              ((BigDecimal) r[2]).doubleValue(),
              (String) r[3],
              evidence((String) r[4]),
              (String) r[5],
              instant(r[6]),
              (String) r[7],
              r[8] == null ? null : instant(r[8]),
              (String) r[9]));
    }
    return out;
  }

  static Instant instant(Object value) {
    if (value instanceof Instant i) return i;
    if (value instanceof OffsetDateTime o) return o.toInstant();
    if (value instanceof java.sql.Timestamp t) return t.toInstant();
    throw new IllegalStateException("not a time: " + value);
  }

  private List<Suggestion.Evidence> evidence(String text) {
    try {
      return json.readValue(text, new TypeReference<List<Suggestion.Evidence>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored suggestion evidence is not readable", e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<JsonNode> read(String text) {
    try {
      List<JsonNode> out = new ArrayList<>();
      json.readTree(text == null ? "[]" : text).forEach(out::add);
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored case sources are not readable", e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
