package dev.him.records.encounter;

import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;

/** Reads the id out of a literal reference ("Encounter/abc", a full URL, or a versioned one). */
public final class References {
  private References() {}

  /**
   * The id of the {@code type} resource the reference points to, or null if it points elsewhere.
   */
  public static String idOf(Reference ref, String type) {
    if (ref == null || !ref.hasReference()) {
      return null;
    }
    String value = ref.getReference();
    if (value.startsWith("urn:") || value.startsWith("#")) {
      return null;
    }
    IdType id = new IdType(value);
    return type.equals(id.getResourceType()) && id.hasIdPart() ? id.getIdPart() : null;
  }
}
