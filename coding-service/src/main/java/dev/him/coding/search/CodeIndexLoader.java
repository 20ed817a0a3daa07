package dev.him.coding.search;

import dev.him.coding.terminology.CodeSystemId;
import dev.him.coding.terminology.ReleaseRef;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;

/**
 * Reads one release's rows (icd10cm_code with the tabular's inclusion terms, icd10pcs_code,
 * hcpcs_code) and builds its {@link CodeIndex}. Rows are streamed (a cursor in a read-only
 * transaction), so the build never holds the whole result set as well as the index.
 */
@ApplicationScoped
public class CodeIndexLoader {
  private static final int FETCH = 5000;

  @Inject AgroalDataSource dataSource;

  public CodeIndex load(ReleaseRef release) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
      try {
        CodeIndex.Builder b =
            new CodeIndex.Builder(
                release.system(), release.version(), release.system() == CodeSystemId.ICD10CM);
        switch (release.system()) {
          case ICD10CM -> icd10cm(c, release, b);
          case ICD10PCS -> icd10pcs(c, release, b);
          case HCPCS -> hcpcs(c, release, b);
        }
        return b.build();
      } finally {
        c.rollback();
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "reading " + release.system().codeSystem() + " " + release.version() + " failed", e);
    }
  }

  private static void icd10cm(Connection c, ReleaseRef r, CodeIndex.Builder b) throws SQLException {
    if (r.notes() != null) {
      // inclusion terms: other names of the condition a code stands for, found by search too
      // (read first: the builder takes a code's search texts before the code)
      try (PreparedStatement q =
          c.prepareStatement(
              "select code, text from icd10cm_note where tabular_version = ?"
                  + " and kind = 'inclusionTerm' order by code, ordinal")) {
        q.setFetchSize(FETCH);
        q.setString(1, r.notes().version());
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) b.addSearchText(rs.getString(1), rs.getString(2));
        }
      }
    }
    try (PreparedStatement q =
        c.prepareStatement(
            "select code, billable, short_description, long_description from icd10cm_code"
                + " where code_set_version = ? order by order_number")) {
      q.setFetchSize(FETCH);
      q.setString(1, r.version());
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          b.add(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4));
        }
      }
    }
  }

  private static void icd10pcs(Connection c, ReleaseRef r, CodeIndex.Builder b)
      throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "select code, description from icd10pcs_code where code_set_version = ?"
                + " order by code")) {
      q.setFetchSize(FETCH);
      q.setString(1, r.version());
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          // every code in the CMS codes file is a complete, reportable code
          b.add(rs.getString(1).strip(), true, null, rs.getString(2));
        }
      }
    }
  }

  private static void hcpcs(Connection c, ReleaseRef r, CodeIndex.Builder b) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "select code, modifier, short_description, long_description, terminated_on"
                + " from hcpcs_code where code_set_version = ? order by modifier, code")) {
      q.setFetchSize(FETCH);
      q.setString(1, r.version());
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          boolean modifier = rs.getBoolean(2);
          LocalDate terminated = rs.getObject(5, LocalDate.class);
          // a modifier is not reported on its own; a code terminated before the quarter began is
          // listed for reference only
          boolean billable =
              !modifier && (terminated == null || !terminated.isBefore(r.effectiveFrom()));
          b.add(rs.getString(1).strip(), billable, rs.getString(3), rs.getString(4));
        }
      }
    }
  }
}
