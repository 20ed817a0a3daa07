package dev.him.records.encounter;

import dev.him.events.v1.EncounterDischarged.DocumentText;
import dev.him.records.fhir.FhirParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Resource;

/**
 * What a coder needs with a discharge beyond the chart the quality rules use: the patient's birth
 * date and gender (age and sex edits), the encounter's reasons and the text of its current
 * documents (computer-assisted coding). Read only when EncounterDischarged is published, once per
 * encounter, so the chart evaluated on every write stays lean.
 */
@ApplicationScoped
public class CodingContext {
  @Inject EntityManager em;
  @Inject FhirParser fhir;

  /** Longest document text carried in the event; longer texts are cut (the chart has the rest). */
  @ConfigProperty(name = "him.encounter.discharge-event.max-document-chars", defaultValue = "20000")
  int maxDocumentChars;

  public record Details(
      LocalDate birthDate, String gender, List<String> reasons, List<DocumentText> documents) {}

  public Details of(Chart chart) {
    LocalDate birthDate = null;
    String gender = null;
    List<?> patient =
        em.createNativeQuery("select birth_date, gender from patient where id = ?1")
            .setParameter(1, chart.patientId())
            .getResultList();
    if (!patient.isEmpty()) {
      Object[] row = (Object[]) patient.get(0);
      birthDate = row[0] == null ? null : localDate(row[0]);
      gender = (String) row[1];
    }
    List<String> reasons = new ArrayList<>();
    Encounter encounter = read(Encounter.class, chart.encounterId());
    if (encounter != null) {
      for (CodeableConcept reason : encounter.getReasonCode()) {
        String text = text(reason);
        if (text != null) reasons.add(text);
      }
    }
    List<DocumentText> documents = new ArrayList<>();
    for (Chart.Document d : chart.documents()) {
      if (!d.current()) continue;
      DocumentReference doc = read(DocumentReference.class, d.id());
      if (doc == null) continue;
      String text = text(doc);
      if (text != null) documents.add(new DocumentText(d.id(), text(doc.getType()), text));
    }
    return new Details(birthDate, gender, reasons, documents);
  }

  /** Text/plain (or other text/*) attachments sent inline, joined; null when there are none. */
  private String text(DocumentReference doc) {
    StringBuilder out = new StringBuilder();
    for (DocumentReference.DocumentReferenceContentComponent c : doc.getContent()) {
      Attachment a = c.getAttachment();
      if (!a.hasData()) continue;
      String type = a.hasContentType() ? a.getContentType().toLowerCase() : "text/plain";
      if (!type.startsWith("text/")) continue;
      if (out.length() > 0) out.append("\n\n");
      out.append(new String(a.getData(), StandardCharsets.UTF_8));
    }
    if (out.length() == 0) {
      return doc.hasDescription() ? doc.getDescription() : null;
    }
    return out.length() > maxDocumentChars ? out.substring(0, maxDocumentChars) : out.toString();
  }

  private static LocalDate localDate(Object value) {
    if (value instanceof LocalDate d) return d;
    if (value instanceof java.sql.Date d) return d.toLocalDate();
    return LocalDate.parse(value.toString());
  }

  private static String text(CodeableConcept concept) {
    if (concept.hasText()) return concept.getText();
    for (Coding c : concept.getCoding()) {
      if (c.hasDisplay()) return c.getDisplay();
    }
    for (Coding c : concept.getCoding()) {
      if (c.hasCode()) return c.getCode();
    }
    return null;
  }

  private <T extends Resource> T read(Class<T> type, String id) {
    if (id == null) return null;
    List<?> rows =
        em.createNativeQuery(
                "select cast(resource as text) from fhir_resource where resource_type = ?1"
                    + " and id = ?2 and deleted_at is null")
            .setParameter(1, type.getSimpleName())
            .setParameter(2, id)
            .getResultList();
    return rows.isEmpty()
        ? null
        : fhir.context().newJsonParser().parseResource(type, (String) rows.get(0));
  }
}
