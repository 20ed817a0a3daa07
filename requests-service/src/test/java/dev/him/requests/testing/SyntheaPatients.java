package dev.him.requests.testing;

import static org.junit.jupiter.api.Assertions.fail;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Assumptions;

/**
 * Real Synthea patients from ../shared/data/synthea/fhir-r4 (never copied into the project), as
 * records-service would serve them: each resource gets the id of its urn:uuid and references
 * between them become Type/id. A test that needs a missing file fails when CI=true and is skipped,
 * with the reason, elsewhere.
 */
public final class SyntheaPatients {
  /** The largest patient in the shared data: 304 entries. */
  public static final String LARGEST = "Cary_OHara_e39beddb-dcad-4762-a3ca-b671a92a5f2d.json";

  public static final String SMALL = "Bill_Reinger_0bfeda65-c8ac-4dd7-a46c-d69e665996d4.json";

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Map<String, String> FILES = new ConcurrentHashMap<>();

  /** A patient and their record. */
  public record Loaded(Patient patient, List<Resource> record) {
    public String patientId() {
      return patient.getIdElement().getIdPart();
    }

    /** Makes it known to the records-service stand-in. */
    public Loaded serve() {
      RecordsServiceStub.put(patient, record);
      return this;
    }
  }

  private SyntheaPatients() {}

  /** A fresh copy (the caller may change it) of a patient in the shared data. */
  public static Loaded load(String file) {
    String json = FILES.computeIfAbsent(file, SyntheaPatients::read);
    Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, json);
    Map<String, String> byUrn = new HashMap<>();
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      Resource r = e.getResource();
      String id =
          e.getFullUrl() != null && e.getFullUrl().startsWith("urn:uuid:")
              ? e.getFullUrl().substring("urn:uuid:".length())
              : r.getIdElement().getIdPart();
      r.setId(r.fhirType() + "/" + id);
      if (e.getFullUrl() != null) {
        byUrn.put(e.getFullUrl(), r.fhirType() + "/" + id);
      }
    }
    Patient patient = null;
    List<Resource> record = new ArrayList<>();
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      Resource r = e.getResource();
      for (Reference ref :
          FHIR.newTerser().getAllPopulatedChildElementsOfType(r, Reference.class)) {
        String target = ref.getReference();
        if (target != null && byUrn.containsKey(target)) {
          ref.setReference(byUrn.get(target));
        }
      }
      r.setIdElement(r.getIdElement().toUnqualifiedVersionless());
      if (r instanceof Patient p) {
        patient = p;
      } else {
        record.add(r);
      }
    }
    return new Loaded(patient, record);
  }

  private static String read(String name) {
    Path file =
        Path.of(System.getProperty("him.shared.data", "../../shared/data"))
            .resolve("synthea/fhir-r4")
            .resolve(name);
    if (!Files.isRegularFile(file)) {
      String message =
          "Synthea file "
              + file.toAbsolutePath().normalize()
              + " is missing; put the shared data at ../shared/data next to the project or pass"
              + " -Dhim.shared.data=<folder>";
      if ("true".equals(System.getenv("CI"))) {
        fail(message + " (CI=true: the reference data must be present)");
      }
      Assumptions.assumeTrue(false, message + "; skipping this test");
    }
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
