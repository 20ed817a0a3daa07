package dev.him.coding.testing;

import dev.him.coding.codeset.ImportProgress;
import dev.him.coding.codeset.Release;
import dev.him.coding.codeset.ReleaseFormat;
import dev.him.coding.codeset.ReleaseLoader;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The real loader and the format beans, for tests that load releases themselves. Remembers the
 * releases a test loaded (not those that were there already), so a test class can take them away
 * again and leave the database as it found it.
 */
@ApplicationScoped
@Unremovable
public class ReleaseLoading {
  private static final Map<String, String[]> ROWS =
      Map.of(
          "ICD-10-PCS", new String[] {"icd10pcs_code", "code_set_version"},
          "MCE", new String[] {"mce_code_edit", "mce_version"},
          "MS-DRG", new String[] {"msdrg_weight", "drg_version"});

  @Inject ReleaseLoader loader;
  @Inject @Any Instance<ReleaseFormat> formats;
  @Inject AgroalDataSource ds;

  private final Set<Release> loadedHere = new LinkedHashSet<>();

  public synchronized ReleaseLoader.Outcome load(
      Class<? extends ReleaseFormat> format, Release release) {
    ReleaseLoader.Outcome outcome =
        loader.load(formats.select(format).get(), release, "coding tests", ImportProgress.NONE);
    if (!outcome.alreadyLoaded()) {
      loadedHere.add(release);
    }
    return outcome;
  }

  /** Removes the releases tests loaded, rows and code_set_import row. */
  public synchronized void unloadWhatTestsLoaded() {
    try (Connection c = ds.getConnection()) {
      for (Release r : loadedHere) {
        String[] table = ROWS.get(r.codeSystem());
        try (PreparedStatement rows =
                c.prepareStatement("delete from " + table[0] + " where " + table[1] + " = ?");
            PreparedStatement release =
                c.prepareStatement(
                    "delete from code_set_import where code_system = ? and version = ?")) {
          rows.setString(1, r.version());
          rows.executeUpdate();
          release.setString(1, r.codeSystem());
          release.setString(2, r.version());
          release.executeUpdate();
        }
      }
      loadedHere.clear();
    } catch (SQLException e) {
      throw new IllegalStateException("could not remove the test releases", e);
    }
  }
}
