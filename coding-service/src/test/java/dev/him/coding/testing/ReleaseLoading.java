package dev.him.coding.testing;

import dev.him.coding.codeset.ImportProgress;
import dev.him.coding.codeset.Release;
import dev.him.coding.codeset.ReleaseFormat;
import dev.him.coding.codeset.ReleaseLoader;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** The real loader and the format beans, for tests that load releases themselves. */
@ApplicationScoped
@Unremovable
public class ReleaseLoading {
  @Inject ReleaseLoader loader;
  @Inject @Any Instance<ReleaseFormat> formats;

  public ReleaseLoader.Outcome load(Class<? extends ReleaseFormat> format, Release release) {
    return loader.load(formats.select(format).get(), release, "coding tests", ImportProgress.NONE);
  }
}
