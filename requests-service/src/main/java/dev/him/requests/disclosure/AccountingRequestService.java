package dev.him.requests.disclosure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.workflow.ExtensionNotice;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Requests for an accounting of disclosures (164.528(c)): act within 60 days of receipt, or 90 with
 * one extension whose written notice (reason and new date) went out within the 60; the first
 * accounting in any 12 months is free, later ones may cost a cost-based fee the individual is told
 * of in advance.
 */
@ApplicationScoped
public class AccountingRequestService {
  static final String RESOURCE_TYPE = "AccountingRequest";
  static final int RESPONSE_DAYS = 60;
  static final int EXTENSION_DAYS = 30;

  @Inject AccessRecorder access;
  @Inject RequestContext request;
  @Inject AccountingService accounting;
  @Inject ObjectMapper json;

  /** The cost-based fee of a second or later accounting within 12 months. */
  @ConfigProperty(name = "him.roi.accounting.fee", defaultValue = "0.00")
  BigDecimal fee;

  @Transactional
  public AccountingRequestView log(NewAccountingRequest in) {
    AccountingRequest r = new AccountingRequest();
    r.id = UUID.randomUUID();
    r.patientId = in.patientId();
    r.requesterName = in.requesterName().strip();
    r.requesterAddress =
        in.requesterAddress() == null || in.requesterAddress().isBlank()
            ? null
            : in.requesterAddress().strip();
    r.receivedOn = in.receivedOn();
    r.dueOn = in.receivedOn().plusDays(RESPONSE_DAYS);
    r.originalDueOn = r.dueOn;
    // 164.528(c)(2): the first accounting in any 12-month period is free.
    long earlier =
        AccountingRequest.count(
            "patientId = ?1 and receivedOn > ?2 and receivedOn <= ?3",
            in.patientId(),
            in.receivedOn().minusMonths(12),
            in.receivedOn());
    r.free = earlier == 0;
    r.fee = r.free ? BigDecimal.ZERO.setScale(2) : fee.setScale(2);
    r.status = AccountingRequest.Status.OPEN;
    r.createdAt = AccountingService.now();
    r.createdBy = request.actor().username();
    r.persist();
    access.success(AccessAction.CREATE, RESOURCE_TYPE, r.id.toString(), List.of(r.patientId), null);
    return AccountingRequestView.of(r);
  }

  @Transactional
  public AccountingRequestView read(UUID id) {
    AccountingRequest r = find(id);
    access.success(AccessAction.READ, RESOURCE_TYPE, id.toString(), List.of(r.patientId), null);
    return AccountingRequestView.of(r);
  }

  @Transactional
  public AccountingRequestView extend(UUID id, ExtensionNotice in) {
    AccountingRequest r = find(id);
    checkExtension(r, in, LocalDate.now());
    r.dueOn = in.newDueOn();
    r.extensionReason = in.reason().strip();
    r.extensionNoticeSentOn = in.noticeSentOn();
    r.extensionRecordedAt = AccountingService.now();
    r.extensionRecordedBy = request.actor().username();
    access.success(
        AccessAction.UPDATE, RESOURCE_TYPE, id.toString(), List.of(r.patientId), "extension");
    return AccountingRequestView.of(r);
  }

  @Transactional
  public AccountingRequestView feeNotice(UUID id, FeeNotice in) {
    AccountingRequest r = find(id);
    open(r);
    if (r.free) {
      throw conflict("fee", "the first accounting in 12 months is free; there is no fee to notify");
    }
    if (in.sentOn().isBefore(r.receivedOn) || in.sentOn().isAfter(LocalDate.now())) {
      throw ProblemException.badRequest(
          "sentOn", "must be between receivedOn " + r.receivedOn + " and today");
    }
    r.feeNoticeSentOn = in.sentOn();
    access.success(
        AccessAction.UPDATE, RESOURCE_TYPE, id.toString(), List.of(r.patientId), "fee notice");
    return AccountingRequestView.of(r);
  }

  /** Produces the report for the six years before receipt and keeps it as given. */
  @Transactional
  public AccountingReport fulfil(UUID id) {
    AccountingRequest r = find(id);
    open(r);
    if (!r.free && r.fee.signum() > 0 && r.feeNoticeSentOn == null) {
      throw conflict(
          "feeNoticeSentOn",
          "tell the individual of the fee of "
              + r.fee
              + " in advance (164.528(c)(2)) and record the notice first");
    }
    AccountingReport report = accounting.report(r.id, r.patientId, r.receivedOn);
    r.status = AccountingRequest.Status.FULFILLED;
    r.periodFrom = report.periodFrom();
    r.periodTo = report.periodTo();
    r.report = write(report);
    r.fulfilledAt = report.generatedAt();
    r.fulfilledBy = report.generatedBy();
    access.success(
        AccessAction.READ,
        AccountingService.ACCOUNTING,
        r.id.toString(),
        List.of(r.patientId),
        "accounting fulfilled, " + report.entries().size() + " entries");
    return report;
  }

  /** The report given for a fulfilled request, as it was produced. */
  @Transactional
  public AccountingReport report(UUID id) {
    AccountingRequest r = find(id);
    if (r.report == null) {
      throw conflict("status", "the request is " + r.status + "; no report has been produced");
    }
    access.success(
        AccessAction.READ, AccountingService.ACCOUNTING, id.toString(), List.of(r.patientId), null);
    try {
      return json.readValue(r.report, AccountingReport.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored accounting report cannot be read", e);
    }
  }

  /**
   * The rules of 164.528(c)(2): one extension, by at most 30 days, with the notice sent within the
   * first 60 days. 409 when no extension is possible, 400 naming each wrong field otherwise.
   */
  static void checkExtension(AccountingRequest r, ExtensionNotice in, LocalDate today) {
    open(r);
    if (r.extensionRecordedAt != null) {
      throw conflict(
          "extension",
          "the one extension allowed was already recorded; the request is due on " + r.dueOn);
    }
    LocalDate original = r.originalDueOn;
    List<InvalidParam> wrong = new ArrayList<>();
    LocalDate notice = in.noticeSentOn();
    if (notice.isBefore(r.receivedOn)) {
      wrong.add(new InvalidParam("noticeSentOn", "must not be before receivedOn " + r.receivedOn));
    } else if (notice.isAfter(today)) {
      wrong.add(
          new InvalidParam("noticeSentOn", "must not be in the future; record a sent notice"));
    } else if (notice.isAfter(original)) {
      wrong.add(
          new InvalidParam(
              "noticeSentOn",
              "the notice must be sent within the first "
                  + RESPONSE_DAYS
                  + " days, on or before "
                  + original));
    }
    LocalDate latest = original.plusDays(EXTENSION_DAYS);
    if (!in.newDueOn().isAfter(original)) {
      wrong.add(new InvalidParam("newDueOn", "must be after the original due date " + original));
    } else if (in.newDueOn().isAfter(latest)) {
      wrong.add(
          new InvalidParam(
              "newDueOn",
              "must be at most "
                  + EXTENSION_DAYS
                  + " days after "
                  + original
                  + ", on or before "
                  + latest));
    }
    if (!wrong.isEmpty()) {
      throw new ProblemException(
          400,
          "Invalid request",
          String.join("; ", wrong.stream().map(p -> p.name() + ": " + p.reason()).toList()),
          wrong);
    }
  }

  private String write(AccountingReport report) {
    try {
      return json.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("accounting report cannot be serialised", e);
    }
  }

  private static void open(AccountingRequest r) {
    if (r.status != AccountingRequest.Status.OPEN) {
      throw conflict("status", "the request is " + r.status + "; it is closed");
    }
  }

  private static AccountingRequest find(UUID id) {
    AccountingRequest r = AccountingRequest.findById(id);
    if (r == null) {
      throw ProblemException.notFound("AccountingRequest/" + id + " is not known");
    }
    return r;
  }

  private static ProblemException conflict(String field, String reason) {
    return new ProblemException(
        409, "Conflict", field + ": " + reason, List.of(new InvalidParam(field, reason)));
  }
}
