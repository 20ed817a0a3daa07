package dev.him.coding.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.LenientErrorHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Type;

/**
 * Reads and writes FHIR R4 JSON with HAPI for the terminology operations. A POSTed Parameters
 * resource becomes the same name-to-values map as a query string, so both forms go through one set
 * of checks; a Coding value (the {@code coding} parameter) gives system, code, version, display.
 */
final class FhirParameters {
  static final String FHIR_JSON = "application/fhir+json";
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final ObjectMapper JSON = new ObjectMapper();

  private FhirParameters() {}

  static String write(IBaseResource resource) {
    return FHIR.newJsonParser().encodeResourceToString(resource);
  }

  /** The parameters of a POSTed Parameters resource, by name; 400 naming what is wrong. */
  static Map<String, List<String>> read(byte[] body) {
    String text = body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8);
    if (text.isBlank()) {
      throw invalid("Empty body", "Parameters", "a Parameters resource is required");
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String where =
          loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new ProblemException(400, "Invalid resource", "Malformed JSON" + where, List.of());
    }
    if (tree == null
        || !tree.isObject()
        || !"Parameters".equals(tree.path("resourceType").asText())) {
      throw invalid("Wrong resourceType", "resourceType", "must be \"Parameters\"");
    }
    Parameters parameters;
    try {
      parameters =
          FHIR.newJsonParser()
              .setParserErrorHandler(new LenientErrorHandler(false).setErrorOnInvalidValue(true))
              .parseResource(Parameters.class, text);
    } catch (DataFormatException e) {
      String reason =
          e.getMessage() == null ? "invalid" : e.getMessage().replaceFirst("^HAPI-\\d+: ", "");
      throw invalid("The Parameters resource is not valid FHIR R4", "Parameters", reason);
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Parameters.ParametersParameterComponent p : parameters.getParameter()) {
      String name = p.getName();
      if (name == null || name.isBlank()) {
        throw invalid("A parameter has no name", "Parameters.parameter.name", "is required");
      }
      Type value = p.getValue();
      if (value instanceof Coding coding) {
        put(out, "system", coding.getSystem());
        put(out, "code", coding.getCode());
        put(out, "version", coding.getVersion());
        if (coding.getDisplay() != null) put(out, "display", coding.getDisplay());
      } else if (value instanceof PrimitiveType<?> primitive) {
        out.computeIfAbsent(name, n -> new ArrayList<>()).add(primitive.getValueAsString());
      } else {
        throw invalid(
            "Unsupported parameter value",
            name,
            "needs a simple value (valueUri, valueCode, valueString, valueDate, valueInteger...)");
      }
    }
    return out;
  }

  private static void put(Map<String, List<String>> out, String name, String value) {
    if (value != null) out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
  }

  private static ProblemException invalid(String detail, String field, String reason) {
    return new ProblemException(
        400, "Invalid resource", detail, List.of(new InvalidParam(field, reason)));
  }
}
