package dev.him.coding.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Plain SQL against the service's database, for what tests check behind the API. */
public record Db(DataSource ds) {

  public long count(String sql, Object... args) {
    Object v = value(sql, args);
    return v == null ? 0 : ((Number) v).longValue();
  }

  public String text(String sql, Object... args) {
    Object v = value(sql, args);
    return v == null ? null : v.toString();
  }

  public Object value(String sql, Object... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        q.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getObject(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public int update(String sql, Object... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        q.setObject(i + 1, args[i]);
      }
      return q.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
