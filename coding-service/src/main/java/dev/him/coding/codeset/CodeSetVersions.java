package dev.him.coding.codeset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Which release of a code system is in force on a day: the loaded release with the latest
 * effective_from on or before that day (and not past its effective_to). Coding uses the discharge
 * date; lookups default to today. Only completely loaded releases have a row, so a failed import
 * never changes the answer.
 */
@ApplicationScoped
public class CodeSetVersions {
  public static final String ICD10CM = "ICD-10-CM";
  public static final String ICD10CM_TABULAR = "ICD-10-CM-TABULAR";
  public static final String ICD10PCS = "ICD-10-PCS";
  public static final String HCPCS = "HCPCS";
  public static final String MCE = "MCE";
  public static final String MSDRG = "MS-DRG";

  @Inject EntityManager em;

  /** The release of {@code codeSystem} in force on {@code day}, if any is loaded. */
  public Optional<String> inForce(String codeSystem, LocalDate day) {
    List<?> rows =
        em.createNativeQuery(
                "select version from code_set_import where code_system = ?1"
                    + " and effective_from <= ?2 and (effective_to is null or effective_to >= ?2)"
                    + " order by effective_from desc limit 1")
            .setParameter(1, codeSystem)
            .setParameter(2, day)
            .getResultList();
    return rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.get(0));
  }

  /**
   * The latest loaded release of {@code codeSystem} effective on or before {@code day}, ignoring
   * effective_to: for lists that are kept in use until a newer one is loaded (MCE, MS-DRG, notes).
   */
  public Optional<String> latestOnOrBefore(String codeSystem, LocalDate day) {
    List<?> rows =
        em.createNativeQuery(
                "select version from code_set_import where code_system = ?1"
                    + " and effective_from <= ?2 order by effective_from desc limit 1")
            .setParameter(1, codeSystem)
            .setParameter(2, day)
            .getResultList();
    return rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.get(0));
  }

  /** Whether {@code version} of {@code codeSystem} is loaded completely. */
  public boolean isLoaded(String codeSystem, String version) {
    return !em.createNativeQuery(
            "select 1 from code_set_import where code_system = ?1 and version = ?2")
        .setParameter(1, codeSystem)
        .setParameter(2, version)
        .getResultList()
        .isEmpty();
  }
}
