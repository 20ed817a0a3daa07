package dev.him.coding.fhir;

import static dev.him.coding.fhir.FhirParameters.FHIR_JSON;

import dev.him.coding.lookup.CodeDetails;
import dev.him.coding.lookup.CodeLookup;
import dev.him.coding.search.CodeIndex;
import dev.him.coding.search.CodeIndexes;
import dev.him.coding.terminology.CodeSystemId;
import dev.him.coding.terminology.Params;
import dev.him.coding.terminology.ReleaseRef;
import dev.him.coding.terminology.Releases;
import dev.him.common.access.Roles;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * FHIR R4 terminology operations for other systems, over the same releases and index as the coding
 * API: CodeSystem/$lookup, CodeSystem/$validate-code and ValueSet/$expand of a code system's
 * implicit value set, for ICD-10-CM (http://hl7.org/fhir/sid/icd-10-cm) and ICD-10-PCS
 * (http://www.cms.gov/Medicare/Coding/ICD10). Each takes GET query parameters or a POSTed
 * Parameters resource; errors are OperationOutcomes naming the parameter.
 */
@Path("/fhir/r4")
@Produces({FHIR_JSON, MediaType.APPLICATION_JSON})
@Tag(
    name = "FHIR terminology",
    description = "CodeSystem/$lookup, $validate-code, ValueSet/$expand")
// every operation: the readers of code sets, and the systems that validate codes
@RolesAllowed({
  Roles.CODER,
  Roles.CLERK,
  Roles.CLINICIAN,
  Roles.ROI,
  Roles.PRIVACY,
  Roles.ADMIN,
  Roles.HOSPITAL_SYSTEM,
  Roles.PLATFORM_SERVICE
})
public class TerminologyOperations {
  static final String DESIGNATION_USE = "http://him.dev/fhir/CodeSystem/designation-use";
  static final Set<String> LOOKUP =
      Set.of("system", "code", "version", "date", "property", "displayLanguage");
  static final Set<String> VALIDATE =
      Set.of("url", "system", "code", "version", "date", "display", "displayLanguage");
  static final Set<String> EXPAND =
      Set.of("url", "filter", "count", "offset", "version", "date", "displayLanguage");
  static final String READERS =
      " Roles: coder, him-clerk, clinician, roi-specialist, privacy-officer, him-admin,"
          + " hospital-system, platform-service.";

  @Inject Releases releases;
  @Inject CodeLookup lookup;
  @Inject CodeIndexes indexes;
  @Context UriInfo uri;

  // ---------------------------------------------------------------- $lookup

  @GET
  @Path("CodeSystem/$lookup")
  @Operation(
      summary = "CodeSystem/$lookup",
      description =
          "system (ICD-10-CM or ICD-10-PCS URI) and code, optionally version or date (default: the"
              + " release in force today). Returns Parameters: name, version, display, designation"
              + " (short description), property parent/child (ICD-10-CM) and billable."
              + READERS)
  @APIResponse(responseCode = "200", description = "Parameters")
  @APIResponse(responseCode = "400", description = "OperationOutcome naming the parameter")
  @APIResponse(responseCode = "404", description = "Unknown code or version (OperationOutcome)")
  public Response lookupGet() {
    return lookup(Params.of(uri.getQueryParameters(), LOOKUP));
  }

  @POST
  @Path("CodeSystem/$lookup")
  @Consumes({FHIR_JSON, MediaType.APPLICATION_JSON})
  @Operation(
      summary = "CodeSystem/$lookup (Parameters body)",
      description =
          "As the GET form, with the parameters (or a coding) in a Parameters body." + READERS)
  public Response lookupPost(byte[] body) {
    return lookup(Params.of(FhirParameters.read(body), LOOKUP));
  }

  private Response lookup(Params p) {
    CodeSystemId system = system(p, "system");
    String code = p.required("code", "the code to look up");
    String normalized =
        system
            .normalize(code)
            .orElseThrow(
                () ->
                    ProblemException.badRequest(
                        "code",
                        "is not an " + system.codeSystem() + " code: " + system.shapeText()));
    List<String> wanted =
        p.single("property") == null ? null : List.of(p.single("property").split(","));
    ReleaseRef release = releases.resolve(system, p.single("version"), p.single("date"));
    CodeDetails c =
        lookup
            .find(release, normalized, false)
            .orElseThrow(() -> notFound("code", system, code, release));

    Parameters out = new Parameters();
    out.addParameter().setName("name").setValue(new StringType(system.codeSystem()));
    out.addParameter().setName("version").setValue(new StringType(release.version()));
    out.addParameter().setName("display").setValue(new StringType(c.longDescription()));
    if (!c.shortDescription().equals(c.longDescription())) {
      Parameters.ParametersParameterComponent d = out.addParameter().setName("designation");
      d.addPart().setName("language").setValue(new CodeType("en-US"));
      d.addPart()
          .setName("use")
          .setValue(new Coding(DESIGNATION_USE, "short", "Short description"));
      d.addPart().setName("value").setValue(new StringType(c.shortDescription()));
    }
    if (c.parent() != null && wants(wanted, "parent")) {
      property(out, "parent", new CodeType(c.parent().code()));
    }
    if (c.children() != null && wants(wanted, "child")) {
      for (CodeDetails.CodeRef child : c.children()) {
        property(out, "child", new CodeType(child.code()));
      }
    }
    if (wants(wanted, "billable")) property(out, "billable", new BooleanType(c.billable()));
    return fhir(out);
  }

  private static boolean wants(List<String> wanted, String property) {
    return wanted == null || wanted.stream().map(String::strip).anyMatch(property::equals);
  }

  private static void property(Parameters out, String code, org.hl7.fhir.r4.model.Type value) {
    Parameters.ParametersParameterComponent p = out.addParameter().setName("property");
    p.addPart().setName("code").setValue(new CodeType(code));
    p.addPart().setName("value").setValue(value);
  }

  // ---------------------------------------------------------------- $validate-code

  @GET
  @Path("CodeSystem/$validate-code")
  @Operation(
      summary = "CodeSystem/$validate-code",
      description =
          "url (or system) and code, optionally display, version or date. Returns Parameters:"
              + " result (false for a code not in the release, or a display that is neither its"
              + " long nor its short description), message, display."
              + READERS)
  @APIResponse(responseCode = "200", description = "Parameters with result")
  @APIResponse(responseCode = "400", description = "OperationOutcome naming the parameter")
  @APIResponse(responseCode = "404", description = "Unknown version (OperationOutcome)")
  public Response validateGet() {
    return validate(Params.of(uri.getQueryParameters(), VALIDATE));
  }

  @POST
  @Path("CodeSystem/$validate-code")
  @Consumes({FHIR_JSON, MediaType.APPLICATION_JSON})
  @Operation(
      summary = "CodeSystem/$validate-code (Parameters body)",
      description =
          "As the GET form, with the parameters (or a coding) in a Parameters body." + READERS)
  public Response validatePost(byte[] body) {
    return validate(Params.of(FhirParameters.read(body), VALIDATE));
  }

  private Response validate(Params p) {
    if (p.single("url") != null
        && p.single("system") != null
        && !p.single("url").equals(p.single("system"))) {
      throw ProblemException.badRequest("system", "differs from url; give one of them");
    }
    CodeSystemId system = system(p, p.single("url") != null ? "url" : "system");
    String code = p.required("code", "the code to validate");
    String display = p.single("display");
    ReleaseRef release = releases.resolve(system, p.single("version"), p.single("date"));
    Optional<CodeDetails> found =
        system.normalize(code).flatMap(c -> lookup.find(release, c, false));

    Parameters out = new Parameters();
    if (found.isEmpty()) {
      out.addParameter().setName("result").setValue(new BooleanType(false));
      out.addParameter()
          .setName("message")
          .setValue(
              new StringType(
                  "The code "
                      + code
                      + " is not a valid "
                      + system.codeSystem()
                      + " code in "
                      + release.version()));
      return fhir(out);
    }
    CodeDetails c = found.get();
    boolean displayOk =
        display == null
            || sameText(display, c.longDescription())
            || sameText(display, c.shortDescription());
    out.addParameter().setName("result").setValue(new BooleanType(displayOk));
    if (!displayOk) {
      out.addParameter()
          .setName("message")
          .setValue(
              new StringType(
                  "The display \""
                      + display
                      + "\" is not a display of "
                      + c.code()
                      + " in "
                      + system.codeSystem()
                      + " "
                      + release.version()
                      + "; it is \""
                      + c.longDescription()
                      + "\""));
    } else if (!c.billable()) {
      out.addParameter()
          .setName("message")
          .setValue(
              new StringType(
                  c.code()
                      + " is a valid "
                      + system.codeSystem()
                      + " code but a header: it may not be reported (not billable)"));
    }
    out.addParameter().setName("display").setValue(new StringType(c.longDescription()));
    return fhir(out);
  }

  private static boolean sameText(String a, String b) {
    return a.strip().replaceAll("\\s+", " ").equalsIgnoreCase(b.strip().replaceAll("\\s+", " "));
  }

  // ---------------------------------------------------------------- $expand

  @GET
  @Path("ValueSet/$expand")
  @Operation(
      summary = "ValueSet/$expand of a code system's implicit value set",
      description =
          "url = http://hl7.org/fhir/sid/icd-10-cm?fhir_vs (or the ICD-10-PCS one), filter (the"
              + " same matching and ranking as the coding search; without it every code in the"
              + " release's order), count (0 to 1000, default 20), offset (0 to 10000), version or"
              + " date. Returns a ValueSet with expansion.total, offset and contains (abstract true"
              + " for non-billable headers)."
              + READERS)
  @APIResponse(responseCode = "200", description = "ValueSet with its expansion")
  @APIResponse(responseCode = "400", description = "OperationOutcome naming the parameter")
  @APIResponse(responseCode = "404", description = "Unknown version (OperationOutcome)")
  public Response expandGet() {
    return expand(Params.of(uri.getQueryParameters(), EXPAND));
  }

  @POST
  @Path("ValueSet/$expand")
  @Consumes({FHIR_JSON, MediaType.APPLICATION_JSON})
  @Operation(
      summary = "ValueSet/$expand (Parameters body)",
      description = "As the GET form, with the parameters in a Parameters body." + READERS)
  public Response expandPost(byte[] body) {
    return expand(Params.of(FhirParameters.read(body), EXPAND));
  }

  private Response expand(Params p) {
    String url =
        p.required(
            "url",
            "the implicit value set of a code system, e.g. "
                + CodeSystemId.ICD10CM.fhirUrl()
                + "?fhir_vs");
    String base = url.endsWith("?fhir_vs") ? url.substring(0, url.length() - 8) : url;
    CodeSystemId system =
        served(base)
            .orElseThrow(
                () ->
                    ProblemException.badRequest(
                        "url",
                        "only the implicit value sets of ICD-10-CM ("
                            + CodeSystemId.ICD10CM.fhirUrl()
                            + "?fhir_vs) and ICD-10-PCS ("
                            + CodeSystemId.ICD10PCS.fhirUrl()
                            + "?fhir_vs) are expanded here"));
    String filter = p.single("filter");
    int count = p.integer("count", 20, 0, 1000);
    int offset = p.integer("offset", 0, 0, 10_000);
    ReleaseRef release = releases.resolve(system, p.single("version"), p.single("date"));
    CodeIndex index = indexes.get(release);

    int total;
    int[] docs;
    if (filter != null) {
      if (filter.length() > 200) {
        throw ProblemException.badRequest("filter", "must be at most 200 characters");
      }
      CodeIndex.Result r = index.search(filter, null, offset, count);
      total = r.total();
      docs = r.docs();
    } else {
      total = index.size();
      int from = Math.min(offset, total);
      int to = Math.min(total, offset + count);
      docs = new int[to - from];
      for (int i = from; i < to; i++) docs[i - from] = i;
    }

    ValueSet vs = new ValueSet();
    vs.setUrl(system.fhirUrl() + "?fhir_vs");
    vs.setStatus(Enumerations.PublicationStatus.ACTIVE);
    vs.setName(system.codeSystem().replace("-", "") + "All");
    vs.setTitle("All " + system.codeSystem() + " codes, " + release.version());
    ValueSet.ValueSetExpansionComponent e = vs.getExpansion();
    e.setIdentifier("urn:uuid:" + UUID.randomUUID());
    e.setTimestamp(new Date());
    e.setTotal(total);
    e.setOffset(offset);
    if (filter != null) e.addParameter().setName("filter").setValue(new StringType(filter));
    e.addParameter().setName("count").setValue(new IntegerType(count));
    e.addParameter().setName("offset").setValue(new IntegerType(offset));
    e.addParameter()
        .setName("version")
        .setValue(new UriType(system.fhirUrl() + "|" + release.version()));
    for (int doc : docs) {
      String code = index.code(doc);
      ValueSet.ValueSetExpansionContainsComponent c =
          e.addContains()
              .setSystem(system.fhirUrl())
              .setVersion(release.version())
              .setCode(system.display(code))
              .setDisplay(index.longDescription(doc));
      if (!index.billable(doc)) c.setAbstract(true);
    }
    return fhir(vs);
  }

  // ---------------------------------------------------------------- helpers

  /** The code system a FHIR URI names, if this service serves it over FHIR. */
  private static Optional<CodeSystemId> served(String url) {
    return CodeSystemId.fromFhirUrl(url)
        .filter(s -> s == CodeSystemId.ICD10CM || s == CodeSystemId.ICD10PCS);
  }

  private static CodeSystemId system(Params p, String name) {
    String url = p.required(name, "the code system URI, e.g. " + CodeSystemId.ICD10CM.fhirUrl());
    return served(url)
        .orElseThrow(
            () ->
                ProblemException.badRequest(
                    name,
                    "is not a code system served here; use "
                        + CodeSystemId.ICD10CM.fhirUrl()
                        + " (ICD-10-CM) or "
                        + CodeSystemId.ICD10PCS.fhirUrl()
                        + " (ICD-10-PCS)"));
  }

  private static ProblemException notFound(
      String param, CodeSystemId system, String code, ReleaseRef release) {
    String what =
        system.codeSystem()
            + " code "
            + code.strip().toUpperCase(Locale.ROOT)
            + " is not in "
            + release.version();
    return new ProblemException(404, "Not found", what, List.of(new InvalidParam(param, what)));
  }

  private static Response fhir(org.hl7.fhir.instance.model.api.IBaseResource resource) {
    return Response.ok(FhirParameters.write(resource), FHIR_JSON).build();
  }
}
