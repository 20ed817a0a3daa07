package dev.him.requests.legalbasis;

import dev.him.requests.legalbasis.LegalBasisCheck.Defect;
import dev.him.requests.legalbasis.LegalBasisCheck.Exclusion;
import dev.him.requests.legalbasis.LegalBasisCheck.ReleasableScope;
import dev.him.requests.roi.RequestType;
import dev.him.requests.roi.RequesterType;
import dev.him.requests.roi.RoiRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Checks a request's legal basis and returns every defect found, not just the first, so a
 * technician can ask the requester for everything missing at once.
 *
 * <p>The release step calls {@link #check(UUID)} right before it releases anything: a revocation
 * recorded after the basis was first validated makes the check invalid, so releases not yet made
 * stop (164.508(b)(5)). It records no access event; the caller's own access covers it.
 */
@ApplicationScoped
public class LegalBasisChecks {

  /** The current check of a request's basis, or empty when the request is unknown. */
  @Transactional
  public Optional<LegalBasisCheck> check(UUID requestId) {
    RoiRequest request = RoiRequest.findById(requestId);
    if (request == null) {
      return Optional.empty();
    }
    return Optional.of(
        evaluate(
            request,
            RoiAuthorization.findById(requestId),
            RoiCourtOrder.findById(requestId),
            RoiSubpoena.findById(requestId),
            LocalDate.now()));
  }

  static LegalBasisCheck evaluate(
      RoiRequest request,
      RoiAuthorization authorization,
      RoiCourtOrder order,
      RoiSubpoena subpoena,
      LocalDate today) {
    Set<SensitiveCategory> asked = categories(request.requestedCategories);
    List<Defect> defects = new ArrayList<>();
    List<Exclusion> exclusions = new ArrayList<>();
    ReleasableScope releasable = null;
    RequestType basis = request.requestType;
    if (basis == RequestType.RIGHT_OF_ACCESS) {
      // No authorization needed; what 164.524(a)(1) leaves out is excluded, not a defect: the
      // rest of the record is still owed to the patient within 30 days.
      if (asked.contains(SensitiveCategory.PSYCHOTHERAPY_NOTES)) {
        exclusions.add(
            new Exclusion(
                SensitiveCategory.PSYCHOTHERAPY_NOTES,
                "Psychotherapy notes are not covered by the right of access (164.524(a)(1)(i));"
                    + " they need an authorization of their own"));
      }
      if (asked.contains(SensitiveCategory.LEGAL_PROCEEDINGS)) {
        exclusions.add(
            new Exclusion(
                SensitiveCategory.LEGAL_PROCEEDINGS,
                "Information compiled for legal proceedings is not covered by the right of access"
                    + " (164.524(a)(1)(ii))"));
      }
    } else if (basis == RequestType.AUTHORIZATION) {
      if (authorization == null) {
        defects.add(
            new Defect("AUTHORIZATION_MISSING", "authorization", "No authorization is on file"));
      } else {
        checkAuthorization(authorization, asked, today, defects);
      }
    } else if (basis == RequestType.COURT_ORDER) {
      if (order == null) {
        defects.add(new Defect("COURT_ORDER_MISSING", "courtOrder", "No court order is on file"));
      } else {
        releasable = checkCourtOrder(request, order, asked, defects);
      }
    } else if (basis == RequestType.SUBPOENA) {
      if (order != null) {
        // A subpoena signed by a judge, or one that came with an order: the order decides.
        releasable = checkCourtOrder(request, order, asked, defects);
      } else if (subpoena == null) {
        defects.add(new Defect("SUBPOENA_MISSING", "subpoena", "No subpoena is on file"));
      } else {
        checkAssurance(subpoena, today, defects);
      }
    } else if (basis == RequestType.TREATMENT) {
      // Continuity of care needs no authorization (164.506(c)(2)), but only a provider treats.
      if (request.requesterType != RequesterType.PROVIDER) {
        defects.add(
            new Defect(
                "TREATMENT_REQUESTER_NOT_PROVIDER",
                "requester.type",
                "A disclosure for treatment goes to a health care provider; the requester is "
                    + request.requesterType));
      }
    } else if (basis == RequestType.REQUIRED_BY_LAW) {
      // 164.512(a): only as far as the law requires, so the law must be named.
      if (request.legalAuthorityCited == null || request.legalAuthorityCited.isBlank()) {
        defects.add(
            new Defect(
                "LEGAL_AUTHORITY_MISSING",
                "legalAuthorityCited",
                "Cite the law or authority that requires the disclosure"));
      }
    } else {
      defects.add(
          new Defect(
              "BASIS_NOT_CHECKED",
              "requestType",
              "There is no automated check for this basis; a person must validate it"));
    }
    return new LegalBasisCheck(
        request.id,
        basis,
        today,
        defects.isEmpty(),
        List.copyOf(defects),
        List.copyOf(exclusions),
        releasable);
  }

  private static void checkAuthorization(
      RoiAuthorization a, Set<SensitiveCategory> asked, LocalDate today, List<Defect> defects) {
    // core elements, 164.508(c)(1)
    missing(
        a.informationDescription,
        "AUTH_DESCRIPTION_MISSING",
        "informationDescription",
        "A specific and meaningful description of the information is required",
        defects);
    missing(
        a.discloser,
        "AUTH_DISCLOSER_MISSING",
        "discloser",
        "The person or class of persons who may disclose is required",
        defects);
    missing(
        a.recipient,
        "AUTH_RECIPIENT_MISSING",
        "recipient",
        "The person or class of persons who may receive is required",
        defects);
    missing(
        a.purpose,
        "AUTH_PURPOSE_MISSING",
        "purpose",
        "The purpose is required (\"at the request of the individual\" suffices)",
        defects);
    if (a.expiresOn == null && blank(a.expirationEvent)) {
      defects.add(
          auth(
              "AUTH_EXPIRATION_MISSING",
              "expiresOn",
              "An expiration date or an expiration event is required"));
    }
    if (!a.signed) {
      defects.add(auth("AUTH_UNSIGNED", "signed", "The authorization is not signed"));
    }
    if (a.signedOn == null) {
      defects.add(
          auth("AUTH_SIGNATURE_DATE_MISSING", "signedOn", "The date of the signature is required"));
    } else if (a.signedOn.isAfter(today)) {
      defects.add(
          auth(
              "AUTH_SIGNATURE_DATE_FUTURE",
              "signedOn",
              "The signature is dated " + a.signedOn + ", after today"));
    }
    if (a.signerType == null) {
      defects.add(
          auth(
              "AUTH_SIGNER_MISSING",
              "signerType",
              "Who signed (the patient or a personal representative) is required"));
    } else if (a.signerType == SignerType.PERSONAL_REPRESENTATIVE
        && blank(a.representativeAuthority)) {
      defects.add(
          auth(
              "AUTH_REPRESENTATIVE_AUTHORITY_MISSING",
              "representativeAuthority",
              "A personal representative signed without a description of their authority"));
    }
    // required statements, 164.508(c)(2)
    if (!a.statementRightToRevoke) {
      defects.add(
          auth(
              "AUTH_STATEMENT_REVOKE_MISSING",
              "statementRightToRevoke",
              "The statement of the right to revoke in writing, and how, is missing"));
    }
    if (!a.statementConditioning) {
      defects.add(
          auth(
              "AUTH_STATEMENT_CONDITIONING_MISSING",
              "statementConditioning",
              "The statement on conditioning treatment, payment, enrollment or eligibility is"
                  + " missing"));
    }
    if (!a.statementRedisclosure) {
      defects.add(
          auth(
              "AUTH_STATEMENT_REDISCLOSURE_MISSING",
              "statementRedisclosure",
              "The statement that disclosed information may be redisclosed is missing"));
    }
    // defective under 164.508(b)(2)
    if (a.expiresOn != null && a.expiresOn.isBefore(today)) {
      defects.add(auth("AUTH_EXPIRED", "expiresOn", "The authorization expired on " + a.expiresOn));
    }
    if (a.expirationEventOccurred) {
      defects.add(
          auth(
              "AUTH_EXPIRATION_EVENT_OCCURRED",
              "expirationEventOccurred",
              "The expiration event has happened"
                  + (blank(a.expirationEvent) ? "" : ": " + a.expirationEvent)));
    }
    if (a.revokedAt != null) {
      defects.add(
          auth(
              "AUTH_REVOKED",
              "revocation",
              "The authorization was revoked in writing, received on " + a.revokedOn));
    }
    // psychotherapy notes only on their own authorization, 164.508(b)(3)(ii)
    if (a.coversPsychotherapyNotes && a.coversOtherRecords) {
      defects.add(
          auth(
              "PSYCHOTHERAPY_NOTES_COMBINED",
              "coversOtherRecords",
              "Psychotherapy notes need an authorization of their own, not combined with other"
                  + " records"));
    }
    if (asked.contains(SensitiveCategory.PSYCHOTHERAPY_NOTES) && !a.coversPsychotherapyNotes) {
      defects.add(
          auth(
              "PSYCHOTHERAPY_NOTES_NOT_AUTHORIZED",
              "coversPsychotherapyNotes",
              "Psychotherapy notes are requested but the authorization does not cover them"));
    }
    // 42 CFR Part 2 consent elements for substance-use-disorder records, 2.31
    boolean sudAsked = asked.contains(SensitiveCategory.SUBSTANCE_USE_DISORDER);
    if (sudAsked && !a.coversSudRecords) {
      defects.add(
          auth(
              "PART2_NOT_COVERED",
              "coversSubstanceUseRecords",
              "Substance-use-disorder records are requested but the authorization does not cover"
                  + " them"));
    }
    if (sudAsked || a.coversSudRecords) {
      missing(
          a.part2PatientName,
          "PART2_PATIENT_NAME_MISSING",
          "part2.patientName",
          "Part 2 consent: the name of the patient is required",
          defects);
      missing(
          a.part2Recipient,
          "PART2_RECIPIENT_MISSING",
          "part2.recipient",
          "Part 2 consent: the named recipient or a general designation is required",
          defects);
      missing(
          a.part2Purpose,
          "PART2_PURPOSE_MISSING",
          "part2.purpose",
          "Part 2 consent: the purpose is required",
          defects);
      missing(
          a.part2AmountAndKind,
          "PART2_AMOUNT_AND_KIND_MISSING",
          "part2.amountAndKind",
          "Part 2 consent: how much and what kind of SUD information is required",
          defects);
      missing(
          a.part2Expiration,
          "PART2_EXPIRATION_MISSING",
          "part2.expiration",
          "Part 2 consent: an expiration date, event or condition is required",
          defects);
      if (!a.part2RightToRevoke) {
        defects.add(
            auth(
                "PART2_STATEMENT_REVOKE_MISSING",
                "part2.statementRightToRevoke",
                "Part 2 consent: the statement of the right to revoke is missing"));
      }
      if (!a.part2RedisclosureNotice) {
        defects.add(
            auth(
                "PART2_REDISCLOSURE_NOTICE_MISSING",
                "part2.redisclosureNotice",
                "Part 2 consent: the redisclosure notice is missing"));
      }
    }
  }

  private static ReleasableScope checkCourtOrder(
      RoiRequest request, RoiCourtOrder order, Set<SensitiveCategory> asked, List<Defect> defects) {
    List<String> named = order.recordTypes == null ? List.of() : order.recordTypes;
    Set<SensitiveCategory> namedCategories = categories(order.categories);
    List<String> types = new ArrayList<>();
    if (request.requestedRecordTypes == null || request.requestedRecordTypes.isEmpty()) {
      types.addAll(named);
    } else {
      for (String type : request.requestedRecordTypes) {
        if (named.contains(type)) {
          types.add(type);
        } else {
          defects.add(
              new Defect(
                  "COURT_ORDER_RECORD_TYPE_OUTSIDE",
                  "scope.recordTypes",
                  "The order does not name record type " + type));
        }
      }
    }
    List<SensitiveCategory> categories = new ArrayList<>();
    for (SensitiveCategory category : asked) {
      if (namedCategories.contains(category)) {
        categories.add(category);
      } else {
        defects.add(
            new Defect(
                "COURT_ORDER_CATEGORY_OUTSIDE",
                "scope.sensitiveCategories",
                "The order does not name " + category + " expressly"));
      }
    }
    LocalDate from = request.requestedFrom;
    LocalDate to = request.requestedTo;
    if (order.dateFrom != null && (from == null || from.isBefore(order.dateFrom))) {
      if (from != null) {
        defects.add(
            new Defect(
                "COURT_ORDER_DATE_RANGE_OUTSIDE",
                "scope.from",
                "The order covers care from " + order.dateFrom + " only; asked from " + from));
      }
      from = order.dateFrom;
    }
    if (order.dateTo != null && (to == null || to.isAfter(order.dateTo))) {
      if (to != null) {
        defects.add(
            new Defect(
                "COURT_ORDER_DATE_RANGE_OUTSIDE",
                "scope.to",
                "The order covers care until " + order.dateTo + " only; asked until " + to));
      }
      to = order.dateTo;
    }
    return new ReleasableScope(List.copyOf(types), List.copyOf(categories), from, to);
  }

  private static void checkAssurance(RoiSubpoena s, LocalDate today, List<Defect> defects) {
    // 164.512(e)(1)(ii): notice with the time to object elapsed, or a qualified protective order
    // sought (iv) or obtained.
    if (s.protectiveOrder == ProtectiveOrder.SOUGHT
        || s.protectiveOrder == ProtectiveOrder.OBTAINED) {
      return;
    }
    if (s.noticeGivenOn == null) {
      defects.add(
          new Defect(
              "SUBPOENA_NO_SATISFACTORY_ASSURANCE",
              "subpoena.noticeGivenOn",
              "Without a court order, release needs notice to the patient (with the objection period"
                  + " over) or a qualified protective order"));
    } else if (s.objectionPeriodEndsOn == null || !s.objectionPeriodEndsOn.isBefore(today)) {
      defects.add(
          new Defect(
              "SUBPOENA_OBJECTION_PERIOD_OPEN",
              "subpoena.objectionPeriodEndsOn",
              s.objectionPeriodEndsOn == null
                  ? "The end of the patient's objection period is not known"
                  : "The patient may object until " + s.objectionPeriodEndsOn));
    }
  }

  private static void missing(
      String value, String code, String field, String message, List<Defect> defects) {
    if (blank(value)) {
      defects.add(auth(code, field, message));
    }
  }

  private static Defect auth(String code, String field, String message) {
    return new Defect(code, "authorization." + field, message);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  static Set<SensitiveCategory> categories(List<String> names) {
    Set<SensitiveCategory> out = new LinkedHashSet<>();
    if (names != null) {
      names.forEach(n -> out.add(SensitiveCategory.valueOf(n)));
    }
    return out;
  }
}
