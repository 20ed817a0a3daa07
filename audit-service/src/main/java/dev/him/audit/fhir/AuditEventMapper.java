package dev.him.audit.fhir;

import dev.him.audit.log.AuditEntry;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * An access-log entry as a FHIR R4 AuditEvent, after the IHE Basic Audit Log Patterns (BALP): the
 * user and the client as agents, each patient as an entity, the X-Request-Id as a transaction
 * entity.
 */
final class AuditEventMapper {
  static final String INTERACTION = "http://hl7.org/fhir/restful-interaction";
  static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
  static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
  static final String BALP_ENTITY =
      "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";
  static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

  private AuditEventMapper() {}

  static AuditEvent toFhir(AuditEntry e) {
    AuditEvent a = new AuditEvent();
    a.setId(e.eventId.toString());
    a.setType(
        new Coding(
            "http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
    String interaction =
        switch (e.action) {
          case "CREATE" -> "create";
          case "READ" -> "read";
          case "SEARCH" -> "search-type";
          case "UPDATE" -> "update";
          case "DELETE" -> "delete";
          default -> e.action.toLowerCase();
        };
    a.addSubtype(new Coding(INTERACTION, interaction, interaction));
    a.setAction(
        switch (e.action) {
          case "CREATE" -> AuditEvent.AuditEventAction.C;
          case "READ" -> AuditEvent.AuditEventAction.R;
          case "UPDATE" -> AuditEvent.AuditEventAction.U;
          case "DELETE" -> AuditEvent.AuditEventAction.D;
          default -> AuditEvent.AuditEventAction.E;
        });
    a.setRecorded(Date.from(e.occurredAt));
    if ("SUCCESS".equals(e.outcome)) {
      a.setOutcome(AuditEvent.AuditEventOutcome._0);
    } else {
      a.setOutcome(AuditEvent.AuditEventOutcome._4);
      a.setOutcomeDesc(
          "UNAUTHENTICATED".equals(e.outcome)
              ? "Denied: no valid token (401)"
              : "Denied: role not allowed (403)");
    }
    if (e.purposeOfUse != null) {
      a.addPurposeOfEvent(new CodeableConcept(new Coding(ACT_REASON, e.purposeOfUse, null)));
    }

    AuditEvent.AuditEventAgentComponent user = a.addAgent().setRequestor(true);
    user.setType(new CodeableConcept(new Coding(DCM, "110153", "Source Role ID")));
    user.setWho(
        new Reference()
            .setIdentifier(new Identifier().setValue(e.actorSubject))
            .setDisplay(e.actorUsername));
    user.setAltId(e.actorUsername);
    if (e.actorRoles != null && !e.actorRoles.isBlank()) {
      for (String role : e.actorRoles.split(",")) {
        user.addRole(new CodeableConcept().setText(role));
      }
    }
    if (e.actorClient != null) {
      AuditEvent.AuditEventAgentComponent client = a.addAgent().setRequestor(false);
      client.setType(new CodeableConcept(new Coding(DCM, "110150", "Application")));
      client.setWho(new Reference().setDisplay(e.actorClient));
    }

    a.getSource()
        .setObserver(new Reference().setDisplay(e.sourceService))
        .addType(
            new Coding(
                "http://terminology.hl7.org/CodeSystem/security-source-type",
                "4",
                "Application Server"));

    for (String patient : e.patientIds) {
      a.addEntity()
          .setWhat(new Reference("Patient/" + patient))
          .setType(new Coding(ENTITY_TYPE, "1", "Person"))
          .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
    }
    if (e.resourceType != null && !"Patient".equals(e.resourceType) && e.resourceId != null) {
      a.addEntity()
          .setWhat(new Reference(e.resourceType + "/" + e.resourceId))
          .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
          .setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
    }
    if (e.detail != null) {
      a.addEntity()
          .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
          .setRole(new Coding(OBJECT_ROLE, "24", "Query"))
          .setDescription(e.detail);
    }
    if (e.correlationId != null) {
      a.addEntity()
          .setType(new Coding(BALP_ENTITY, "XrequestId", "X-Request-Id"))
          .setWhat(new Reference().setIdentifier(new Identifier().setValue(e.correlationId)));
    }
    a.addExtension()
        .setUrl("https://him.dev/fhir/StructureDefinition/audit-chain-position")
        .setValue(new StringType(e.chainId + "/" + e.seq));
    return a;
  }
}
