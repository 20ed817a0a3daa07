package dev.him.coding.terminology;

import dev.him.coding.codeset.CodeSetVersions;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The code systems this service looks up and searches: how each is named in the API path, in
 * code_set_import and in FHIR, and how its codes are written.
 */
public enum CodeSystemId {
  /** Diagnoses (CDC/NCHS). Codes are written with a dot after the third character: E11.9. */
  ICD10CM(
      "icd10cm",
      CodeSetVersions.ICD10CM,
      "http://hl7.org/fhir/sid/icd-10-cm",
      // a letter, a digit, a letter or digit, then up to four letters or digits (dot after 3rd)
      Pattern.compile("[A-Z][0-9][A-Z0-9](?:[A-Z0-9]{1,4})?"),
      Pattern.compile("[A-Z][0-9][A-Z0-9]{0,5}"),
      "a letter, a digit, a letter or digit, then up to 4 letters or digits, a dot allowed after"
          + " the third (E11.9)"),
  /** Inpatient procedures (CMS): always seven characters, digits and letters other than I and O. */
  ICD10PCS(
      "icd10pcs",
      CodeSetVersions.ICD10PCS,
      "http://www.cms.gov/Medicare/Coding/ICD10",
      Pattern.compile("[0-9A-HJ-NP-Z]{7}"),
      Pattern.compile("[0-9A-HJ-NP-Z]{2,7}"),
      "seven characters, digits and letters other than I and O (0DTJ4ZZ)"),
  /** HCPCS Level II (CMS): a letter and four digits (J1100), or a two-character modifier (LT). */
  HCPCS(
      "hcpcs",
      CodeSetVersions.HCPCS,
      "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
      Pattern.compile("[A-Z][0-9]{4}|[A-Z0-9]{2}"),
      Pattern.compile("[A-Z0-9]{2,5}"),
      "a letter and four digits (J1100), or a two-character modifier (LT)");

  private final String path;
  private final String codeSystem;
  private final String fhirUrl;
  private final Pattern shape;
  private final Pattern prefixShape;
  private final String shapeText;

  CodeSystemId(
      String path,
      String codeSystem,
      String fhirUrl,
      Pattern shape,
      Pattern prefixShape,
      String shapeText) {
    this.path = path;
    this.codeSystem = codeSystem;
    this.fhirUrl = fhirUrl;
    this.shape = shape;
    this.prefixShape = prefixShape;
    this.shapeText = shapeText;
  }

  /** The name in API paths: /api/coding/{path}/... */
  public String path() {
    return path;
  }

  /** The name in code_set_import.code_system and in responses (ICD-10-CM). */
  public String codeSystem() {
    return codeSystem;
  }

  /** The FHIR code system URI; its implicit value set is this plus {@code ?fhir_vs}. */
  public String fhirUrl() {
    return fhirUrl;
  }

  /** What a code of this system looks like, for error messages. */
  public String shapeText() {
    return shapeText;
  }

  public static Optional<CodeSystemId> fromPath(String path) {
    for (CodeSystemId s : values()) {
      if (s.path.equals(path)) return Optional.of(s);
    }
    return Optional.empty();
  }

  public static Optional<CodeSystemId> fromFhirUrl(String url) {
    for (CodeSystemId s : values()) {
      if (s.fhirUrl.equals(url)) return Optional.of(s);
    }
    return Optional.empty();
  }

  /**
   * The code as stored (no dot, upper case) when {@code input} is a whole code of this system:
   * "e11.9" gives E119. The dot is accepted only where ICD-10-CM writes it.
   */
  public Optional<String> normalize(String input) {
    String bare = withoutDot(input);
    return bare != null && shape.matcher(bare).matches() ? Optional.of(bare) : Optional.empty();
  }

  /**
   * The code prefix a search term stands for, when it can be one: at least two characters of which
   * one is a digit ("E11", "e11.6", "0DT", "J1"), so that plain words are not read as codes.
   */
  public Optional<String> codePrefix(String input) {
    String bare = withoutDot(input);
    if (bare == null || bare.length() < 2 || !prefixShape.matcher(bare).matches()) {
      return Optional.empty();
    }
    for (int i = 0; i < bare.length(); i++) {
      if (Character.isDigit(bare.charAt(i))) return Optional.of(bare);
    }
    return Optional.empty();
  }

  /** The code as people write it: E11.9 for ICD-10-CM, unchanged for the others. */
  public String display(String code) {
    return this == ICD10CM && code.length() > 3
        ? code.substring(0, 3) + "." + code.substring(3)
        : code;
  }

  /** Upper case without the dot; null when a dot is anywhere but where ICD-10-CM puts it. */
  private String withoutDot(String input) {
    if (input == null) return null;
    String s = input.strip().toUpperCase(Locale.ROOT);
    int dot = s.indexOf('.');
    if (dot < 0) return s;
    if (this != ICD10CM || dot != 3 || s.length() == 4 || s.indexOf('.', dot + 1) >= 0) {
      return null;
    }
    return s.substring(0, 3) + s.substring(4);
  }
}
