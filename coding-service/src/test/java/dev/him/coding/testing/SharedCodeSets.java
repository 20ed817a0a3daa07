package dev.him.coding.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared code set files, read from ../shared/data and never copied into the project: a test
 * that needs a missing file fails when CI=true and is skipped, with the reason, elsewhere. Plus
 * small JDBC helpers.
 */
public final class SharedCodeSets {
  public static final String ICD10CM_ZIP = "ICD10-CM-Code-Descriptions-2025.zip";
  public static final String ICD10PCS_ZIP = "icd10pcs_codes_2026_cms.zip";

  private SharedCodeSets() {}

  /**
   * GET with the query values encoded here and the path sent as written: REST Assured would encode
   * the $ of FHIR operations ($lookup) as %24, which is not how FHIR clients send it.
   */
  public static io.restassured.response.ValidatableResponse fhirGet(String path, Object... params) {
    StringBuilder url = new StringBuilder(path);
    for (int i = 0; i < params.length; i += 2) {
      url.append(i == 0 ? '?' : '&')
          .append(params[i])
          .append('=')
          .append(
              java.net.URLEncoder.encode(
                  String.valueOf(params[i + 1]), java.nio.charset.StandardCharsets.UTF_8));
    }
    return io.restassured.RestAssured.given().urlEncodingEnabled(false).get(url.toString()).then();
  }

  public static Path file(String name) {
    return Path.of(ConfigProvider.getConfig().getValue("him.codesets.dir", String.class))
        .resolve(name);
  }

  /** The ICD-10-CM FY2025 order file the service loads at start-up. */
  public static void requireIcd10Cm() {
    requireFile(file(ICD10CM_ZIP));
  }

  public static Path requireFile(Path file) {
    if (Files.isRegularFile(file)) {
      return file;
    }
    String message =
        "code set file "
            + file.toAbsolutePath().normalize()
            + " is missing; put the shared data at ../shared/data next to the project or pass"
            + " -Dhim.shared.data=<folder>";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + " (CI=true: the reference data must be present)");
    }
    Assumptions.assumeTrue(false, message + "; skipping this test");
    return file;
  }

  public static long count(DataSource db, String sql, Object... params) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) q.setObject(i + 1, params[i]);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  public static int execute(DataSource db, String sql, Object... params) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) q.setObject(i + 1, params[i]);
      return q.executeUpdate();
    }
  }

  /** Marks a release as loaded, as the loader does once all its rows are in. */
  public static void markLoaded(
      DataSource db,
      String codeSystem,
      String version,
      java.time.LocalDate from,
      java.time.LocalDate to,
      String file,
      int rows)
      throws SQLException {
    execute(
        db,
        "insert into code_set_import (code_system, version, effective_from, effective_to,"
            + " file_name, row_count, imported_at, imported_by) values (?, ?, ?, ?, ?, ?, now(),"
            + " 'test')",
        codeSystem,
        version,
        from,
        to,
        file,
        rows);
  }
}
