package dev.him.requests.fulfilment;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;

/**
 * A resource as lines a person reads: the day, what it is (display text and code) and its values.
 * Never raw JSON.
 */
final class ResourceText {
  /** One resource: a heading line and detail lines. */
  record Described(String day, String title, List<String> details) {}

  private ResourceText() {}

  static Described describe(Resource r) {
    String day = RecordTypes.day(r);
    List<String> d = new ArrayList<>();
    String title;
    if (r instanceof Encounter e) {
      title = "Encounter: " + concept(e.getTypeFirstRep());
      add(
          d,
          "Class",
          e.getClass_().getDisplay() != null
              ? e.getClass_().getDisplay()
              : e.getClass_().getCode());
      add(d, "Period", period(e.getPeriod()));
      add(d, "Reason", concepts(e.getReasonCode()));
      add(d, "Provider", e.getServiceProvider().getDisplay());
      add(d, "Status", e.hasStatus() ? e.getStatus().toCode() : null);
    } else if (r instanceof Condition c) {
      title = "Diagnosis: " + concept(c.getCode());
      add(d, "Clinical status", concept(c.getClinicalStatus()));
      add(d, "Onset", value(c.getOnset()));
      add(d, "Resolved", value(c.getAbatement()));
    } else if (r instanceof Procedure p) {
      title = "Procedure: " + concept(p.getCode());
      add(d, "Performed", value(p.getPerformed()));
      add(d, "Reason", concepts(p.getReasonCode()));
      add(d, "Status", p.hasStatus() ? p.getStatus().toCode() : null);
    } else if (r instanceof MedicationRequest m) {
      title = "Medication: " + medication(m.getMedication());
      add(d, "Status", m.hasStatus() ? m.getStatus().toCode() : null);
      add(
          d,
          "Dosage",
          m.getDosageInstruction().stream()
              .map(x -> x.getText())
              .filter(x -> x != null)
              .collect(Collectors.joining("; ")));
      add(d, "Reason", concepts(m.getReasonCode()));
    } else if (r instanceof MedicationAdministration m) {
      title = "Medication given: " + medication(m.getMedication());
      add(d, "When", value(m.getEffective()));
    } else if (r instanceof Observation o) {
      title = concept(o.getCode());
      add(d, "Value", value(o.getValue()));
      for (Observation.ObservationComponentComponent c : o.getComponent()) {
        add(d, concept(c.getCode()), value(c.getValue()));
      }
      add(d, "Interpretation", concepts(o.getInterpretation()));
    } else if (r instanceof DiagnosticReport dr) {
      title = "Report: " + concept(dr.getCode());
      add(
          d,
          "Results",
          dr.getResult().isEmpty()
              ? null
              : dr.getResult().size() + " result(s) listed under their own dates");
      add(d, "Conclusion", dr.getConclusion());
      for (Attachment a : dr.getPresentedForm()) {
        add(d, "Text", attachment(a));
      }
    } else if (r instanceof ImagingStudy i) {
      title =
          "Imaging study: "
              + i.getSeries().stream()
                  .map(s -> coding(s.getModality()))
                  .collect(Collectors.joining(", "));
      add(d, "Series", Integer.toString(i.getSeries().size()));
      add(
          d,
          "Body site",
          i.getSeries().stream()
              .map(s -> coding(s.getBodySite()))
              .filter(x -> x != null)
              .collect(Collectors.joining(", ")));
    } else if (r instanceof Immunization i) {
      title = "Immunization: " + concept(i.getVaccineCode());
      add(d, "Status", i.hasStatus() ? i.getStatus().toCode() : null);
    } else if (r instanceof AllergyIntolerance a) {
      title = "Allergy: " + concept(a.getCode());
      add(d, "Criticality", a.hasCriticality() ? a.getCriticality().toCode() : null);
      add(d, "Clinical status", concept(a.getClinicalStatus()));
      a.getReaction().forEach(x -> add(d, "Reaction", concepts(x.getManifestation())));
    } else if (r instanceof CarePlan c) {
      title = "Care plan: " + concepts(c.getCategory());
      add(d, "Period", period(c.getPeriod()));
      add(d, "Status", c.hasStatus() ? c.getStatus().toCode() : null);
      c.getActivity().forEach(x -> add(d, "Activity", concept(x.getDetail().getCode())));
    } else if (r instanceof CareTeam c) {
      title = "Care team: " + (c.getName() != null ? c.getName() : concepts(c.getReasonCode()));
      add(d, "Period", period(c.getPeriod()));
    } else if (r instanceof Device dv) {
      title = "Device: " + concept(dv.getType());
      add(d, "Status", dv.hasStatus() ? dv.getStatus().toCode() : null);
    } else if (r instanceof DocumentReference doc) {
      title = "Note: " + concept(doc.getType());
      add(d, "Description", doc.getDescription());
      add(
          d,
          "Author",
          doc.getAuthor().stream()
              .map(a -> a.getDisplay())
              .filter(x -> x != null)
              .collect(Collectors.joining(", ")));
      for (DocumentReference.DocumentReferenceContentComponent c : doc.getContent()) {
        add(d, "Text", attachment(c.getAttachment()));
      }
    } else if (r instanceof Claim c) {
      title = "Claim: " + concept(c.getType());
      add(d, "Billable period", period(c.getBillablePeriod()));
      add(d, "Provider", c.getProvider().getDisplay());
      add(
          d,
          "Items",
          c.getItem().stream()
              .map(i -> concept(i.getProductOrService()))
              .collect(Collectors.joining("; ")));
      add(d, "Total", money(c.getTotal()));
    } else if (r instanceof ExplanationOfBenefit e) {
      title = "Explanation of benefit: " + concept(e.getType());
      add(d, "Billable period", period(e.getBillablePeriod()));
      add(d, "Insurer", e.getInsurer().getDisplay());
      add(
          d,
          "Total",
          e.getTotal().stream()
              .map(t -> concept(t.getCategory()) + " " + money(t.getAmount()))
              .collect(Collectors.joining("; ")));
      add(d, "Payment", money(e.getPayment().getAmount()));
    } else {
      title = r.fhirType();
    }
    return new Described(day, title, d);
  }

  private static void add(List<String> lines, String label, String value) {
    if (value != null && !value.isBlank()) {
      lines.add(label + ": " + value.strip());
    }
  }

  static String concept(CodeableConcept c) {
    if (c == null || c.isEmpty()) {
      return "(not coded)";
    }
    Coding first = c.getCodingFirstRep();
    String text = c.hasText() ? c.getText() : first.getDisplay();
    String code =
        first.hasCode() ? " [" + system(first.getSystem()) + " " + first.getCode() + "]" : "";
    return (text == null ? "" : text) + code;
  }

  private static String concepts(List<CodeableConcept> cs) {
    return cs.stream().map(ResourceText::concept).collect(Collectors.joining("; "));
  }

  private static String coding(Coding c) {
    if (c == null || c.isEmpty()) return null;
    return c.getDisplay() != null ? c.getDisplay() : c.getCode();
  }

  private static String system(String uri) {
    if (uri == null) return "";
    if (uri.contains("snomed")) return "SNOMED";
    if (uri.contains("loinc")) return "LOINC";
    if (uri.contains("rxnorm")) return "RxNorm";
    if (uri.contains("cvx")) return "CVX";
    if (uri.contains("icd-10")) return "ICD-10";
    if (uri.contains("cpt")) return "CPT";
    int slash = uri.lastIndexOf('/');
    return slash >= 0 ? uri.substring(slash + 1) : uri;
  }

  private static String medication(Type m) {
    return m instanceof CodeableConcept c ? concept(c) : value(m);
  }

  private static String period(Period p) {
    if (p == null || p.isEmpty()) return null;
    String start = p.hasStart() ? p.getStartElement().getValueAsString() : "?";
    String end = p.hasEnd() ? p.getEndElement().getValueAsString() : "";
    return start + (end.isEmpty() ? "" : " to " + end);
  }

  private static String money(Money m) {
    if (m == null || !m.hasValue()) return null;
    return m.getValue().setScale(2, java.math.RoundingMode.HALF_UP)
        + " "
        + (m.hasCurrency() ? m.getCurrency() : "");
  }

  static String value(Type v) {
    if (v == null || v.isEmpty()) return null;
    if (v instanceof Quantity q) {
      BigDecimal n = q.getValue();
      return (n == null ? "" : n.stripTrailingZeros().toPlainString())
          + " "
          + (q.hasUnit() ? q.getUnit() : q.hasCode() ? q.getCode() : "");
    }
    if (v instanceof CodeableConcept c) return concept(c);
    if (v instanceof Period p) return period(p);
    if (v.isPrimitive()) return v.primitiveValue();
    return v.fhirType();
  }

  /** Plain-text attachments are printed; anything else is named. */
  private static String attachment(Attachment a) {
    if (a == null || a.isEmpty()) return null;
    String type = a.getContentType();
    if (a.hasData() && (type == null || type.startsWith("text/plain"))) {
      return new String(a.getData(), StandardCharsets.UTF_8);
    }
    return "attachment "
        + (type == null ? "" : type)
        + (a.hasTitle() ? " " + a.getTitle() : "")
        + " (not reproduced)";
  }
}
