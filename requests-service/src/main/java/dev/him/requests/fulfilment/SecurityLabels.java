package dev.him.requests.fulfilment;

import dev.him.requests.legalbasis.SensitiveCategory;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

/**
 * The sensitive categories of a resource, from its meta.security labels (HL7 v3 ActCode
 * information-sensitivity codes, as records-service reads them). PSY is psychiatric information in
 * general (MENTAL_HEALTH); only PSYTHPN marks psychotherapy notes, which need an authorization of
 * their own. LEGALPROC is this platform's label for information compiled for legal proceedings (HL7
 * has no code for it).
 */
public final class SecurityLabels {
  static final Map<String, SensitiveCategory> CODES =
      Map.ofEntries(
          Map.entry("42CFRPart2", SensitiveCategory.SUBSTANCE_USE_DISORDER),
          Map.entry("SUD", SensitiveCategory.SUBSTANCE_USE_DISORDER),
          Map.entry("ETH", SensitiveCategory.SUBSTANCE_USE_DISORDER),
          Map.entry("PSYTHPN", SensitiveCategory.PSYCHOTHERAPY_NOTES),
          Map.entry("PSY", SensitiveCategory.MENTAL_HEALTH),
          Map.entry("MH", SensitiveCategory.MENTAL_HEALTH),
          Map.entry("HIV", SensitiveCategory.HIV),
          Map.entry("GDIS", SensitiveCategory.GENETIC),
          Map.entry("SEX", SensitiveCategory.REPRODUCTIVE_HEALTH),
          Map.entry("LEGALPROC", SensitiveCategory.LEGAL_PROCEEDINGS));

  private SecurityLabels() {}

  public static Set<SensitiveCategory> categoriesOf(Resource r) {
    Set<SensitiveCategory> found = EnumSet.noneOf(SensitiveCategory.class);
    for (Coding label : r.getMeta().getSecurity()) {
      SensitiveCategory c = label.hasCode() ? CODES.get(label.getCode()) : null;
      if (c != null) {
        found.add(c);
      }
    }
    return found;
  }
}
