package dev.him.coding.cases;

import dev.him.coding.codeset.CodeSetVersions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Picks the code-set releases a case is coded with, by its discharge day: the ICD-10-CM and
 * ICD-10-PCS releases in force that day ({@link CodeSetVersions#inForce}), the MCE lists and MS-DRG
 * table last effective on or before it. When none is (an encounter discharged before the oldest
 * loaded release, such as old Synthea data) the nearest loaded release is used and a note says so,
 * which the edits show as a NEAREST_RELEASE warning; with him.coding.nearest-release-fallback=false
 * there is no release and the edits say that instead.
 */
@ApplicationScoped
public class ReleaseChooser {
  @Inject CodeSetVersions versions;
  @Inject Sql sql;

  @ConfigProperty(name = "him.coding.nearest-release-fallback", defaultValue = "true")
  boolean nearestFallback;

  /**
   * The releases for one discharge day; null where nothing is loaded.
   *
   * @param notes per code system, why a release not in force on the day was taken
   */
  public record Releases(
      String icd10cm, String icd10pcs, String mce, String msDrg, Map<String, String> notes) {}

  public Releases choose(LocalDate day) {
    Map<String, String> notes = new LinkedHashMap<>();
    String cm =
        pick(CodeSetVersions.ICD10CM, day, versions.inForce(CodeSetVersions.ICD10CM, day), notes);
    String pcs =
        pick(CodeSetVersions.ICD10PCS, day, versions.inForce(CodeSetVersions.ICD10PCS, day), notes);
    String mce =
        pick(CodeSetVersions.MCE, day, versions.latestOnOrBefore(CodeSetVersions.MCE, day), notes);
    String drg =
        pick(
            CodeSetVersions.MSDRG,
            day,
            versions.latestOnOrBefore(CodeSetVersions.MSDRG, day),
            notes);
    return new Releases(cm, pcs, mce, drg, notes);
  }

  private String pick(
      String system, LocalDate day, Optional<String> inForce, Map<String, String> notes) {
    if (inForce.isPresent() || !nearestFallback) {
      return inForce.orElse(null);
    }
    Optional<String> nearest =
        sql.one(
            "select version from code_set_import where code_system = ?"
                + " order by abs(effective_from - cast(? as date)), effective_from desc limit 1",
            rs -> rs.getString(1),
            system,
            day);
    nearest.ifPresent(
        v ->
            notes.put(
                system,
                "No "
                    + system
                    + " release is in force on "
                    + day
                    + " (the discharge day); "
                    + v
                    + ", the nearest loaded release, was used instead."));
    return nearest.orElse(null);
  }
}
