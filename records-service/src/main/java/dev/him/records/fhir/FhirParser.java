package dev.him.records.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Parses and writes FHIR R4 JSON with HAPI. Parsing is strict: malformed JSON, a wrong
 * resourceType, an unknown element or an invalid value is refused with every offending field named
 * (as FHIRPath expressions in the OperationOutcome).
 */
@ApplicationScoped
public class FhirParser {
  private final FhirContext fhir = FhirContext.forR4Cached();

  @Inject ObjectMapper json;

  public <T extends IBaseResource> T parse(String body, Class<T> type) {
    String expected = fhir.getResourceType(type);
    if (body == null || body.isBlank()) {
      throw invalid(
          "Empty body",
          List.of(new InvalidParam(expected, "a " + expected + " resource is required")));
    }
    JsonNode tree;
    try {
      tree = json.readTree(body);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String where =
          loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw invalid("Malformed JSON" + where, List.of());
    }
    if (tree == null || !tree.isObject()) {
      throw invalid("The body must be a JSON object", List.of());
    }
    JsonNode resourceType = tree.get("resourceType");
    if (resourceType == null || !resourceType.isTextual()) {
      throw invalid(
          "resourceType is missing",
          List.of(new InvalidParam("resourceType", "must be \"" + expected + "\"")));
    }
    if (!expected.equals(resourceType.asText())) {
      throw invalid(
          "Wrong resourceType",
          List.of(
              new InvalidParam(
                  "resourceType",
                  "expected \"" + expected + "\" but found \"" + resourceType.asText() + "\"")));
    }
    CollectingErrorHandler errors = new CollectingErrorHandler(expected);
    IParser parser = fhir.newJsonParser().setParserErrorHandler(errors);
    T resource;
    try {
      resource = parser.parseResource(type, body);
    } catch (DataFormatException e) {
      errors.add(expected, stripCode(e.getMessage()));
      resource = null;
    }
    if (!errors.issues.isEmpty()) {
      throw invalid("The " + expected + " is not valid FHIR R4", errors.issues);
    }
    return resource;
  }

  public String write(IBaseResource resource) {
    return fhir.newJsonParser().encodeResourceToString(resource);
  }

  public FhirContext context() {
    return fhir;
  }

  private static ProblemException invalid(String detail, List<InvalidParam> issues) {
    return new ProblemException(400, "Invalid resource", detail, issues);
  }

  /** HAPI prefixes messages with its own codes ("HAPI-1821: "); callers do not need those. */
  static String stripCode(String message) {
    return message == null ? "invalid content" : message.replaceFirst("^HAPI-\\d+: ", "");
  }

  /** Records every problem the parser reports instead of stopping at the first or logging it. */
  static final class CollectingErrorHandler implements IParserErrorHandler {
    private final String root;
    final List<InvalidParam> issues = new ArrayList<>();

    CollectingErrorHandler(String root) {
      this.root = root;
    }

    void add(String path, String reason) {
      issues.add(new InvalidParam(path, reason));
    }

    private String path(IParseLocation location, String element) {
      String parent = location == null ? null : location.getParentElementName();
      StringBuilder p = new StringBuilder(root);
      if (parent != null && !parent.isBlank() && !parent.equals(root)) {
        p.append('.').append(parent);
      }
      if (element != null && !element.isBlank()) {
        p.append('.').append(element);
      }
      return p.toString();
    }

    @Override
    public void containedResourceWithNoId(IParseLocation location) {
      add(path(location, "contained"), "a contained resource has no id");
    }

    @Override
    public void incorrectJsonType(
        IParseLocation location,
        String elementName,
        ValueType expected,
        ScalarType expectedScalar,
        ValueType found,
        ScalarType foundScalar) {
      add(
          path(location, elementName),
          "expected a JSON "
              + describe(expected, expectedScalar)
              + " but found "
              + describe(found, foundScalar));
    }

    private static String describe(ValueType type, ScalarType scalar) {
      if (type == ValueType.SCALAR && scalar != null) {
        return scalar.name().toLowerCase();
      }
      return type == null ? "value" : type.name().toLowerCase();
    }

    @Override
    public void invalidValue(IParseLocation location, String value, String error) {
      add(path(location, null), stripCode(error));
    }

    @Override
    public void missingRequiredElement(IParseLocation location, String elementName) {
      add(path(location, elementName), "is required");
    }

    @Override
    public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
      add(path(location, elementName), "may appear only once");
    }

    @Override
    public void unknownAttribute(IParseLocation location, String attributeName) {
      add(path(location, attributeName), "is not an element of " + root);
    }

    @Override
    public void unknownElement(IParseLocation location, String elementName) {
      add(path(location, elementName), "is not an element of " + root);
    }

    @Override
    public void unknownReference(IParseLocation location, String reference) {
      add(path(location, null), "unknown reference " + reference);
    }

    @Override
    public void invalidInternalReference(IParseLocation location, String reference) {
      add(path(location, null), "reference " + reference + " points to nothing in this resource");
    }

    @Override
    public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
      add(path(location, "extension"), "an extension has both a value and nested extensions");
    }
  }
}
