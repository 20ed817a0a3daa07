package dev.him.coding.drg;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Looks MS-DRGs up in the loaded weights tables. */
@ApplicationScoped
public class DrgCatalog {
  private static final Pattern SHAPE = Pattern.compile("\\d{1,3}");

  @Inject AgroalDataSource ds;

  /** Three digits, zero-padded (1 to 001); empty when not a DRG number. */
  public static Optional<String> normalize(String drg) {
    if (drg == null || !SHAPE.matcher(drg.strip()).matches()) {
      return Optional.empty();
    }
    return Optional.of("%03d".formatted(Integer.parseInt(drg.strip())));
  }

  public Optional<DrgInfo> find(String version, String drg) {
    if (version == null || drg == null) {
      return Optional.empty();
    }
    try (Connection c = ds.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select drg, drg_version, mdc, drg_type, title, weight, gmlos from msdrg_weight"
                    + " where drg_version = ? and drg = ?")) {
      q.setString(1, version);
      q.setString(2, drg);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String mdc = rs.getString(3);
        return Optional.of(
            new DrgInfo(
                rs.getString(1),
                rs.getString(2),
                mdc == null || mdc.isBlank() ? null : mdc,
                rs.getString(4),
                rs.getString(5),
                rs.getBigDecimal(6),
                rs.getBigDecimal(7)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading the MS-DRG table failed", e);
    }
  }
}
