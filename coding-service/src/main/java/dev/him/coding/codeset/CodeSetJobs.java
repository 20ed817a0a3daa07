package dev.him.coding.codeset;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs code set imports as jobs, one after another on a background thread: queued, running, then
 * succeeded, failed or skipped (the release was loaded already). The load itself is one transaction
 * ({@link ReleaseLoader}); the job row is written in short transactions of its own, so its progress
 * shows while the load runs and its error stays when the load is rolled back. Progress is logged
 * every 10 % and at the end with rows and milliseconds.
 */
@ApplicationScoped
public class CodeSetJobs {
  private static final Logger LOG = Logger.getLogger(CodeSetJobs.class);
  private static final long WRITE_EVERY_NANOS = 250_000_000L;

  @Inject ReleaseLoader loader;
  @Inject CodeSetVersions versions;

  private ExecutorService executor;

  /** A job just queued, and what completes when it has finished. */
  public record Submitted(ImportJobView job, CompletableFuture<ImportJobView> done) {}

  /** Which jobs a listing shows; null fields do not filter. */
  public record Criteria(String codeSystem, String status, int page, int size) {}

  @PostConstruct
  void start() {
    // one import at a time: they are memory- and I/O-heavy, and run in a small heap
    executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "code-set-import");
              t.setDaemon(true);
              return t;
            });
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
  }

  /**
   * Queues the import of {@code release}.
   *
   * @param deleteAfter a file to delete when the job has finished (an uploaded release), or null
   * @throws ReleaseConflictException when the version is loaded already from another file
   */
  public Submitted submit(
      ReleaseFormat format, Release release, String requestedBy, Path deleteAfter) {
    CodeSetImportJob job;
    try {
      String sha256 = ReleaseLoader.sha256(release.file());
      ReleaseLoader.Loaded loaded = loader.loaded(release.codeSystem(), release.version());
      if (loaded != null && loaded.fileSha256() != null && !loaded.fileSha256().equals(sha256)) {
        throw new ReleaseConflictException(release, loaded.fileSha256(), sha256);
      }
      job = QuarkusTransaction.requiringNew().call(() -> queue(release, sha256, requestedBy));
    } catch (RuntimeException e) {
      delete(deleteAfter);
      throw e;
    }
    CompletableFuture<ImportJobView> done = new CompletableFuture<>();
    LOG.infof(
        "%s %s: import queued from %s (job %s, by %s)",
        release.codeSystem(), release.version(), release.sourceName(), job.id, requestedBy);
    UUID id = job.id;
    executor.execute(() -> run(id, format, release, requestedBy, deleteAfter, done));
    return new Submitted(ImportJobView.of(job), done);
  }

  @Transactional
  public Optional<ImportJobView> find(UUID id) {
    return CodeSetImportJob.<CodeSetImportJob>findByIdOptional(id).map(ImportJobView::of);
  }

  /** Recent jobs, newest first. */
  @Transactional
  public ImportJobPage list(Criteria criteria) {
    List<String> where = new ArrayList<>();
    Map<String, Object> params = new HashMap<>();
    if (criteria.codeSystem() != null) {
      where.add("codeSystem = :codeSystem");
      params.put("codeSystem", criteria.codeSystem());
    }
    if (criteria.status() != null) {
      where.add("status = :status");
      params.put("status", criteria.status());
    }
    String query = String.join(" and ", where);
    var found =
        CodeSetImportJob.<CodeSetImportJob>find(
                query, Sort.descending("requestedAt").and("id"), params)
            .page(Page.of(criteria.page(), criteria.size()));
    return new ImportJobPage(
        found.count(),
        criteria.page(),
        criteria.size(),
        found.list().stream().map(ImportJobView::of).toList());
  }

  /** Every loaded release, by code system and newest first, marked when in force today. */
  @Transactional
  public List<LoadedRelease> loaded() {
    LocalDate today = LocalDate.now();
    Map<String, Optional<String>> inForce = new HashMap<>();
    List<CodeSetImport> all =
        CodeSetImport.listAll(
            Sort.by("codeSystem").and("effectiveFrom", Sort.Direction.Descending));
    return all.stream()
        .map(
            i ->
                new LoadedRelease(
                    i.codeSystem,
                    i.version,
                    i.fiscalYear,
                    i.effectiveFrom,
                    i.effectiveTo,
                    i.fileName,
                    i.fileSha256,
                    i.rowCount,
                    i.importedBy,
                    i.importedAt,
                    inForce
                        .computeIfAbsent(i.codeSystem, s -> versions.inForce(s, today))
                        .map(i.version::equals)
                        .orElse(false)))
        .toList();
  }

  /**
   * Jobs left queued or running by a service that stopped: they will not finish, so say so. (One
   * instance runs the imports; see the README.)
   */
  @Transactional
  public int markInterrupted() {
    return CodeSetImportJob.update(
        "status = :failed, error = :error, finishedAt = :now"
            + " where status = :queued or status = :running",
        Parameters.with("failed", CodeSetImportJob.FAILED)
            .and("error", "the service stopped before the job finished; nothing was loaded")
            .and("now", Instant.now())
            .and("queued", CodeSetImportJob.QUEUED)
            .and("running", CodeSetImportJob.RUNNING));
  }

  private static CodeSetImportJob queue(Release release, String sha256, String requestedBy) {
    CodeSetImportJob job = new CodeSetImportJob();
    job.id = UUID.randomUUID();
    job.codeSystem = release.codeSystem();
    job.version = release.version();
    job.fiscalYear = release.fiscalYear();
    job.effectiveFrom = release.effectiveFrom();
    job.effectiveTo = release.effectiveTo();
    job.fileName = release.sourceName();
    job.fileSha256 = sha256;
    job.status = CodeSetImportJob.QUEUED;
    job.requestedBy = requestedBy;
    job.requestedAt = Instant.now();
    job.persist();
    return job;
  }

  private void run(
      UUID id,
      ReleaseFormat format,
      Release release,
      String requestedBy,
      Path deleteAfter,
      CompletableFuture<ImportJobView> done) {
    String label = release.codeSystem() + " " + release.version();
    long start = System.nanoTime();
    try {
      update(
          id,
          j -> {
            j.status = CodeSetImportJob.RUNNING;
            j.startedAt = Instant.now();
          });
      LOG.infof("%s: import started from %s (job %s)", label, release.sourceName(), id);
      ReleaseLoader.Outcome outcome =
          loader.load(format, release, requestedBy, new JobProgress(id, label));
      long ms = millisSince(start);
      boolean skipped = outcome.alreadyLoaded();
      update(
          id,
          j -> {
            j.status = skipped ? CodeSetImportJob.SKIPPED : CodeSetImportJob.SUCCEEDED;
            j.percent = 100;
            if (!skipped) {
              j.rowsRead = outcome.rows();
            }
            j.rowsTotal = outcome.rows();
            j.finishedAt = Instant.now();
            j.durationMs = ms;
          });
      if (skipped) {
        LOG.infof(
            "%s: already loaded (%d rows) from the same file; job %s skipped",
            label, outcome.rows(), id);
      } else {
        LOG.infof(
            "%s imported: %d rows from %s in %d ms (job %s)",
            label, outcome.rows(), release.sourceName(), ms, id);
      }
    } catch (ImportFileException e) {
      fail(id, label, start, e.getMessage(), e.line() > 0 ? e.line() : null);
    } catch (ReleaseConflictException e) {
      fail(id, label, start, e.getMessage(), null);
    } catch (RuntimeException e) {
      LOG.errorf(e, "%s: import job %s failed", label, id);
      fail(id, label, start, describe(e), null);
    } finally {
      delete(deleteAfter);
      done.complete(view(id));
    }
  }

  private void fail(UUID id, String label, long start, String error, Integer line) {
    long ms = millisSince(start);
    LOG.warnf(
        "%s: import failed after %d ms, nothing was loaded and the release in force stays: %s",
        label, ms, error);
    try {
      update(
          id,
          j -> {
            j.status = CodeSetImportJob.FAILED;
            j.error = error;
            j.errorLine = line;
            j.finishedAt = Instant.now();
            j.durationMs = ms;
          });
    } catch (RuntimeException e) {
      LOG.errorf(e, "could not record the failure of import job %s", id);
    }
  }

  /** The message and its causes' messages, for an error that is not the file's fault. */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null && text.length() < 2000; t = t.getCause()) {
      if (t.getMessage() == null || text.indexOf(t.getMessage()) >= 0) {
        continue;
      }
      if (text.length() > 0) {
        text.append(": ");
      }
      text.append(t.getMessage());
    }
    return text.length() == 0 ? e.getClass().getSimpleName() : text.toString();
  }

  private ImportJobView view(UUID id) {
    try {
      return QuarkusTransaction.requiringNew()
          .call(() -> ImportJobView.of(CodeSetImportJob.findById(id)));
    } catch (RuntimeException e) {
      LOG.errorf(e, "could not read import job %s", id);
      return null;
    }
  }

  /** Changes the job row in a transaction of its own, outside any load in progress. */
  private static void update(UUID id, Consumer<CodeSetImportJob> change) {
    QuarkusTransaction.requiringNew().run(() -> change.accept(CodeSetImportJob.findById(id)));
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static void delete(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
      Path dir = file.getParent();
      if (dir != null && dir.getFileName().toString().startsWith(CodeSetUploads.DIR_PREFIX)) {
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      LOG.warnf("could not delete the uploaded file %s: %s", file, e.getMessage());
    }
  }

  /** Percent and rows read, written when they move (at most 4 times a second) and logged by 10. */
  private static final class JobProgress implements ImportProgress {
    private final UUID id;
    private final String label;
    private long total;
    private int percent;
    private int loggedStep;
    private long lastWrite = System.nanoTime();

    JobProgress(UUID id, String label) {
      this.id = id;
      this.label = label;
    }

    @Override
    public void total(long units) {
      this.total = units;
    }

    @Override
    public void advanced(long unitsDone, int rowsRead) {
      int now = total > 0 ? (int) Math.min(99, unitsDone * 100 / total) : 0;
      if (now <= percent) {
        return;
      }
      percent = now;
      boolean step = now / 10 > loggedStep;
      if (step) {
        loggedStep = now / 10;
        LOG.infof("%s: %d %% read, %d rows", label, now, rowsRead);
      }
      long clock = System.nanoTime();
      if (step || clock - lastWrite >= WRITE_EVERY_NANOS) {
        lastWrite = clock;
        try {
          // one UPDATE, no read: this runs while the load holds its own transaction
          QuarkusTransaction.requiringNew()
              .run(
                  () ->
                      CodeSetImportJob.update(
                          "percent = ?1, rowsRead = ?2 where id = ?3", now, rowsRead, id));
        } catch (RuntimeException e) {
          // progress is for show; a failed write must not stop the load
          LOG.debugf(e, "could not write progress of import job %s", id);
        }
      }
    }
  }
}
