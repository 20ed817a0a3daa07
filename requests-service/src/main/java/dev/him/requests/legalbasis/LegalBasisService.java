package dev.him.requests.legalbasis;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.legalbasis.LegalBasisView.Revocation;
import dev.him.requests.legalbasis.LegalBasisView.StoredAuthorization;
import dev.him.requests.legalbasis.LegalBasisView.StoredCourtOrder;
import dev.him.requests.legalbasis.LegalBasisView.StoredSubpoena;
import dev.him.requests.roi.RoiRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Stores the documents behind a request's legal basis and answers its check. Every call touches a
 * patient's request, so each records an access event in the same transaction.
 */
@ApplicationScoped
public class LegalBasisService {
  static final String RESOURCE_TYPE = "RoiRequest";

  @Inject AccessRecorder access;
  @Inject RequestContext request;

  @Transactional
  public LegalBasisView putScope(UUID id, RequestScope in) {
    RoiRequest row = find(id);
    range(in.from(), in.to(), "from", "to");
    row.requestedRecordTypes = in.recordTypes() == null ? null : List.copyOf(in.recordTypes());
    row.requestedCategories =
        in.sensitiveCategories() == null
            ? null
            : in.sensitiveCategories().stream().map(Enum::name).distinct().toList();
    row.requestedFrom = in.from();
    row.requestedTo = in.to();
    recorded(AccessAction.UPDATE, row, "scope");
    return view(row);
  }

  @Transactional
  public LegalBasisView putAuthorization(UUID id, AuthorizationDocument in) {
    RoiRequest row = find(id);
    RoiAuthorization a = RoiAuthorization.findById(id);
    if (a != null && a.revokedAt != null) {
      // A revocation stays on file; a new authorization comes with a new request.
      throw new ProblemException(
          409,
          "Conflict",
          "The authorization on file was revoked on " + a.revokedOn + "; log a new request",
          List.of());
    }
    if (a == null) {
      a = new RoiAuthorization();
      a.requestId = id;
    }
    a.informationDescription = in.informationDescription();
    a.discloser = in.discloser();
    a.recipient = in.recipient();
    a.purpose = in.purpose();
    a.expiresOn = in.expiresOn();
    a.expirationEvent = in.expirationEvent();
    a.expirationEventOccurred = yes(in.expirationEventOccurred());
    a.signed = yes(in.signed());
    a.signedOn = in.signedOn();
    a.signerType = in.signerType();
    a.representativeAuthority = in.representativeAuthority();
    a.statementRightToRevoke = yes(in.statementRightToRevoke());
    a.statementConditioning = yes(in.statementConditioning());
    a.statementRedisclosure = yes(in.statementRedisclosure());
    a.coversPsychotherapyNotes = yes(in.coversPsychotherapyNotes());
    a.coversOtherRecords = in.coversOtherRecords() == null || in.coversOtherRecords();
    a.coversSudRecords = yes(in.coversSubstanceUseRecords());
    AuthorizationDocument.Part2Consent p = in.part2();
    a.part2PatientName = p == null ? null : p.patientName();
    a.part2Recipient = p == null ? null : p.recipient();
    a.part2Purpose = p == null ? null : p.purpose();
    a.part2AmountAndKind = p == null ? null : p.amountAndKind();
    a.part2Expiration = p == null ? null : p.expiration();
    a.part2RightToRevoke = p != null && yes(p.statementRightToRevoke());
    a.part2RedisclosureNotice = p != null && yes(p.redisclosureNotice());
    a.updatedAt = now();
    a.updatedBy = request.actor().username();
    a.persist();
    recorded(AccessAction.UPDATE, row, "authorization");
    return view(row);
  }

  @Transactional
  public LegalBasisView revoke(UUID id, RevocationNotice in) {
    RoiRequest row = find(id);
    RoiAuthorization a = RoiAuthorization.findById(id);
    if (a == null) {
      throw new ProblemException(
          409, "Conflict", "There is no authorization on file to revoke", List.of());
    }
    if (a.revokedAt != null) {
      throw new ProblemException(
          409, "Conflict", "The authorization was already revoked on " + a.revokedOn, List.of());
    }
    a.revokedAt = now();
    a.revokedOn = in.receivedOn();
    a.revokedBy = in.revokedBy();
    a.revocationReason = in.reason();
    a.revocationRecordedBy = request.actor().username();
    recorded(AccessAction.UPDATE, row, "authorization revocation");
    return view(row);
  }

  @Transactional
  public LegalBasisView putCourtOrder(UUID id, CourtOrderDocument in) {
    RoiRequest row = find(id);
    range(in.dateFrom(), in.dateTo(), "dateFrom", "dateTo");
    RoiCourtOrder o = RoiCourtOrder.findById(id);
    if (o == null) {
      o = new RoiCourtOrder();
      o.requestId = id;
    }
    o.issuingCourt = in.issuingCourt();
    o.issuedOn = in.issuedOn();
    o.recordTypes = List.copyOf(in.recordTypes());
    o.categories =
        in.sensitiveCategories() == null
            ? List.of()
            : in.sensitiveCategories().stream().map(Enum::name).distinct().toList();
    o.dateFrom = in.dateFrom();
    o.dateTo = in.dateTo();
    o.updatedAt = now();
    o.updatedBy = request.actor().username();
    o.persist();
    recorded(AccessAction.UPDATE, row, "court order");
    return view(row);
  }

  @Transactional
  public LegalBasisView putSubpoena(UUID id, SubpoenaDocument in) {
    RoiRequest row = find(id);
    if (in.noticeGivenOn() != null
        && in.objectionPeriodEndsOn() != null
        && in.objectionPeriodEndsOn().isBefore(in.noticeGivenOn())) {
      throw ProblemException.badRequest(
          "objectionPeriodEndsOn", "must not be before noticeGivenOn");
    }
    RoiSubpoena s = RoiSubpoena.findById(id);
    if (s == null) {
      s = new RoiSubpoena();
      s.requestId = id;
    }
    s.issuedOn = in.issuedOn();
    s.noticeGivenOn = in.noticeGivenOn();
    s.objectionPeriodEndsOn = in.objectionPeriodEndsOn();
    s.protectiveOrder = in.protectiveOrder();
    s.updatedAt = now();
    s.updatedBy = request.actor().username();
    s.persist();
    recorded(AccessAction.UPDATE, row, "subpoena");
    return view(row);
  }

  @Transactional
  public LegalBasisView read(UUID id) {
    RoiRequest row = find(id);
    recorded(AccessAction.READ, row, "legal basis");
    return view(row);
  }

  @Transactional
  public LegalBasisCheck check(UUID id) {
    RoiRequest row = find(id);
    recorded(AccessAction.READ, row, "legal basis check");
    return LegalBasisChecks.evaluate(
        row,
        RoiAuthorization.findById(id),
        RoiCourtOrder.findById(id),
        RoiSubpoena.findById(id),
        LocalDate.now());
  }

  private LegalBasisView view(RoiRequest row) {
    RoiAuthorization a = RoiAuthorization.findById(row.id);
    RoiCourtOrder o = RoiCourtOrder.findById(row.id);
    RoiSubpoena s = RoiSubpoena.findById(row.id);
    RequestScope scope =
        new RequestScope(
            row.requestedRecordTypes,
            row.requestedCategories == null
                ? null
                : List.copyOf(LegalBasisChecks.categories(row.requestedCategories)),
            row.requestedFrom,
            row.requestedTo);
    return new LegalBasisView(
        row.id,
        row.requestType,
        scope,
        a == null ? null : stored(a),
        o == null
            ? null
            : new StoredCourtOrder(
                new CourtOrderDocument(
                    o.issuingCourt,
                    o.issuedOn,
                    o.recordTypes,
                    List.copyOf(LegalBasisChecks.categories(o.categories)),
                    o.dateFrom,
                    o.dateTo),
                o.updatedAt,
                o.updatedBy),
        s == null
            ? null
            : new StoredSubpoena(
                new SubpoenaDocument(
                    s.issuedOn, s.noticeGivenOn, s.objectionPeriodEndsOn, s.protectiveOrder),
                s.updatedAt,
                s.updatedBy),
        LegalBasisChecks.evaluate(row, a, o, s, LocalDate.now()));
  }

  private static StoredAuthorization stored(RoiAuthorization a) {
    AuthorizationDocument doc =
        new AuthorizationDocument(
            a.informationDescription,
            a.discloser,
            a.recipient,
            a.purpose,
            a.expiresOn,
            a.expirationEvent,
            a.expirationEventOccurred,
            a.signed,
            a.signedOn,
            a.signerType,
            a.representativeAuthority,
            a.statementRightToRevoke,
            a.statementConditioning,
            a.statementRedisclosure,
            a.coversPsychotherapyNotes,
            a.coversOtherRecords,
            a.coversSudRecords,
            new AuthorizationDocument.Part2Consent(
                a.part2PatientName,
                a.part2Recipient,
                a.part2Purpose,
                a.part2AmountAndKind,
                a.part2Expiration,
                a.part2RightToRevoke,
                a.part2RedisclosureNotice));
    Revocation revocation =
        a.revokedAt == null
            ? null
            : new Revocation(
                a.revokedOn, a.revokedBy, a.revocationReason, a.revokedAt, a.revocationRecordedBy);
    return new StoredAuthorization(doc, revocation, a.updatedAt, a.updatedBy);
  }

  private static RoiRequest find(UUID id) {
    RoiRequest row = RoiRequest.findById(id);
    if (row == null) {
      throw ProblemException.notFound("RoiRequest/" + id + " is not known");
    }
    return row;
  }

  private void recorded(AccessAction action, RoiRequest row, String detail) {
    access.success(action, RESOURCE_TYPE, row.id.toString(), row.patientIds(), detail);
  }

  private static void range(LocalDate from, LocalDate to, String fromName, String toName) {
    if (from != null && to != null && to.isBefore(from)) {
      throw new ProblemException(
          400,
          "Invalid request",
          toName + " must not be before " + fromName,
          List.of(new InvalidParam(toName, "must not be before " + fromName)));
    }
  }

  private static boolean yes(Boolean b) {
    return Boolean.TRUE.equals(b);
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
