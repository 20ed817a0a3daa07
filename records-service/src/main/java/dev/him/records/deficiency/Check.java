package dev.him.records.deficiency;

import dev.him.records.encounter.Chart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A kind of rule: its record components are the rule's parameters, bound from the rules file, and
 * {@link #find} is its evaluator. A new rule of an existing kind is a change to the rules file; a
 * new kind is a new record here and a line in {@link #KINDS}.
 */
public sealed interface Check {
  Map<String, Class<? extends Check>> KINDS =
      Map.of(
          "required-document", RequiredDocument.class,
          "unsigned-document", UnsignedDocument.class,
          "required-participant", RequiredParticipant.class,
          "period-order", PeriodOrder.class,
          "required-diagnosis", RequiredDiagnosis.class);

  /** What this rule finds on an active chart of an encounter class it applies to. */
  List<Finding> find(Chart chart);

  /** Refuses missing or meaningless parameters, naming them (at startup). */
  default void validate() {}

  /**
   * A document of one of these types must be present and current (not superseded or entered in
   * error). Whether it is signed is the unsigned-document rule's business.
   *
   * @param documentTypes LOINC codes ("18842-5"), or "system|code" for other systems
   */
  record RequiredDocument(List<String> documentTypes) implements Check {
    @Override
    public List<Finding> find(Chart chart) {
      boolean present =
          chart.documents().stream()
              .anyMatch(d -> d.current() && DocumentTypes.matches(documentTypes, d.types()));
      return present ? List.of() : List.of(new Finding(null, chart.attendingPractitionerId()));
    }

    @Override
    public void validate() {
      DocumentTypes.validate("documentTypes", documentTypes, true);
    }
  }

  /**
   * Each current document (of these types; every type when none are given) that is not signed, in
   * its author's queue (the attending's when it names no Practitioner author).
   */
  record UnsignedDocument(List<String> documentTypes) implements Check {
    @Override
    public List<Finding> find(Chart chart) {
      List<Finding> out = new ArrayList<>();
      for (Chart.Document d : chart.documents()) {
        boolean typed =
            documentTypes == null
                || documentTypes.isEmpty()
                || DocumentTypes.matches(documentTypes, d.types());
        if (d.current() && typed && !d.signed()) {
          String who =
              d.authorPractitionerId() != null
                  ? d.authorPractitionerId()
                  : chart.attendingPractitionerId();
          out.add(new Finding(d.id(), who));
        }
      }
      return out;
    }

    @Override
    public void validate() {
      DocumentTypes.validate("documentTypes", documentTypes, false);
    }
  }

  /**
   * A Practitioner participant of one of these types (ATND for the attending) must be named. Goes
   * to the unassigned queue: there is nobody to give it to.
   *
   * @param untypedParticipantCounts a Practitioner participant without a type satisfies it too (for
   *     senders such as Synthea that do not type participants)
   */
  record RequiredParticipant(List<String> participantTypes, Boolean untypedParticipantCounts)
      implements Check {
    @Override
    public List<Finding> find(Chart chart) {
      boolean untyped = Boolean.TRUE.equals(untypedParticipantCounts);
      boolean present =
          chart.participants().stream()
              .anyMatch(
                  p ->
                      p.practitionerId() != null
                          && (p.types().stream().anyMatch(participantTypes::contains)
                              || (untyped && p.types().isEmpty())));
      return present ? List.of() : List.of(new Finding(null, null));
    }

    @Override
    public void validate() {
      if (participantTypes == null
          || participantTypes.isEmpty()
          || participantTypes.stream().anyMatch(t -> t == null || t.isBlank())) {
        throw new IllegalArgumentException(
            "participantTypes: at least one participant type code is required (ATND)");
      }
    }
  }

  /** The encounter must not end before it starts (discharge before admission). */
  record PeriodOrder() implements Check {
    @Override
    public List<Finding> find(Chart chart) {
      boolean reversed =
          chart.admittedAt() != null
              && chart.endedAt() != null
              && chart.endedAt().isBefore(chart.admittedAt());
      return reversed ? List.of(new Finding(null, chart.attendingPractitionerId())) : List.of();
    }
  }

  /** At least one diagnosis: Encounter.diagnosis, or a Condition whose encounter this is. */
  record RequiredDiagnosis() implements Check {
    @Override
    public List<Finding> find(Chart chart) {
      return chart.diagnoses().isEmpty()
          ? List.of(new Finding(null, chart.attendingPractitionerId()))
          : List.of();
    }
  }
}
