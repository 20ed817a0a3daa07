package dev.him.coding.edits;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the loaded code sets for the edits and the case view: ICD-10-CM codes (with their billable
 * flag), ICD-10-PCS codes and the MCE lists, each of one release, many codes per query.
 */
@ApplicationScoped
public class CodeBook {
  @Inject AgroalDataSource ds;

  /** An ICD-10-CM code of the order file: a billable code or a header. */
  public record CmCode(String code, boolean billable, String description) {}

  /** The codes of {@code codes} that the release has (headers included). */
  public Map<String, CmCode> icd10cm(String version, Collection<String> codes) {
    Map<String, CmCode> found = new HashMap<>();
    if (version == null || codes.isEmpty()) {
      return found;
    }
    query(
        "select code, billable, long_description from icd10cm_code"
            + " where code_set_version = ? and code = any(?)",
        rs -> {
          CmCode c = new CmCode(rs.getString(1), rs.getBoolean(2), rs.getString(3));
          found.put(c.code(), c);
        },
        version,
        codes);
    return found;
  }

  /** Every code of a category (the first three characters), in tabular order. */
  public List<CmCode> icd10cmCategory(String version, String category) {
    List<CmCode> codes = new ArrayList<>();
    query(
        "select code, billable, long_description from icd10cm_code"
            + " where code_set_version = ? and code like ? order by order_number",
        rs -> codes.add(new CmCode(rs.getString(1), rs.getBoolean(2), rs.getString(3))),
        version,
        category.replace("%", "").replace("_", "") + "%");
    return codes;
  }

  /** Description of each code of {@code codes} the PCS release has. */
  public Map<String, String> icd10pcs(String version, Collection<String> codes) {
    Map<String, String> found = new HashMap<>();
    if (version == null || codes.isEmpty()) {
      return found;
    }
    query(
        "select code, description from icd10pcs_code where code_set_version = ? and code = any(?)",
        rs -> found.put(rs.getString(1), rs.getString(2)),
        version,
        codes);
    return found;
  }

  /**
   * The MCE lists each code is on.
   *
   * @param codeType D for diagnoses, P for procedures
   */
  public Map<String, Set<String>> mceLists(
      String version, String codeType, Collection<String> codes) {
    Map<String, Set<String>> lists = new LinkedHashMap<>();
    if (version == null || codes.isEmpty()) {
      return lists;
    }
    query(
        "select code, edit_type from mce_code_edit"
            + " where mce_version = ? and code_type = ? and code = any(?)",
        rs -> lists.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2)),
        version,
        codeType,
        codes);
    return lists;
  }

  private interface Row {
    void read(ResultSet rs) throws SQLException;
  }

  private void query(String sql, Row row, Object... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof Collection<?> values) {
          q.setArray(i + 1, c.createArrayOf("text", values.toArray()));
        } else {
          q.setObject(i + 1, args[i]);
        }
      }
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          row.read(rs);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading the code sets failed", e);
    }
  }
}
