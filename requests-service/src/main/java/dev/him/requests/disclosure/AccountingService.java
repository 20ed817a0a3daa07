package dev.him.requests.disclosure;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ledger of disclosures and the accounting drawn from it (45 CFR 164.528): entries entered by
 * hand, suspensions, and the report of a patient's accountable disclosures over the last years.
 * Every read or write records an access event naming the patient, in the same transaction.
 */
@ApplicationScoped
public class AccountingService {
  static final String DISCLOSURE = "RoiDisclosure";
  static final String ACCOUNTING = "DisclosureAccounting";
  static final String SUSPENSION = "AccountingSuspension";

  /** An oral suspension lasts at most this many days from the statement (164.528(a)(2)(ii)). */
  static final int ORAL_SUSPENSION_DAYS = 30;

  @Inject AccessRecorder access;
  @Inject RequestContext request;

  /** The years an accounting covers before the day it is asked for (164.528(a)(1): six). */
  @ConfigProperty(name = "him.roi.accounting.years", defaultValue = "6")
  int years;

  @Transactional
  public DisclosureView record(NewDisclosure in) {
    RoiDisclosure d = new RoiDisclosure();
    d.id = UUID.randomUUID();
    d.patientId = in.patientId();
    d.disclosedOn = in.disclosedOn();
    d.recipientName = in.recipientName().strip();
    d.recipientAddress = trim(in.recipientAddress());
    d.description = in.description().strip();
    d.purpose = in.purpose().strip();
    d.requestReference = trim(in.requestReference());
    d.basis = in.basis();
    ExclusionCategory exclusion = in.exclusion();
    if (exclusion == null && in.disclosedOn().isBefore(Accountability.COMPLIANCE_DATE)) {
      exclusion = ExclusionCategory.BEFORE_COMPLIANCE_DATE;
    }
    d.exclude(exclusion);
    d.source = DisclosureSource.MANUAL;
    d.createdAt = now();
    d.createdBy = request.actor().username();
    d.persist();
    access.success(
        AccessAction.CREATE,
        DISCLOSURE,
        d.id.toString(),
        List.of(d.patientId),
        "manual disclosure entry, basis " + d.basis + (d.accountable ? "" : ", excluded"));
    return DisclosureView.of(d);
  }

  /** The whole ledger of a patient, excluded entries included, for staff. */
  @Transactional
  public List<DisclosureView> ledger(String patientId) {
    List<DisclosureView> rows =
        RoiDisclosure.<RoiDisclosure>list(
                "patientId = ?1 order by disclosedOn, createdAt, id", patientId)
            .stream()
            .map(DisclosureView::of)
            .toList();
    access.success(AccessAction.SEARCH, DISCLOSURE, null, List.of(patientId), "ledger");
    return rows;
  }

  /**
   * The accounting as the individual would receive it for a request made on {@code asOf}: the
   * accountable disclosures from asOf minus the configured years up to asOf, without those to an
   * agency whose suspension is in force on asOf.
   */
  @Transactional
  public AccountingReport accounting(String patientId, LocalDate asOf) {
    AccountingReport report = report(null, patientId, asOf);
    access.success(
        AccessAction.READ, ACCOUNTING, null, List.of(patientId), "accounting as of " + asOf);
    return report;
  }

  /** Computes a report; the caller records the access. */
  AccountingReport report(UUID accountingRequestId, String patientId, LocalDate asOf) {
    LocalDate from = periodFrom(asOf);
    List<AccountingSuspension> active =
        AccountingSuspension.ofPatient(patientId).stream().filter(s -> s.activeOn(asOf)).toList();
    List<AccountingReport.Entry> entries =
        RoiDisclosure.<RoiDisclosure>list(
                "patientId = ?1 and accountable = true and disclosedOn >= ?2 and disclosedOn <= ?3"
                    + " order by disclosedOn, createdAt, id",
                patientId,
                from,
                asOf)
            .stream()
            .filter(d -> active.stream().noneMatch(s -> s.covers(d)))
            .map(AccountingReport.Entry::of)
            .toList();
    return new AccountingReport(
        accountingRequestId, patientId, from, asOf, entries, now(), request.actor().username());
  }

  LocalDate periodFrom(LocalDate asOf) {
    return asOf.minusYears(years);
  }

  @Transactional
  public SuspensionView suspend(NewSuspension in) {
    if (in.endsOn().isBefore(in.startsOn())) {
      throw ProblemException.badRequest("endsOn", "must not be before startsOn " + in.startsOn());
    }
    if (in.statementKind() == StatementKind.ORAL) {
      LocalDate latest = in.startsOn().plusDays(ORAL_SUSPENSION_DAYS);
      if (in.startsOn().isAfter(LocalDate.now())) {
        throw ProblemException.badRequest(
            "startsOn", "an oral statement is recorded once made; it cannot be in the future");
      }
      if (in.endsOn().isAfter(latest)) {
        throw ProblemException.badRequest(
            "endsOn",
            "an oral statement suspends for at most "
                + ORAL_SUSPENSION_DAYS
                + " days, until "
                + latest
                + "; longer needs the agency's written statement (164.528(a)(2)(ii))");
      }
    }
    AccountingSuspension s = new AccountingSuspension();
    s.id = UUID.randomUUID();
    s.patientId = in.patientId();
    s.agency = in.agency().strip();
    s.official = trim(in.official());
    s.statement = in.statement().strip();
    s.statementKind = in.statementKind();
    s.startsOn = in.startsOn();
    s.endsOn = in.endsOn();
    s.createdAt = now();
    s.createdBy = request.actor().username();
    s.persist();
    access.success(
        AccessAction.CREATE,
        SUSPENSION,
        s.id.toString(),
        List.of(s.patientId),
        s.statementKind + " suspension until " + s.endsOn);
    return SuspensionView.of(s, LocalDate.now());
  }

  @Transactional
  public List<SuspensionView> suspensions(String patientId) {
    LocalDate today = LocalDate.now();
    List<SuspensionView> rows =
        AccountingSuspension.ofPatient(patientId).stream()
            .map(s -> SuspensionView.of(s, today))
            .toList();
    access.success(AccessAction.SEARCH, SUSPENSION, null, List.of(patientId), null);
    return rows;
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String trim(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
