package dev.him.audit.fhir;

import ca.uhn.fhir.context.FhirContext;
import dev.him.audit.log.AuditEntry;
import dev.him.audit.report.AccessLogQueries;
import dev.him.audit.report.AccessQuery;
import dev.him.audit.report.AuditLogReads;
import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.Bundle;

/** FHIR AuditEvent search over the access log, for the privacy officer. */
@Path("/fhir/r4/AuditEvent")
@Produces({"application/fhir+json", MediaType.APPLICATION_JSON})
@Tag(name = "FHIR AuditEvent", description = "The access log as FHIR R4 AuditEvents")
public class AuditEventResource {
  static final int DEFAULT_COUNT = 50;
  static final int MAX_COUNT = 200;
  private static final Set<String> KNOWN =
      Set.of(
          "entity", "patient", "agent", "date", "action", "outcome", "_count", "_offset",
          "_format");

  /** FHIR AuditEvent.action code → the access log's actions (E: everything else, i.e. search). */
  private static final Map<String, List<String>> ACTIONS =
      Map.of(
          "C", List.of("CREATE"),
          "R", List.of("READ"),
          "U", List.of("UPDATE"),
          "D", List.of("DELETE"),
          "E", List.of("SEARCH"));

  /** FHIR AuditEvent.outcome code → the access log's outcomes (refusals are minor failures, 4). */
  private static final Map<String, List<String>> OUTCOMES =
      Map.of("0", List.of("SUCCESS"), "4", List.of("UNAUTHENTICATED", "FORBIDDEN"));

  private final FhirContext fhir = FhirContext.forR4Cached();

  @Inject AccessLogQueries queries;
  @Inject AuditLogReads reads;
  @Context UriInfo uri;

  @GET
  @Transactional
  @RolesAllowed(Roles.PRIVACY)
  @AuditedAccess(resourceType = AuditLogReads.AUDIT_EVENT, action = AccessAction.SEARCH)
  @Operation(
      summary = "Search the access log as FHIR AuditEvents",
      description =
          "patient={id} (or entity=Patient/{id}), agent={user name}, date with prefixes eq, ge,"
              + " gt, le, lt (a day or an instant; may repeat), action (C, R, U, D, E = search),"
              + " outcome (0 success, 4 refused); at least one of patient, agent or date. Newest"
              + " first; _count (max 200), _offset. Role: privacy-officer.")
  @APIResponse(responseCode = "200", description = "A searchset Bundle of AuditEvents")
  @APIResponse(
      responseCode = "400",
      description = "Missing or unknown parameter (OperationOutcome)")
  public Response search() {
    var q = uri.getQueryParameters();
    List<InvalidParam> problems = new ArrayList<>();
    q.keySet().stream()
        .filter(k -> !KNOWN.contains(k))
        .forEach(
            k ->
                problems.add(
                    new InvalidParam(k, "is not a supported search parameter for AuditEvent")));
    String patient = null;
    String entity = q.getFirst("entity");
    if (entity != null) {
      if (!entity.startsWith("Patient/") || entity.length() <= "Patient/".length()) {
        problems.add(new InvalidParam("entity", "must be Patient/{id}"));
      } else {
        patient = entity.substring("Patient/".length());
      }
    } else if (q.getFirst("patient") != null) {
      patient = q.getFirst("patient").replaceFirst("^Patient/", "");
    }
    String agent = q.getFirst("agent");
    Instant[] range = dateRange(q.get("date"), problems);
    List<String> actions = codes(q.getFirst("action"), ACTIONS, "action", problems);
    List<String> outcomes = codes(q.getFirst("outcome"), OUTCOMES, "outcome", problems);
    if (patient == null && agent == null && q.get("date") == null) {
      problems.add(
          new InvalidParam("entity", "give entity=Patient/{id} (or patient), agent or date"));
    }
    int count = intParam(q.getFirst("_count"), DEFAULT_COUNT, "_count", problems);
    int offset = intParam(q.getFirst("_offset"), 0, "_offset", problems);
    if (!problems.isEmpty()) {
      throw new ProblemException(400, "Invalid search", "The search cannot be run", problems);
    }
    count = Math.min(count, MAX_COUNT);
    AccessQuery query =
        new AccessQuery(
            patient,
            agent,
            range[0],
            range[1],
            actions,
            outcomes,
            null,
            null,
            AccessQuery.SORTS.get("occurredAt"),
            true,
            count,
            offset);
    long total = queries.count(query);
    List<AuditEntry> rows = queries.entries(query);
    reads.query("FHIR AuditEvent search", patient, q);

    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal((int) total);
    bundle.addLink().setRelation("self").setUrl(uri.getRequestUri().toString());
    if (offset + rows.size() < total) {
      bundle
          .addLink()
          .setRelation("next")
          .setUrl(
              uri.getRequestUriBuilder()
                  .replaceQueryParam("_offset", offset + rows.size())
                  .replaceQueryParam("_count", count)
                  .build()
                  .toString());
    }
    String base = uri.getBaseUriBuilder().path("fhir/r4/AuditEvent/").build().toString();
    for (AuditEntry row : rows) {
      bundle
          .addEntry()
          .setFullUrl(base + row.eventId)
          .setResource(AuditEventMapper.toFhir(row))
          .getSearch()
          .setMode(Bundle.SearchEntryMode.MATCH);
    }
    return Response.ok(fhir.newJsonParser().encodeResourceToString(bundle), "application/fhir+json")
        .build();
  }

  /** date=ge2026-05-01&date=lt2026-06-01: the range [from, to); a day stands for its whole day. */
  private static Instant[] dateRange(List<String> values, List<InvalidParam> problems) {
    Instant from = null;
    Instant to = null;
    for (String v : values == null ? List.<String>of() : values) {
      String prefix = v.length() > 2 && Character.isLetter(v.charAt(0)) ? v.substring(0, 2) : "eq";
      String value = v.length() > 2 && Character.isLetter(v.charAt(0)) ? v.substring(2) : v;
      Instant start;
      Instant end;
      try {
        if (value.length() == 10) {
          LocalDate day = LocalDate.parse(value);
          start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
          end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } else {
          start = Instant.parse(value);
          end = start.plusNanos(1000); // stored to the microsecond
        }
      } catch (DateTimeParseException e) {
        problems.add(new InvalidParam("date", "a day or an instant, with eq, ge, gt, le or lt"));
        continue;
      }
      switch (prefix) {
        case "eq" -> {
          from = later(from, start);
          to = earlier(to, end);
        }
        case "ge" -> from = later(from, start);
        case "gt" -> from = later(from, end);
        case "le" -> to = earlier(to, end);
        case "lt" -> to = earlier(to, start);
        default -> problems.add(new InvalidParam("date", "prefix must be eq, ge, gt, le or lt"));
      }
    }
    return new Instant[] {from, to};
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  private static List<String> codes(
      String value, Map<String, List<String>> known, String name, List<InvalidParam> problems) {
    if (value == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String code : value.split(",")) {
      List<String> mapped = known.get(code.strip());
      if (mapped == null) {
        problems.add(
            new InvalidParam(
                name, "one of " + String.join(", ", new java.util.TreeSet<>(known.keySet()))));
        return List.of();
      }
      out.addAll(mapped);
    }
    return out;
  }

  private static int intParam(String value, int dflt, String name, List<InvalidParam> problems) {
    if (value == null) return dflt;
    try {
      int n = Integer.parseInt(value);
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      problems.add(new InvalidParam(name, "must be a whole number, 0 or more"));
      return dflt;
    }
  }
}
