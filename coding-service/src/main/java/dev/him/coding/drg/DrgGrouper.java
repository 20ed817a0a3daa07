package dev.him.coding.drg;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The seam for a real MS-DRG grouper. Grouping needs the CMS MS-DRG definitions (MDC assignment of
 * every principal diagnosis, the O.R. procedure lists, the surgical hierarchy, the CC/MCC lists and
 * CC exclusions), which are not in the shared data; so no grouper ships with the service and
 * nothing is guessed. A licensed or CMS grouper plugs in as a bean implementing this interface; an
 * external grouper can instead send its result to {@code PUT /api/coding/cases/{id}/drg}.
 */
public interface DrgGrouper {

  /** Shown as the DRG's source ("grouper:" + name). */
  String name();

  /**
   * Groups the case's codes, or empty when this grouper cannot (the default: no grouper). Called on
   * every save that carries no DRG from the coder.
   */
  Optional<String> group(Input input);

  /**
   * What a grouper reads: the codes, without dots, and the demographic facts.
   *
   * @param sex male, female or null
   * @param dischargeDisposition the encounter's discharge disposition code, if any
   */
  record Input(
      String drgVersion,
      LocalDate dischargedOn,
      Integer ageYears,
      String sex,
      String dischargeDisposition,
      String principalDiagnosis,
      List<Diagnosis> secondaryDiagnoses,
      List<String> procedures) {}

  record Diagnosis(String code, String poa) {}
}
