package dev.him.requests.disclosure;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.workflow.ExtensionNotice;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The accounting of disclosures (45 CFR 164.528): the ledger of disclosures (written by every
 * release, or entered by hand for disclosures made elsewhere; never edited or deleted), the
 * accounting of a patient, suspensions by agencies, and the individual's accounting requests.
 */
@Path("/api/requests/disclosures")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Accounting of disclosures", description = "45 CFR 164.528")
public class DisclosureResource {
  static final String PDF = "application/pdf";
  private static final Pattern PATIENT = Pattern.compile("[A-Za-z0-9.-]{1,64}");

  @Inject AccountingService accounting;
  @Inject AccountingRequestService requests;
  @Context UriInfo uri;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = AccountingService.DISCLOSURE, action = AccessAction.CREATE)
  @Operation(
      summary = "Record a disclosure made outside this service",
      description =
          "For the accounting to cover every disclosure (a public-health report, records given to"
              + " an oversight agency). exclusion names the 164.528(a)(1) category when it is"
              + " not accountable; entries dated before 2003-04-14 are excluded. Entries cannot be"
              + " changed or deleted. Roles: roi-specialist, him-admin.")
  @APIResponse(responseCode = "201", description = "Recorded")
  @APIResponse(responseCode = "400", description = "Invalid fields (invalid-params names each)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public Response record(@Valid @NotNull NewDisclosure body) {
    DisclosureView created = accounting.record(body);
    return Response.status(201).entity(created).build();
  }

  @GET
  @RolesAllowed({Roles.ROI, Roles.ADMIN, Roles.PRIVACY})
  @AuditedAccess(
      resourceType = AccountingService.DISCLOSURE,
      action = AccessAction.SEARCH,
      idParam = "none")
  @Operation(
      summary = "The ledger of a patient's disclosures",
      description =
          "Every entry, excluded ones with their category and reason, oldest first. Roles:"
              + " roi-specialist, him-admin, privacy-officer.")
  @APIResponse(responseCode = "200", description = "The entries")
  @APIResponse(responseCode = "400", description = "patient missing or not an id")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public List<DisclosureView> ledger(
      @QueryParam("patient") @Parameter(description = "FHIR Patient id") String patient) {
    return accounting.ledger(patient(patient));
  }

  @GET
  @Path("accounting")
  @RolesAllowed({Roles.ROI, Roles.ADMIN, Roles.PRIVACY})
  @AuditedAccess(
      resourceType = AccountingService.ACCOUNTING,
      action = AccessAction.READ,
      idParam = "none")
  @Operation(
      summary = "A patient's accounting of disclosures (JSON, or PDF with Accept: application/pdf)",
      description =
          "The accountable disclosures of the him.roi.accounting.years (6) years before asOf"
              + " (default today), up to asOf, oldest first; excluded disclosures and those to an"
              + " agency whose suspension is in force on asOf are left out, without saying so."
              + " Roles: roi-specialist, him-admin, privacy-officer.")
  @APIResponse(responseCode = "200", description = "The report")
  @APIResponse(responseCode = "400", description = "patient or asOf wrong (named)")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public AccountingReport accounting(
      @QueryParam("patient") String patient, @QueryParam("asOf") String asOf) {
    return accounting.accounting(patient(patient), asOf(asOf));
  }

  @GET
  @Path("accounting")
  @Produces(PDF)
  @RolesAllowed({Roles.ROI, Roles.ADMIN, Roles.PRIVACY})
  @AuditedAccess(
      resourceType = AccountingService.ACCOUNTING,
      action = AccessAction.READ,
      idParam = "none")
  @Operation(summary = "A patient's accounting of disclosures as PDF")
  @APIResponse(responseCode = "200", description = "The report as PDF")
  public Response accountingPdf(
      @QueryParam("patient") String patient, @QueryParam("asOf") String asOf) {
    AccountingReport report = accounting.accounting(patient(patient), asOf(asOf));
    return pdf(report, "accounting-" + report.patientId() + "-" + report.periodTo() + ".pdf");
  }

  @POST
  @Path("suspensions")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN})
  @AuditedAccess(
      resourceType = AccountingService.SUSPENSION,
      action = AccessAction.CREATE,
      idParam = "none")
  @Operation(
      summary = "Suspend a patient's accounting of disclosures to an agency (164.528(a)(2))",
      description =
          "WRITTEN: for the period the agency's statement gives. ORAL: at most 30 days from the"
              + " statement (startsOn); a longer period needs a written statement, recorded as a"
              + " new suspension. Roles: privacy-officer, him-admin.")
  @APIResponse(responseCode = "201", description = "Recorded")
  @APIResponse(
      responseCode = "400",
      description = "Invalid fields; endsOn more than 30 days after an oral statement")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public Response suspend(@Valid @NotNull NewSuspension body) {
    return Response.status(201).entity(accounting.suspend(body)).build();
  }

  @GET
  @Path("suspensions")
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN})
  @AuditedAccess(
      resourceType = AccountingService.SUSPENSION,
      action = AccessAction.SEARCH,
      idParam = "none")
  @Operation(
      summary = "A patient's suspensions",
      description = "With active = in force today. Roles: privacy-officer, him-admin.")
  @APIResponse(responseCode = "200", description = "The suspensions")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public List<SuspensionView> suspensions(@QueryParam("patient") String patient) {
    return accounting.suspensions(patient(patient));
  }

  @POST
  @Path("accounting-requests")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(
      resourceType = AccountingRequestService.RESOURCE_TYPE,
      action = AccessAction.CREATE,
      idParam = "none")
  @Operation(
      summary = "Log an individual's request for an accounting",
      description =
          "Due 60 days after receivedOn (164.528(c)(1)). The first request in any 12 months is"
              + " free; later ones carry him.roi.accounting.fee, which the individual must be"
              + " told of before fulfilment. Roles: roi-specialist, him-admin.")
  @APIResponse(responseCode = "201", description = "Logged; Location points to it")
  @APIResponse(responseCode = "400", description = "Invalid fields (named)")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public Response logRequest(@Valid @NotNull NewAccountingRequest body) {
    AccountingRequestView created = requests.log(body);
    return Response.created(
            uri.getBaseUriBuilder()
                .path("api/requests/disclosures/accounting-requests/{id}")
                .build(created.id()))
        .entity(created)
        .build();
  }

  @GET
  @Path("accounting-requests/{id}")
  @RolesAllowed({Roles.ROI, Roles.ADMIN, Roles.PRIVACY})
  @AuditedAccess(resourceType = AccountingRequestService.RESOURCE_TYPE, action = AccessAction.READ)
  @Operation(
      summary = "Read an accounting request",
      description = "Roles: roi-specialist, him-admin, privacy-officer.")
  @APIResponse(responseCode = "200", description = "The request with its due date and fee")
  @APIResponse(responseCode = "404", description = "No such request")
  public AccountingRequestView readRequest(@PathParam("id") String id) {
    return requests.read(uuid(id));
  }

  @POST
  @Path("accounting-requests/{id}/extension")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(
      resourceType = AccountingRequestService.RESOURCE_TYPE,
      action = AccessAction.UPDATE)
  @Operation(
      summary = "Record the one 30-day extension (164.528(c)(2))",
      description =
          "The written notice (reason and new date) must be sent on or before the original due"
              + " date (day 60); newDueOn after it and at most 30 days later. Roles:"
              + " roi-specialist, him-admin.")
  @APIResponse(responseCode = "200", description = "Extended")
  @APIResponse(responseCode = "400", description = "reason, noticeSentOn or newDueOn wrong")
  @APIResponse(responseCode = "409", description = "Already extended or fulfilled")
  public AccountingRequestView extend(
      @PathParam("id") String id, @Valid @NotNull ExtensionNotice body) {
    return requests.extend(uuid(id), body);
  }

  @POST
  @Path("accounting-requests/{id}/fee-notice")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(
      resourceType = AccountingRequestService.RESOURCE_TYPE,
      action = AccessAction.UPDATE)
  @Operation(
      summary = "Record that the individual was told of the fee in advance",
      description = "Roles: roi-specialist, him-admin.")
  @APIResponse(responseCode = "200", description = "Recorded")
  @APIResponse(responseCode = "409", description = "The request is free or closed")
  public AccountingRequestView feeNotice(
      @PathParam("id") String id, @Valid @NotNull FeeNotice body) {
    return requests.feeNotice(uuid(id), body);
  }

  @POST
  @Path("accounting-requests/{id}/fulfilment")
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(
      resourceType = AccountingRequestService.RESOURCE_TYPE,
      action = AccessAction.UPDATE)
  @Operation(
      summary = "Fulfil an accounting request",
      description =
          "Produces the report for the years before receivedOn and keeps it; download it again"
              + " from .../report. Roles: roi-specialist, him-admin.")
  @APIResponse(responseCode = "200", description = "The report")
  @APIResponse(
      responseCode = "409",
      description = "Already fulfilled, or a fee the individual was not told of")
  public AccountingReport fulfil(@PathParam("id") String id) {
    return requests.fulfil(uuid(id));
  }

  @GET
  @Path("accounting-requests/{id}/report")
  @RolesAllowed({Roles.ROI, Roles.ADMIN, Roles.PRIVACY})
  @AuditedAccess(resourceType = AccountingService.ACCOUNTING, action = AccessAction.READ)
  @Operation(
      summary = "The report given for an accounting request (JSON, or PDF)",
      description = "Roles: roi-specialist, him-admin, privacy-officer.")
  @APIResponse(responseCode = "200", description = "The report as produced")
  @APIResponse(responseCode = "409", description = "Not fulfilled yet")
  public AccountingReport report(@PathParam("id") String id) {
    return requests.report(uuid(id));
  }

  @GET
  @Path("accounting-requests/{id}/report")
  @Produces(PDF)
  @RolesAllowed({Roles.ROI, Roles.ADMIN, Roles.PRIVACY})
  @AuditedAccess(resourceType = AccountingService.ACCOUNTING, action = AccessAction.READ)
  @Operation(summary = "The report given for an accounting request as PDF")
  @APIResponse(responseCode = "200", description = "The report as PDF")
  public Response reportPdf(@PathParam("id") String id) {
    AccountingReport report = requests.report(uuid(id));
    return pdf(report, "accounting-" + id + ".pdf");
  }

  private static Response pdf(AccountingReport report, String filename) {
    return Response.ok(AccountingPdf.render(report), PDF)
        .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
        .build();
  }

  private static String patient(String patient) {
    if (patient == null || !PATIENT.matcher(patient).matches()) {
      throw ProblemException.badRequest(
          "patient", "required: a FHIR Patient id (letters, digits, - and .)");
    }
    return patient;
  }

  private static LocalDate asOf(String asOf) {
    if (asOf == null || asOf.isBlank()) {
      return LocalDate.now();
    }
    try {
      LocalDate day = LocalDate.parse(asOf);
      if (day.isAfter(LocalDate.now())) {
        throw ProblemException.badRequest("asOf", "must not be in the future");
      }
      return day;
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest("asOf", "must be a date, YYYY-MM-DD");
    }
  }

  private static UUID uuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("No accounting request has this id");
    }
  }
}
