package dev.him.records.metadata;

import static dev.him.records.fhir.FhirMediaTypes.FHIR_JSON;

import dev.him.common.access.Roles;
import dev.him.records.fhir.FhirParser;
import dev.him.records.resource.ResourceSearch;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Date;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations;

/** What this FHIR server does, and only that: the interactions and parameters implemented. */
@Path("/fhir/r4/metadata")
@Tag(name = "FHIR capabilities")
public class CapabilityEndpoint {
  /** Types with their own search parameters; others are stored, read and searched by patient. */
  static final List<String> CLINICAL =
      List.of(
          "Encounter",
          "Condition",
          "Procedure",
          "MedicationRequest",
          "Observation",
          "AllergyIntolerance",
          "Immunization",
          "DiagnosticReport",
          "DocumentReference",
          "Practitioner",
          "Organization");

  @Inject FhirParser fhir;

  @GET
  @Produces({FHIR_JSON, MediaType.APPLICATION_JSON})
  @RolesAllowed({
    Roles.CLERK,
    Roles.CODER,
    Roles.ROI,
    Roles.PRIVACY,
    Roles.CLINICIAN,
    Roles.ADMIN,
    Roles.HOSPITAL_SYSTEM,
    Roles.PLATFORM_SERVICE
  })
  @Operation(summary = "CapabilityStatement", description = "Any role of the realm.")
  public String capabilities() {
    CapabilityStatement cs = new CapabilityStatement();
    cs.setStatus(Enumerations.PublicationStatus.ACTIVE)
        .setDate(new Date())
        .setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE)
        .setFhirVersion(Enumerations.FHIRVersion._4_0_1)
        .setPublisher("HIM platform")
        .addFormat("application/fhir+json");
    cs.getSoftware().setName("HIM platform records-service").setVersion("0.1.0");
    var rest = cs.addRest().setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
    rest.getSecurity()
        .setDescription(
            "OAuth2 bearer tokens from the Keycloak realm \"him\"; roles per interaction.");
    rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.TRANSACTION);
    rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.BATCH);

    var patient = resource(rest.addResource().setType("Patient"));
    patient.setConditionalCreate(true);
    for (String p : List.of("identifier", "name", "family", "given", "birthdate", "gender")) {
      patient
          .addSearchParam()
          .setName(p)
          .setType(
              p.equals("birthdate")
                  ? Enumerations.SearchParamType.DATE
                  : p.equals("identifier") || p.equals("gender")
                      ? Enumerations.SearchParamType.TOKEN
                      : Enumerations.SearchParamType.STRING);
    }
    patient
        .addOperation()
        .setName("everything")
        .setDefinition("http://hl7.org/fhir/OperationDefinition/Patient-everything");
    for (String type : CLINICAL) {
      var r = resource(rest.addResource().setType(type));
      if (ResourceSearch.parametersOf(type).contains("patient")) {
        r.addSearchInclude(type + ":patient");
      }
      for (String p : ResourceSearch.parametersOf(type)) {
        r.addSearchParam()
            .setName(p)
            .setType(
                switch (p) {
                  case "patient", "subject", "encounter" -> Enumerations.SearchParamType.REFERENCE;
                  case "date" -> Enumerations.SearchParamType.DATE;
                  default -> Enumerations.SearchParamType.TOKEN;
                });
      }
    }
    return fhir.write(cs);
  }

  private static CapabilityStatementRestResourceComponent resource(
      CapabilityStatementRestResourceComponent r) {
    r.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE).setReadHistory(true);
    r.addInteraction().setCode(TypeRestfulInteraction.CREATE);
    r.addInteraction().setCode(TypeRestfulInteraction.READ);
    r.addInteraction().setCode(TypeRestfulInteraction.VREAD);
    r.addInteraction().setCode(TypeRestfulInteraction.UPDATE);
    r.addInteraction().setCode(TypeRestfulInteraction.HISTORYINSTANCE);
    r.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
    // logical: the history stays, and a legal hold refuses it
    r.addInteraction().setCode(TypeRestfulInteraction.DELETE);
    return r;
  }
}
