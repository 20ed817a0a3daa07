package dev.him.coding.cases;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Plain SQL on the service's datasource. Inside a transaction every call uses the connection the
 * transaction holds, so these statements, Hibernate's and the outbox's commit or roll back as one.
 * Instants are bound as timestamptz, collections as text[]; a null binds untyped, so a null that
 * the server cannot type from its column needs a cast in the SQL.
 */
@ApplicationScoped
public class Sql {
  @Inject AgroalDataSource ds;

  public interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  public int update(String sql, Object... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      bind(c, q, args);
      return q.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("statement failed: " + firstWords(sql), e);
    }
  }

  public <T> List<T> list(String sql, Row<T> row, Object... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      bind(c, q, args);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(row.read(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + firstWords(sql), e);
    }
  }

  public <T> Optional<T> one(String sql, Row<T> row, Object... args) {
    List<T> rows = list(sql, row, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public long count(String sql, Object... args) {
    return one(sql, rs -> rs.getLong(1), args).orElse(0L);
  }

  private static void bind(Connection c, PreparedStatement q, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Instant t) {
        q.setObject(i + 1, t.atOffset(ZoneOffset.UTC));
      } else if (a instanceof Collection<?> values) {
        q.setArray(i + 1, c.createArrayOf("text", values.toArray()));
      } else {
        q.setObject(i + 1, a);
      }
    }
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  public static LocalDate date(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, LocalDate.class);
  }

  public static Integer integer(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  private static String firstWords(String sql) {
    return sql.length() <= 60 ? sql : sql.substring(0, 60) + "...";
  }
}
