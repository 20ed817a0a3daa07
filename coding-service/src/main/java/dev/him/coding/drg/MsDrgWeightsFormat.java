package dev.him.coding.drg;

import dev.him.coding.codeset.CodeSetVersions;
import dev.him.coding.codeset.ImportProgress;
import dev.him.coding.codeset.Release;
import dev.him.coding.codeset.ReleaseFormat;
import dev.him.coding.pcs.ReleaseText;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The MS-DRG relative weights table (CMS IPPS Table 5) as a tab-separated file with a header:
 * {@code MS_DRG MDC TYPE MS_DRG_TITLE WEIGHT GEOMETRIC_MEAN_LOS}. MDC is PRE, 01..25, or blank for
 * the DRGs assigned whatever the MDC (981-989, 998, 999; stored as an empty string); TYPE is SURG,
 * MED or ** (998, 999). Stored in {@code msdrg_weight} with one JDBC batch.
 */
@ApplicationScoped
public class MsDrgWeightsFormat implements ReleaseFormat {
  static final List<String> HEADER =
      List.of("MS_DRG", "MDC", "TYPE", "MS_DRG_TITLE", "WEIGHT", "GEOMETRIC_MEAN_LOS");
  private static final Pattern DRG = Pattern.compile("\\d{3}");
  private static final Pattern MDC = Pattern.compile("PRE|0[1-9]|1\\d|2[0-5]|");
  private static final Set<String> TYPES = Set.of("SURG", "MED", "**");
  private static final BigDecimal MAX_WEIGHT = new BigDecimal("9999.9999");
  private static final BigDecimal MAX_GMLOS = new BigDecimal("9999.9");

  @Override
  public String codeSystem() {
    return CodeSetVersions.MSDRG;
  }

  @Override
  public int load(Connection c, Release release, ImportProgress progress)
      throws IOException, SQLException {
    try (ReleaseText in = ReleaseText.open(release, progress);
        PreparedStatement insert =
            c.prepareStatement(
                "insert into msdrg_weight (drg_version, drg, mdc, drg_type, title, weight, gmlos)"
                    + " values (?, ?, ?, ?, ?, ?, ?)")) {
      String header = in.next();
      if (header == null) {
        throw in.fault("the file is empty; expected the header " + String.join(" ", HEADER));
      }
      List<String> names = List.of(header.strip().split("\t", -1));
      if (!names.equals(HEADER)) {
        throw in.fault(
            "the header is not the MS-DRG weights layout: expected the tab-separated columns "
                + String.join(", ", HEADER)
                + "; found "
                + String.join(", ", names));
      }
      Map<String, Integer> seen = new HashMap<>();
      int rows = 0;
      String line;
      while ((line = in.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length != HEADER.size()) {
          throw in.fault("expected " + HEADER.size() + " tab-separated columns, found " + f.length);
        }
        String drg = f[0].strip();
        if (!DRG.matcher(drg).matches()) {
          throw in.fault("MS_DRG \"" + drg + "\" is not a 3-digit MS-DRG number");
        }
        String mdc = f[1].strip();
        if (!MDC.matcher(mdc).matches()) {
          throw in.fault("MDC \"" + mdc + "\" of MS-DRG " + drg + " is not PRE, 01..25 or blank");
        }
        String type = f[2].strip();
        if (!TYPES.contains(type)) {
          throw in.fault("TYPE \"" + type + "\" of MS-DRG " + drg + " is not SURG, MED or **");
        }
        String title = f[3].strip();
        if (title.isEmpty()) {
          throw in.fault("MS-DRG " + drg + " has no title");
        }
        BigDecimal weight = number(in, f[4], "WEIGHT", drg, 4, MAX_WEIGHT);
        BigDecimal gmlos = number(in, f[5], "GEOMETRIC_MEAN_LOS", drg, 1, MAX_GMLOS);
        Integer earlier = seen.putIfAbsent(drg, in.lineNumber());
        if (earlier != null) {
          throw in.fault("MS-DRG " + drg + " is listed twice (first on line " + earlier + ")");
        }
        insert.setString(1, release.version());
        insert.setString(2, drg);
        insert.setString(3, mdc);
        insert.setString(4, type);
        insert.setString(5, title);
        insert.setBigDecimal(6, weight);
        insert.setBigDecimal(7, gmlos);
        insert.addBatch();
        rows++;
        in.rowRead(rows);
      }
      in.finish(rows, false);
      insert.executeBatch();
      return rows;
    }
  }

  private static BigDecimal number(
      ReleaseText in, String text, String column, String drg, int scale, BigDecimal max) {
    BigDecimal value;
    try {
      value = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw in.fault(column + " \"" + text.strip() + "\" of MS-DRG " + drg + " is not a number");
    }
    if (value.signum() < 0
        || value.compareTo(max) > 0
        || value.stripTrailingZeros().scale() > scale) {
      throw in.fault(
          column
              + " "
              + text.strip()
              + " of MS-DRG "
              + drg
              + " is out of range (0 to "
              + max.toPlainString()
              + ", at most "
              + scale
              + " decimals)");
    }
    return value;
  }
}
