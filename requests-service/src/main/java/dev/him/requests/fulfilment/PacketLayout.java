package dev.him.requests.fulfilment;

import dev.him.requests.legalbasis.SensitiveCategory;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * The packet's content: a cover letter to the recipient, an index of what is enclosed and what was
 * left out, then the records themselves, one section per record type.
 */
final class PacketLayout {
  /** 42 CFR 2.32(a)(1), the notice that goes with each disclosure of Part 2 records. */
  static final String PART2_NOTICE =
      "42 CFR part 2 prohibits unauthorized use or disclosure of these records. This record which"
          + " has been disclosed to you is protected by federal confidentiality rules (42 CFR part"
          + " 2). These rules prohibit you from using or disclosing this record, or testimony that"
          + " describes the information contained in this record, in any civil, criminal,"
          + " administrative, or legislative proceedings by any Federal, State, or local"
          + " authority, against the patient, unless authorized by the consent of the patient,"
          + " except as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance"
          + " with 42 CFR 2.64 or 2.65. In addition, the federal rules prohibit you from making"
          + " any other use or disclosure of this record unless at least one of the following"
          + " applies: (A) Further use or disclosure is expressly permitted by the written consent"
          + " of the individual whose information is being disclosed in this record or as"
          + " otherwise permitted by 42 CFR part 2. (B) You are a covered entity or business"
          + " associate and have received the record for treatment, payment, or health care"
          + " operations, or (C) You have received the record from a covered entity or business"
          + " associate as permitted by 45 CFR part 164, subparts A and E. A general authorization"
          + " for the release of medical or other information is NOT sufficient to meet the"
          + " required elements of written consent to further use or redisclose the record (see"
          + " 42 CFR 2.31).";

  static final String PART2_HEADING = "Notice to recipient: 42 CFR Part 2 (42 CFR 2.32)";

  static final String ACCESS_EXCLUSIONS =
      "Psychotherapy notes and information compiled in reasonable anticipation of, or for use in,"
          + " a civil, criminal or administrative action or proceeding are not part of the records"
          + " available under the right of access (45 CFR 164.524(a)(1)). This packet does not say"
          + " whether any such records exist.";

  static final String CATEGORIES_NOT_COVERED =
      "Sensitive categories the basis of this release does not cover are not included. They are"
          + " listed whether or not such records exist, so the list itself discloses nothing.";

  /** What the letter needs to know about the request. */
  record Letter(
      String facility,
      String requestId,
      String recipient,
      String recipientAddress,
      String basis,
      LocalDate receivedOn,
      LocalDate releaseDate) {}

  private PacketLayout() {}

  static PacketPdf write(Letter letter, ReleasePlan plan, PacketSelection s) {
    PacketPdf pdf = new PacketPdf();
    coverLetter(pdf, letter, plan, s);
    pdf.newPage();
    index(pdf, plan, s);
    pdf.newPage();
    records(pdf, s);
    return pdf;
  }

  private static void coverLetter(
      PacketPdf pdf, Letter letter, ReleasePlan plan, PacketSelection s) {
    pdf.heading(letter.facility());
    pdf.text("Release of information");
    pdf.gap();
    pdf.text(letter.releaseDate().toString());
    pdf.gap();
    pdf.text(letter.recipient());
    if (letter.recipientAddress() != null) {
      pdf.text(letter.recipientAddress());
    }
    pdf.gap();
    pdf.add(
        "Re: records of " + patientName(s.patient) + ", born " + birthDate(s.patient),
        PacketPdf.BOLD,
        10,
        0,
        0);
    pdf.text("Request " + letter.requestId() + ", received " + letter.receivedOn());
    pdf.text("Basis of this release: " + letter.basis());
    pdf.gap();
    pdf.text(
        "Enclosed are "
            + s.resourceCount
            + " record entries in "
            + s.included.size()
            + " record type(s), released in answer to the request above. The index on the next"
            + " page lists what is enclosed, by record type with the dates covered, and what was"
            + " not included and why.");
    pdf.gap();
    if (plan.rightOfAccess()) {
      pdf.text(
          "This is the copy of your records you asked for under your right of access (45 CFR"
              + " 164.524).");
    } else if (plan.minimumNecessary()) {
      pdf.text(
          "Only the dates and record types requested are enclosed (minimum necessary, 45 CFR"
              + " 164.502(b)).");
    } else {
      pdf.text("The records enclosed are those the basis of this release covers.");
    }
    pdf.text(
        "This information is confidential. It is released for the purpose stated in the request"
            + " only.");
    if (s.substanceUseIncluded) {
      pdf.gap();
      pdf.subheading(PART2_HEADING);
      pdf.text(PART2_NOTICE);
    }
    pdf.gap();
    pdf.text("Health Information Management");
  }

  private static void index(PacketPdf pdf, ReleasePlan plan, PacketSelection s) {
    pdf.heading("Index of records enclosed");
    if (s.included.isEmpty()) {
      pdf.text("No records matched the request and its basis.");
    }
    for (Map.Entry<String, List<Resource>> e : s.included.entrySet()) {
      List<Resource> list = e.getValue();
      String from = RecordTypes.day(list.get(0));
      String to = RecordTypes.day(list.get(list.size() - 1));
      pdf.text(
          label(e.getKey())
              + ": "
              + list.size()
              + " entr"
              + (list.size() == 1 ? "y" : "ies")
              + (from == null ? "" : ", " + from + " to " + to));
    }
    pdf.gap();
    pdf.subheading("Not included");
    if (plan.recordTypes() != null || plan.from() != null || plan.to() != null) {
      pdf.text(
          s.outsideScope
              + " entries outside the dates or record types released"
              + (plan.from() != null || plan.to() != null
                  ? " (dates " + orOpen(plan.from()) + " to " + orOpen(plan.to()) + ")"
                  : "")
              + ".");
    }
    if (plan.rightOfAccess()) {
      pdf.text(ACCESS_EXCLUSIONS);
      plan.withheldReasons().entrySet().stream()
          .filter(
              e ->
                  e.getKey() != SensitiveCategory.PSYCHOTHERAPY_NOTES
                      && e.getKey() != SensitiveCategory.LEGAL_PROCEEDINGS)
          .forEach(e -> pdf.text(label(e.getKey().name()) + ": " + e.getValue()));
    } else if (!plan.withheldReasons().isEmpty()) {
      pdf.text(CATEGORIES_NOT_COVERED);
      plan.withheldReasons()
          .forEach((c, reason) -> pdf.small("- " + label(c.name()) + ": " + reason, 10));
    }
    if (s.substanceUseIncluded) {
      pdf.gap();
      pdf.text(
          "Substance-use-disorder records (42 CFR Part 2) are enclosed; the notice on the cover"
              + " letter applies to them.");
    }
  }

  private static void records(PacketPdf pdf, PacketSelection s) {
    pdf.heading("Records");
    for (Map.Entry<String, List<Resource>> e : s.included.entrySet()) {
      pdf.subheading(label(e.getKey()) + " (" + e.getValue().size() + ")");
      for (Resource r : e.getValue()) {
        ResourceText.Described d = ResourceText.describe(r);
        pdf.bold((d.day() == null ? "undated" : d.day()) + "  " + d.title(), 0, 4);
        for (String detail : d.details()) {
          pdf.small(detail, 12);
        }
      }
    }
  }

  static String label(String code) {
    String s = code.replace('_', ' ').toLowerCase(Locale.ROOT);
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String orOpen(LocalDate d) {
    return d == null ? "any" : d.toString();
  }

  static String patientName(Patient p) {
    if (p == null || !p.hasName()) {
      return "(name not on record)";
    }
    return p.getNameFirstRep().getNameAsSingleString();
  }

  static String birthDate(Patient p) {
    return p == null || !p.hasBirthDate()
        ? "(not on record)"
        : p.getBirthDateElement().getValueAsString();
  }
}
