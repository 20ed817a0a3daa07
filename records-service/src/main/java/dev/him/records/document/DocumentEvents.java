package dev.him.records.document;

import dev.him.common.access.RequestContext;
import dev.him.common.outbox.Outbox;
import dev.him.events.v1.DocumentSigned;
import dev.him.events.v1.Topics;
import dev.him.records.encounter.References;
import dev.him.records.resource.ResourceChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Reference;

/**
 * Keeps, in the writing transaction, which documents belong to which encounter (so a chart's
 * documents are found by index) and publishes DocumentSigned the first time a document is seen
 * signed: once per document, whatever later versions do.
 */
@ApplicationScoped
public class DocumentEvents {
  @Inject EntityManager em;
  @Inject Outbox outbox;
  @Inject RequestContext request;

  void on(@Observes ResourceChanged e) {
    if (!"DocumentReference".equals(e.type())) {
      return;
    }
    DocumentReference doc = (DocumentReference) e.resource();
    link(e.id(), "DELETE".equals(e.method()) ? Set.of() : encounters(doc));
    if (!"DELETE".equals(e.method()) && Signing.isSigned(doc)) {
      signed(e.id(), e.patientId(), doc);
    }
  }

  /** The encounters a document's context names. */
  public static Set<String> encounters(DocumentReference doc) {
    Set<String> ids = new LinkedHashSet<>();
    if (doc != null && doc.hasContext()) {
      for (Reference r : doc.getContext().getEncounter()) {
        String id = References.idOf(r, "Encounter");
        if (id != null) ids.add(id);
      }
    }
    return ids;
  }

  private void link(String documentId, Set<String> encounterIds) {
    em.createNativeQuery("delete from encounter_document where document_id = ?1")
        .setParameter(1, documentId)
        .executeUpdate();
    for (String encounterId : encounterIds) {
      em.createNativeQuery(
              "insert into encounter_document (encounter_id, document_id) values (?1, ?2)")
          .setParameter(1, encounterId)
          .setParameter(2, documentId)
          .executeUpdate();
    }
  }

  private void signed(String documentId, String patientId, DocumentReference doc) {
    UUID eventId = UUID.randomUUID();
    Instant signedAt =
        doc.getMeta().hasLastUpdated()
            ? doc.getMeta().getLastUpdated().toInstant()
            : Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String encounterId = encounters(doc).stream().findFirst().orElse(null);
    String signer = Signing.signer(doc);
    int inserted =
        em.createNativeQuery(
                "insert into document_signature (document_id, patient_id, encounter_id, signed_by,"
                    + " signed_at, event_id) values (?1, cast(?2 as varchar), cast(?3 as varchar),"
                    + " ?4, ?5, ?6) on conflict (document_id) do nothing")
            .setParameter(1, documentId)
            .setParameter(2, patientId)
            .setParameter(3, encounterId)
            .setParameter(4, signer)
            .setParameter(5, signedAt)
            .setParameter(6, eventId)
            .executeUpdate();
    if (inserted == 0) {
      return; // signed before: DocumentSigned went out then
    }
    outbox.add(
        Topics.DOCUMENT_EVENTS,
        patientId,
        eventId,
        DocumentSigned.TYPE,
        DocumentSigned.VERSION,
        new DocumentSigned(
            eventId,
            Instant.now(),
            documentId,
            patientId,
            encounterId,
            Signing.typeCode(doc),
            signer,
            signedAt,
            request.requestId()));
  }
}
