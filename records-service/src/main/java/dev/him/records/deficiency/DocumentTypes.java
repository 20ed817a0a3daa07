package dev.him.records.deficiency;

import dev.him.records.encounter.Chart;
import java.util.List;

/** Document type codes in the rules file: "18842-5" (LOINC) or "system|code". */
final class DocumentTypes {
  static final String LOINC = "http://loinc.org";

  private DocumentTypes() {}

  static boolean matches(List<String> wanted, List<Chart.Code> types) {
    for (String w : wanted) {
      int bar = w.indexOf('|');
      String system = bar < 0 ? LOINC : w.substring(0, bar);
      String code = bar < 0 ? w : w.substring(bar + 1);
      for (Chart.Code t : types) {
        // a coding without a system is taken as LOINC, the system of document types
        String ts = t.system() == null ? LOINC : t.system();
        if (code.equals(t.code()) && system.equals(ts)) return true;
      }
    }
    return false;
  }

  static void validate(String name, List<String> codes, boolean required) {
    if (codes == null || codes.isEmpty()) {
      if (required) {
        throw new IllegalArgumentException(name + ": at least one document type code is required");
      }
      return;
    }
    for (String c : codes) {
      if (c == null || c.isBlank() || c.endsWith("|")) {
        throw new IllegalArgumentException(name + ": \"" + c + "\" is not a code");
      }
    }
  }
}
