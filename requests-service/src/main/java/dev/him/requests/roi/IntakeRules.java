package dev.him.requests.roi;

import dev.him.requests.intake.PatientDescription;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.Set;
import java.util.TreeSet;

/**
 * The intake rules that span fields, checked together with the field constraints so one answer
 * names every wrong field: the patient named or described, what each kind of requester must give,
 * and a delivery that has the destination its method needs and fits the format.
 */
public class IntakeRules implements ConstraintValidator<ValidIntake, NewRoiRequest> {
  /** Phone and fax numbers: digits with the usual separators, optionally international. */
  public static final String PHONE = "\\+?[0-9][0-9 ()./-]{6,31}";

  @Override
  public boolean isValid(NewRoiRequest in, ConstraintValidatorContext ctx) {
    if (in == null) {
      return true;
    }
    Check check = new Check(ctx);
    patient(in, check);
    NewRoiRequest.Requester requester = in.requester();
    if (requester != null && requester.type() != null) {
      requester(requester, check);
    }
    if (in.delivery() != null && in.delivery().method() != null) {
      delivery(in, check);
    }
    if (in.scope() != null
        && in.scope().from() != null
        && in.scope().to() != null
        && in.scope().to().isBefore(in.scope().from())) {
      check.wrong("must not be before scope.from", "scope", "to");
    }
    return check.ok;
  }

  private static void patient(NewRoiRequest in, Check check) {
    boolean named = in.patientId() != null && !in.patientId().isBlank();
    PatientDescription p = in.patient();
    if (!named && p == null) {
      check.wrong(
          "give the records-service patient id, or describe the patient (patient.family,"
              + " patient.given, patient.birthDate)",
          "patientId");
      return;
    }
    if (!named) {
      // without an id the match needs name and birth date
      if (blank(p.family())) {
        check.wrong("required when no patientId is given", "patient", "family");
      }
      if (blank(p.given())) {
        check.wrong("required when no patientId is given", "patient", "given");
      }
      if (p.birthDate() == null) {
        check.wrong("required when no patientId is given", "patient", "birthDate");
      }
    }
  }

  private static void requester(NewRoiRequest.Requester r, Check check) {
    RequesterType type = r.type();
    if (type == RequesterType.THIRD_PARTY) {
      check.wrong(
          "THIRD_PARTY is kept for older requests; say who asks: PROVIDER, INSURER, ATTORNEY,"
              + " COURT, LAW_ENFORCEMENT, GOVERNMENT_AGENCY or RESEARCHER",
          "requester",
          "type");
    }
    if (type == RequesterType.PERSONAL_REPRESENTATIVE) {
      if (blank(r.relationship())) {
        check.wrong(
            "a personal representative states their relationship to the patient",
            "requester",
            "relationship");
      }
      if (r.authorityDocument() == null) {
        check.wrong(
            "a personal representative names the document giving authority (POWER_OF_ATTORNEY,"
                + " GUARDIANSHIP_ORDER, PARENT_OF_MINOR, ...)",
            "requester",
            "authorityDocument");
      }
    } else {
      if (!blank(r.relationship())) {
        check.wrong("only for a PERSONAL_REPRESENTATIVE", "requester", "relationship");
      }
      if (r.authorityDocument() != null) {
        check.wrong("only for a PERSONAL_REPRESENTATIVE", "requester", "authorityDocument");
      }
    }
    if (type.isOrganisation() && blank(r.organization())) {
      check.wrong("required for a requester of kind " + type, "requester", "organization");
    }
  }

  private static void delivery(NewRoiRequest in, Check check) {
    Delivery d = in.delivery();
    DeliveryMethod method = d.method();
    Set<DeliveryMethod> fitting = DeliveryMethod.forFormat(in.deliveryFormat());
    if (!fitting.contains(method)) {
      check.wrong(
          "a "
              + in.deliveryFormat()
              + " copy goes by "
              + String.join(" or ", new TreeSet<>(fitting.stream().map(Enum::name).toList())),
          "delivery",
          "method");
    }
    switch (method) {
      case EMAIL -> {
        if (blank(d.email())) {
          check.wrong("required for EMAIL delivery", "delivery", "email");
        }
      }
      case FAX -> {
        if (blank(d.fax())) {
          check.wrong("required for FAX delivery", "delivery", "fax");
        }
      }
      case MAIL -> {
        if (d.address() == null) {
          check.wrong("required for MAIL delivery", "delivery", "address");
        } else {
          if (blank(d.address().city())) {
            check.wrong("required for MAIL delivery", "delivery", "address", "city");
          }
          if (blank(d.address().postalCode())) {
            check.wrong("required for MAIL delivery", "delivery", "address", "postalCode");
          }
        }
      }
      default -> {}
    }
    if (d.unencryptedEmail()) {
      // Only the individual may choose plain email, after being warned (HHS right-of-access
      // guidance on 164.524(c)(2)); anyone else gets it encrypted.
      if (method != DeliveryMethod.EMAIL) {
        check.wrong("only with EMAIL delivery", "delivery", "unencryptedEmail");
      } else if (in.requester() != null && in.requester().type() != RequesterType.INDIVIDUAL) {
        check.wrong(
            "unencrypted email goes only to the individual; send it encrypted",
            "delivery",
            "unencryptedEmail");
      } else if (!d.riskAccepted()) {
        check.wrong(
            "the individual must have accepted the risk of unencrypted email",
            "delivery",
            "riskAccepted");
      }
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** Collects violations on named property paths instead of the one default message. */
  private static final class Check {
    final ConstraintValidatorContext ctx;
    boolean ok = true;

    Check(ConstraintValidatorContext ctx) {
      this.ctx = ctx;
    }

    void wrong(String reason, String... path) {
      if (ok) {
        ctx.disableDefaultConstraintViolation();
      }
      ok = false;
      // escape the message-interpolation characters: the reason is plain text
      String message =
          reason.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
      ConstraintValidatorContext.ConstraintViolationBuilder b =
          ctx.buildConstraintViolationWithTemplate(message);
      ConstraintValidatorContext.ConstraintViolationBuilder.NodeBuilderCustomizableContext node =
          b.addPropertyNode(path[0]);
      for (int i = 1; i < path.length; i++) {
        node = node.addPropertyNode(path[i]);
      }
      node.addConstraintViolation();
    }
  }
}
