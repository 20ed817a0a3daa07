package dev.him.coding.codeset;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A format that exists only in the tests: it reports half its work, then waits for the test, so the
 * test can watch a job's progress while the load's transaction is still open. Being a bean is all
 * it takes to be importable (code system TEST-PAUSING): formats are found through CDI.
 */
@ApplicationScoped
public class PausingFormat implements ReleaseFormat {
  public static final String CODE_SYSTEM = "TEST-PAUSING";

  // injected as a client proxy: the test reaches these through methods, never fields
  private volatile CountDownLatch paused = new CountDownLatch(1);
  private volatile CountDownLatch resume = new CountDownLatch(1);
  private volatile boolean failAfterPause;

  /** Arms the next load: it pauses at 50 % until {@link #resumeLoad()}. */
  public void arm(boolean fail) {
    paused = new CountDownLatch(1);
    resume = new CountDownLatch(1);
    failAfterPause = fail;
  }

  /** Whether the armed load has reached its pause within the time. */
  public boolean awaitPaused(long seconds) throws InterruptedException {
    return paused.await(seconds, TimeUnit.SECONDS);
  }

  public void resumeLoad() {
    resume.countDown();
  }

  @Override
  public String codeSystem() {
    return CODE_SYSTEM;
  }

  @Override
  public int load(Connection c, Release release, ImportProgress progress) {
    progress.total(200);
    progress.advanced(100, 7);
    paused.countDown();
    try {
      if (!resume.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never resumed the load");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failAfterPause) {
      throw new ImportFileException(release.sourceName(), 8, "is broken on purpose");
    }
    progress.advanced(200, 14);
    // nothing to store: the release's code_set_import row is all this format leaves
    return 14;
  }
}
