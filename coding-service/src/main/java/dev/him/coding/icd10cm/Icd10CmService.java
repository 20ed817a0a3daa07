package dev.him.coding.icd10cm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Looks codes up in the loaded ICD-10-CM releases. */
@ApplicationScoped
public class Icd10CmService {

  @Inject EntityManager em;

  /**
   * The code in the newest loaded release that has it.
   *
   * @param code without the dot, upper case (see {@link Icd10CmCodes#normalize})
   */
  public Optional<Icd10CmCodeView> find(String code) {
    List<Object[]> rows =
        em.createQuery(
                "select c, i.effectiveFrom from Icd10CmCode c, CodeSetImport i"
                    + " where i.codeSystem = :system and i.version = c.key.codeSetVersion"
                    + " and c.key.code = :code order by i.effectiveFrom desc",
                Object[].class)
            .setParameter("system", Icd10CmCodes.CODE_SYSTEM)
            .setParameter("code", code)
            .setMaxResults(1)
            .getResultList();
    return rows.stream().findFirst().map(r -> view((Icd10CmCode) r[0], (LocalDate) r[1]));
  }

  private static Icd10CmCodeView view(Icd10CmCode c, LocalDate effectiveFrom) {
    return new Icd10CmCodeView(
        c.displayCode,
        c.key.code(),
        c.billable,
        c.shortDescription,
        c.longDescription,
        c.key.codeSetVersion(),
        effectiveFrom);
  }
}
