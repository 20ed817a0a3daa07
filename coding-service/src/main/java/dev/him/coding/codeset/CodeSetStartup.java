package dev.him.coding.codeset;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Loads the configured release of every code system when the service starts
 * (him.codesets.auto-import), through the same jobs as the API, one after another. A release loaded
 * already is passed over without a job; a missing file or a code system without an installed format
 * is a warning, never a failed start. Start-up waits for the jobs (at most
 * him.codesets.startup-wait), so a fresh service answers lookups once it is up.
 */
@ApplicationScoped
public class CodeSetStartup {
  private static final Logger LOG = Logger.getLogger(CodeSetStartup.class);
  static final String STARTUP_USER = "coding-service (start-up)";

  @Inject CodeSetConfig config;
  @Inject CodeSetFormats formats;
  @Inject CodeSetJobs jobs;
  @Inject ReleaseLoader loader;

  void onStart(@Observes StartupEvent event) {
    int interrupted = jobs.markInterrupted();
    if (interrupted > 0) {
      LOG.warnf("%d import job(s) were cut off when the service last stopped", interrupted);
    }
    if (!config.autoImport()) {
      LOG.info("code set import at start-up is off (him.codesets.auto-import=false)");
      return;
    }
    long start = System.nanoTime();
    List<CompletableFuture<ImportJobView>> running = new ArrayList<>();
    for (CodeSetConfig.Configured configured : config.releases()) {
      submit(configured).ifPresent(running::add);
    }
    if (running.isEmpty()) {
      return;
    }
    try {
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
          .get(config.startupWait().toMillis(), TimeUnit.MILLISECONDS);
      LOG.infof(
          "code set imports at start-up: %d job(s) done in %d ms",
          running.size(), (System.nanoTime() - start) / 1_000_000);
    } catch (TimeoutException e) {
      LOG.warnf(
          "code set imports still running after %s (him.codesets.startup-wait); start-up goes on"
              + " and they finish in the background",
          config.startupWait());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.errorf(e, "waiting for the code set imports failed");
    }
  }

  private Optional<CompletableFuture<ImportJobView>> submit(CodeSetConfig.Configured configured) {
    String label = configured.codeSystem() + " " + configured.config().version();
    Optional<ReleaseFormat> format = formats.forCodeSystem(configured.codeSystem());
    if (format.isEmpty()) {
      LOG.warnf(
          "%s is configured (him.codesets.%s) but no format for %s is installed; not imported",
          label, configured.key(), configured.codeSystem());
      return Optional.empty();
    }
    Release release = config.release(configured);
    if (!Files.isRegularFile(release.file())) {
      LOG.warnf(
          "%s not imported: %s does not exist. Set him.codesets.dir (or HIM_SHARED_DATA) to the"
              + " folder holding the agencies' code set files, then import it with POST"
              + " /api/coding/code-sets/%s/imports.",
          label, release.file().toAbsolutePath().normalize(), configured.key());
      return Optional.empty();
    }
    try {
      ReleaseLoader.Loaded loaded = loader.loaded(release.codeSystem(), release.version());
      if (loaded != null) {
        String sha256 = ReleaseLoader.sha256(release.file());
        if (loaded.fileSha256() == null || loaded.fileSha256().equals(sha256)) {
          LOG.infof("%s is loaded already (%d rows)", label, loaded.rows());
          return Optional.empty();
        }
      }
      return Optional.of(jobs.submit(format.get(), release, STARTUP_USER, null).done());
    } catch (ReleaseConflictException e) {
      LOG.warnf("%s Not imported at start-up.", e.getMessage());
    } catch (RuntimeException e) {
      LOG.errorf(e, "%s: import at start-up could not be queued", label);
    }
    return Optional.empty();
  }
}
