package dev.him.records.document;

import dev.him.records.encounter.References;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Reference;

/**
 * The signing convention: a DocumentReference is signed (authenticated) when it names an
 * authenticator, its docStatus is final (or amended, a final document corrected later) and it is
 * current. Preliminary documents, and documents without an authenticator, are unsigned.
 */
public final class Signing {
  static final String LOINC = "http://loinc.org";
  private static final Set<String> FINAL = Set.of("final", "amended");

  private Signing() {}

  public static boolean isSigned(DocumentReference d) {
    boolean current =
        !d.hasStatus()
            || d.getStatus() == org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus.CURRENT;
    return current
        && d.hasAuthenticator()
        && d.getAuthenticator().hasReference()
        && d.hasDocStatus()
        && FINAL.contains(d.getDocStatus().toCode());
  }

  /** Who signed: the Practitioner id, or the whole reference when it is not a Practitioner. */
  public static String signer(DocumentReference d) {
    Reference a = d.getAuthenticator();
    String practitioner = References.idOf(a, "Practitioner");
    return practitioner != null ? practitioner : a.getReference();
  }

  /** The first Practitioner among the authors, who answers for an unsigned document. */
  public static String author(DocumentReference d) {
    for (Reference a : d.getAuthor()) {
      String id = References.idOf(a, "Practitioner");
      if (id != null) return id;
    }
    return null;
  }

  /** The LOINC code of the document type (first LOINC coding, else the first code given). */
  public static String typeCode(DocumentReference d) {
    String first = null;
    for (Coding c : d.getType().getCoding()) {
      if (!c.hasCode()) continue;
      if (LOINC.equals(c.getSystem())) return c.getCode();
      if (first == null) first = c.getCode();
    }
    return first;
  }
}
