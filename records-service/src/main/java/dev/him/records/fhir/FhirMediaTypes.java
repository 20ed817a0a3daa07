package dev.him.records.fhir;

/** Media types of the FHIR REST API. */
public final class FhirMediaTypes {
  public static final String FHIR_JSON = "application/fhir+json";

  private FhirMediaTypes() {}
}
