package dev.him.coding.codeset;

import dev.him.common.access.RequestContext;
import dev.him.common.access.Roles;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Loading the agencies' code set releases, as jobs, and what is loaded. him-admin only. */
@Path("/api/coding/code-sets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "Code sets",
    description =
        "Importing the agencies' code set releases (ICD-10-CM, tabular notes, ICD-10-PCS, HCPCS,"
            + " MCE, MS-DRG) as versioned, all-or-nothing jobs")
public class CodeSetResource {
  static final String ROLES = " Roles: him-admin.";
  static final Set<String> UPLOAD_PARAMETERS =
      Set.of("version", "fiscalYear", "effectiveFrom", "effectiveTo", "entry", "fileName");
  static final Set<String> LIST_PARAMETERS = Set.of("codeSystem", "status", "page", "size");
  static final Set<String> STATUSES =
      Set.of(
          CodeSetImportJob.QUEUED,
          CodeSetImportJob.RUNNING,
          CodeSetImportJob.SUCCEEDED,
          CodeSetImportJob.FAILED,
          CodeSetImportJob.SKIPPED);
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,15}");
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,120}");
  private static final long LEGACY_WAIT_MINUTES = 10;

  @Inject CodeSetJobs jobs;
  @Inject CodeSetFormats formats;
  @Inject CodeSetConfig config;
  @Inject RequestContext request;
  @Context UriInfo uri;

  @POST
  @Path("{codeSystem}/imports")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Import a release of a code system, as a job",
      description =
          "Without a body: the configured release of the code system (him.codesets.*) from the"
              + " code set folder. With a body: the release file as application/octet-stream, with"
              + " query parameters version, fiscalYear, effectiveFrom, effectiveTo (optional),"
              + " entry (the file inside a zip) and fileName (optional). Answers at once with the"
              + " queued job; follow Location for status, percent and rows. A version loaded"
              + " already from the same file ends as skipped; from another file (other SHA-256)"
              + " it is refused. The load is all or nothing: a bad file fails the job naming the"
              + " line and the release in force stays."
              + ROLES)
  @APIResponse(responseCode = "202", description = "Queued; Location points to the job")
  @APIResponse(
      responseCode = "400",
      description = "Bad or missing query parameters (problem+json naming each)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "Not him-admin")
  @APIResponse(responseCode = "404", description = "No such code system here")
  @APIResponse(
      responseCode = "409",
      description = "The version is loaded already from a different file (SHA-256)")
  @APIResponse(responseCode = "415", description = "A body that is not application/octet-stream")
  @APIResponse(responseCode = "503", description = "The configured release file is not there")
  public Response startImport(
      @PathParam("codeSystem")
          @Parameter(
              description = "Code system (ICD-10-CM, ICD-10-CM-TABULAR, HCPCS...) or its key",
              example = "icd10cm")
          String codeSystemName,
      @HeaderParam("Content-Type") String contentType,
      InputStream body) {
    String codeSystem = knownCodeSystem(codeSystemName);
    ReleaseFormat format = formats.forCodeSystem(codeSystem).orElseThrow();
    MultivaluedMap<String, String> q = uri.getQueryParameters();
    refuseUnknown(q, UPLOAD_PARAMETERS);
    boolean upload = q.keySet().stream().anyMatch(UPLOAD_PARAMETERS::contains);
    UploadParameters parameters = upload ? uploadParameters(q) : null;
    java.nio.file.Path file = store(body, parameters);
    if (file == null) {
      if (upload) {
        throw ProblemException.badRequest(
            "body",
            "is empty: send the release file as application/octet-stream (without a body and"
                + " parameters the configured release is imported)");
      }
      return accepted(submitConfigured(format, codeSystem).job());
    }
    if (!upload) {
      delete(file);
      throw ProblemException.badRequest(
          "version", "is required with an uploaded file, as are fiscalYear and effectiveFrom");
    }
    if (contentType == null || !contentType.startsWith(MediaType.APPLICATION_OCTET_STREAM)) {
      delete(file);
      throw new ProblemException(
          415,
          "Unsupported Media Type",
          "Send the release file as application/octet-stream",
          List.of());
    }
    Release release =
        new Release(
            codeSystem,
            parameters.version(),
            parameters.fiscalYear(),
            parameters.effectiveFrom(),
            parameters.effectiveTo(),
            file,
            parameters.entry());
    return accepted(submit(format, release, file).job());
  }

  @GET
  @Path("imports/{jobId}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "An import job",
      description =
          "status (queued, running, succeeded, failed, skipped), percent, rowsRead, rowsTotal,"
              + " error and errorLine when it failed, durationMs."
              + ROLES)
  @APIResponse(responseCode = "200", description = "The job")
  @APIResponse(responseCode = "403", description = "Not him-admin")
  @APIResponse(responseCode = "404", description = "No such job")
  public ImportJobView job(@PathParam("jobId") String jobId) {
    UUID id;
    try {
      id = UUID.fromString(jobId);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("import job " + jobId + " is not known");
    }
    return jobs.find(id)
        .orElseThrow(() -> ProblemException.notFound("import job " + jobId + " is not known"));
  }

  @GET
  @Path("imports")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Recent import jobs",
      description =
          "Newest first. codeSystem and status filter; page (from 0), size (default 20, max 100)."
              + ROLES)
  @APIResponse(responseCode = "200", description = "A page: total, page, size, items")
  @APIResponse(responseCode = "400", description = "Unknown parameter or bad value")
  @APIResponse(responseCode = "403", description = "Not him-admin")
  public ImportJobPage jobs() {
    MultivaluedMap<String, String> q = uri.getQueryParameters();
    refuseUnknown(q, LIST_PARAMETERS);
    String codeSystem = single(q, "codeSystem");
    if (codeSystem != null) {
      codeSystem =
          formats
              .resolve(codeSystem)
              .orElseThrow(
                  () ->
                      ProblemException.badRequest(
                          "codeSystem",
                          "is not one of " + String.join(", ", formats.codeSystems())));
    }
    String status = single(q, "status");
    if (status != null && !STATUSES.contains(status)) {
      throw ProblemException.badRequest(
          "status", "must be one of " + String.join(", ", STATUSES.stream().sorted().toList()));
    }
    int page = intParam(q, "page", 0, 0, 1_000_000);
    int size = intParam(q, "size", 20, 1, 100);
    return jobs.list(new CodeSetJobs.Criteria(codeSystem, status, page, size));
  }

  @GET
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Loaded releases",
      description =
          "Every release loaded completely: code system, version, fiscal year, effective dates,"
              + " file and SHA-256, rows, who and when, and whether it is in force today."
              + ROLES)
  @APIResponse(responseCode = "200", description = "The releases, by code system, newest first")
  @APIResponse(responseCode = "403", description = "Not him-admin")
  public List<LoadedRelease> loaded() {
    return jobs.loaded();
  }

  @POST
  @Path("icd10cm/import")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Import the configured ICD-10-CM release and wait (older form)",
      description =
          "Runs the same job as POST /api/coding/code-sets/ICD-10-CM/imports and waits for it:"
              + " {codeSystem, version, rows, alreadyImported}. Use the jobs endpoint instead."
              + ROLES)
  @APIResponse(responseCode = "200", description = "Loaded now, or loaded before")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "Not him-admin")
  @APIResponse(responseCode = "409", description = "Loaded already from a different file")
  @APIResponse(responseCode = "500", description = "The file does not follow the CDC layout")
  @APIResponse(responseCode = "503", description = "The release file is not in the folder")
  @Deprecated
  public ImportResult importIcd10Cm() {
    ReleaseFormat format =
        formats.forCodeSystem(CodeSetVersions.ICD10CM).orElseThrow(IllegalStateException::new);
    CodeSetJobs.Submitted submitted = submitConfigured(format, CodeSetVersions.ICD10CM);
    ImportJobView job;
    try {
      job = submitted.done().get(LEGACY_WAIT_MINUTES, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the import", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new ProblemException(
          503,
          "Import still running",
          "The import did not finish in time; follow job " + submitted.job().id(),
          List.of());
    }
    if (CodeSetImportJob.FAILED.equals(job.status())) {
      throw new ProblemException(500, "Invalid code set file", job.error(), List.of());
    }
    return new ImportResult(
        job.codeSystem(),
        job.version(),
        job.rowsTotal() == null ? 0 : job.rowsTotal(),
        CodeSetImportJob.SKIPPED.equals(job.status()));
  }

  // --- helpers ---

  private record UploadParameters(
      String version,
      Integer fiscalYear,
      LocalDate effectiveFrom,
      LocalDate effectiveTo,
      String entry,
      String fileName) {}

  private String knownCodeSystem(String name) {
    return formats
        .resolve(name)
        .orElseThrow(
            () ->
                ProblemException.notFound(
                    "code system "
                        + name
                        + " is not known here; known: "
                        + String.join(", ", formats.codeSystems())));
  }

  private CodeSetJobs.Submitted submitConfigured(ReleaseFormat format, String codeSystem) {
    CodeSetConfig.Configured configured =
        config
            .configured(codeSystem)
            .orElseThrow(
                () ->
                    new ProblemException(
                        503,
                        "Code set unavailable",
                        "No release of " + codeSystem + " is configured (him.codesets.*)",
                        List.of()));
    Release release = config.release(configured);
    if (!Files.isRegularFile(release.file())) {
      throw new ProblemException(
          503,
          "Code set unavailable",
          "The "
              + codeSystem
              + " release file "
              + configured.config().file()
              + " is not in the configured code set folder (him.codesets.dir)",
          List.of());
    }
    return submit(format, release, null);
  }

  private CodeSetJobs.Submitted submit(
      ReleaseFormat format, Release release, java.nio.file.Path deleteAfter) {
    try {
      return jobs.submit(format, release, request.actor().username(), deleteAfter);
    } catch (ReleaseConflictException e) {
      throw new ProblemException(409, "Conflict", e.getMessage(), List.of());
    }
  }

  private Response accepted(ImportJobView job) {
    return Response.accepted(job)
        .location(uri.getBaseUriBuilder().path("api/coding/code-sets/imports/{id}").build(job.id()))
        .build();
  }

  private static java.nio.file.Path store(InputStream body, UploadParameters parameters) {
    if (body == null) {
      return null;
    }
    String name =
        parameters != null && parameters.fileName() != null
            ? parameters.fileName()
            : "uploaded-release";
    try {
      return CodeSetUploads.store(body, name);
    } catch (IOException e) {
      throw new UncheckedIOException("storing the uploaded release failed", e);
    }
  }

  private static void delete(java.nio.file.Path file) {
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(file.getParent());
    } catch (IOException e) {
      // a temporary file; the operating system cleans its temporary folder too
    }
  }

  private static UploadParameters uploadParameters(MultivaluedMap<String, String> q) {
    List<InvalidParam> invalid = new ArrayList<>();
    String version = single(q, "version");
    if (version == null) {
      invalid.add(new InvalidParam("version", "is required with an uploaded file"));
    } else if (!VERSION.matcher(version).matches()) {
      invalid.add(
          new InvalidParam(
              "version", "must be 1 to 16 letters, digits, dots, dashes or underscores (FY2026)"));
    }
    Integer fiscalYear = null;
    String year = single(q, "fiscalYear");
    if (year == null) {
      invalid.add(new InvalidParam("fiscalYear", "is required with an uploaded file"));
    } else {
      try {
        fiscalYear = Integer.parseInt(year);
      } catch (NumberFormatException e) {
        // answered below
      }
      if (fiscalYear == null || fiscalYear < 1990 || fiscalYear > 2100) {
        invalid.add(new InvalidParam("fiscalYear", "must be a year from 1990 to 2100"));
        fiscalYear = null;
      }
    }
    LocalDate from = date(q, "effectiveFrom", invalid);
    if (from == null && single(q, "effectiveFrom") == null) {
      invalid.add(new InvalidParam("effectiveFrom", "is required with an uploaded file"));
    }
    LocalDate to = date(q, "effectiveTo", invalid);
    if (from != null && to != null && to.isBefore(from)) {
      invalid.add(new InvalidParam("effectiveTo", "must not be before effectiveFrom"));
    }
    String entry = single(q, "entry");
    if (entry != null
        && (entry.length() > 200 || entry.chars().anyMatch(Character::isISOControl))) {
      invalid.add(new InvalidParam("entry", "must be a file name inside the zip"));
    }
    String fileName = single(q, "fileName");
    if (fileName != null && !FILE_NAME.matcher(fileName).matches()) {
      invalid.add(
          new InvalidParam(
              "fileName", "must be a plain file name: letters, digits, dots, dashes, underscores"));
    }
    if (!invalid.isEmpty()) {
      throw new ProblemException(
          400,
          "Invalid request",
          String.join("; ", invalid.stream().map(p -> p.name() + " " + p.reason()).toList()),
          invalid);
    }
    return new UploadParameters(version, fiscalYear, from, to, entry, fileName);
  }

  private static LocalDate date(
      MultivaluedMap<String, String> q, String name, List<InvalidParam> invalid) {
    String v = single(q, name);
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      invalid.add(new InvalidParam(name, "must be a date as yyyy-mm-dd"));
      return null;
    }
  }

  private static void refuseUnknown(MultivaluedMap<String, String> q, Set<String> allowed) {
    for (String name : q.keySet()) {
      if (!allowed.contains(name)) {
        throw ProblemException.badRequest(
            name,
            "is not a parameter here; use "
                + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  private static String single(MultivaluedMap<String, String> q, String name) {
    var values = q.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw ProblemException.badRequest(name, "may be given only once");
    }
    String v = values.get(0).strip();
    if (v.isEmpty()) {
      throw ProblemException.badRequest(name, "must not be empty");
    }
    return v;
  }

  private static int intParam(
      MultivaluedMap<String, String> q, String name, int fallback, int min, int max) {
    String v = single(q, name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ProblemException.badRequest(name, "must be a whole number from " + min + " to " + max);
  }
}
