package dev.him.coding.terminology;

import dev.him.coding.codeset.CodeSetVersions;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which release a lookup or search answers from: the version asked for, or the release in force on
 * the date asked for (default today). Same rule as {@link CodeSetVersions#inForce}: the loaded
 * release with the latest effective_from on or before the day and not past its effective_to.
 *
 * <p>Every search needs this, so the code_set_import rows are read once and kept for a few seconds
 * ({@code him.coding.releases.refresh}) instead of queried per request: at thousands of searches a
 * second a query each would cost more than the search. A release loaded meanwhile is seen at once
 * when asked for by version (a miss re-reads), and within the refresh interval for dates.
 */
@ApplicationScoped
public class Releases {

  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "him.coding.releases.refresh", defaultValue = "PT5S")
  Duration refresh;

  /** One code_set_import row. */
  record Row(
      long id, String codeSystem, String version, LocalDate effectiveFrom, LocalDate effectiveTo) {}

  private record Snapshot(List<Row> rows, long readAtNanos) {}

  private volatile Snapshot snapshot;

  /**
   * The release to answer from.
   *
   * @param version a release name (FY2025) or null
   * @param date YYYY-MM-DD or null; with neither, today
   * @throws ProblemException 400 when the date is malformed or both are given, 404 naming the
   *     version or date when nothing loaded matches
   */
  public ReleaseRef resolve(CodeSystemId system, String version, String date) {
    if (version != null && date != null) {
      throw new ProblemException(
          400,
          "Invalid request",
          "give version or date, not both",
          List.of(
              new InvalidParam("version", "give version or date, not both"),
              new InvalidParam("date", "give version or date, not both")));
    }
    if (version != null) {
      return byVersion(system, version)
          .orElseThrow(
              () ->
                  new ProblemException(
                      404,
                      "Not found",
                      system.codeSystem()
                          + " version "
                          + version
                          + " is not loaded"
                          + loadedList(system),
                      List.of(
                          new InvalidParam(
                              "version",
                              system.codeSystem() + " version " + version + " is not loaded"))));
    }
    LocalDate day = date == null ? LocalDate.now() : parseDate(date);
    return inForce(system, day)
        .orElseThrow(
            () ->
                date == null
                    ? ProblemException.notFound(
                        "No "
                            + system.codeSystem()
                            + " release is in force today"
                            + loadedList(system))
                    : new ProblemException(
                        404,
                        "Not found",
                        "No "
                            + system.codeSystem()
                            + " release is in force on "
                            + day
                            + loadedList(system),
                        List.of(
                            new InvalidParam(
                                "date",
                                "no " + system.codeSystem() + " release is in force on " + day))));
  }

  /** The release of {@code system} named {@code version}, if it is loaded. */
  public Optional<ReleaseRef> byVersion(CodeSystemId system, String version) {
    Optional<Row> row = find(rows(false), system.codeSystem(), version);
    if (row.isEmpty()) {
      // perhaps loaded since the last read: look again (at most every 100 ms)
      row = find(rows(true), system.codeSystem(), version);
    }
    return row.map(r -> ref(system, r));
  }

  /** The release of {@code system} in force on {@code day}, if any. */
  public Optional<ReleaseRef> inForce(CodeSystemId system, LocalDate day) {
    return inForce(rows(false), system.codeSystem(), day).map(r -> ref(system, r));
  }

  /** Forgets the rows read so far: the next call reads code_set_import again. */
  public void refresh() {
    snapshot = null;
  }

  private ReleaseRef ref(CodeSystemId system, Row row) {
    ReleaseRef.NotesRef notes = null;
    if (system == CodeSystemId.ICD10CM) {
      // notes are kept in use until a newer tabular is loaded (CodeSetVersions.latestOnOrBefore)
      notes =
          rows(false).stream()
              .filter(r -> r.codeSystem().equals(CodeSetVersions.ICD10CM_TABULAR))
              .filter(r -> !r.effectiveFrom().isAfter(row.effectiveFrom()))
              .max(Comparator.comparing(Row::effectiveFrom))
              .map(r -> new ReleaseRef.NotesRef(r.id(), r.version()))
              .orElse(null);
    }
    return new ReleaseRef(
        system, row.id(), row.version(), row.effectiveFrom(), row.effectiveTo(), notes);
  }

  static Optional<Row> find(List<Row> rows, String codeSystem, String version) {
    return rows.stream()
        .filter(r -> r.codeSystem().equals(codeSystem) && r.version().equals(version))
        .findFirst();
  }

  static Optional<Row> inForce(List<Row> rows, String codeSystem, LocalDate day) {
    return rows.stream()
        .filter(r -> r.codeSystem().equals(codeSystem))
        .filter(r -> !r.effectiveFrom().isAfter(day))
        .filter(r -> r.effectiveTo() == null || !r.effectiveTo().isBefore(day))
        .max(Comparator.comparing(Row::effectiveFrom));
  }

  private String loadedList(CodeSystemId system) {
    String loaded =
        rows(false).stream()
            .filter(r -> r.codeSystem().equals(system.codeSystem()))
            .sorted(Comparator.comparing(Row::effectiveFrom))
            .map(r -> r.version() + " from " + r.effectiveFrom())
            .collect(Collectors.joining(", "));
    return loaded.isEmpty() ? " (none is loaded)" : " (loaded: " + loaded + ")";
  }

  private static LocalDate parseDate(String date) {
    try {
      return LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest("date", "must be a date, YYYY-MM-DD");
    }
  }

  private List<Row> rows(boolean fresh) {
    Snapshot s = snapshot;
    long now = System.nanoTime();
    long maxAge = fresh ? 100_000_000L : refresh.toNanos();
    if (s != null && now - s.readAtNanos() < maxAge) {
      return s.rows();
    }
    synchronized (this) {
      s = snapshot;
      if (s != null && System.nanoTime() - s.readAtNanos() < maxAge) {
        return s.rows();
      }
      s = new Snapshot(read(), System.nanoTime());
      snapshot = s;
      return s.rows();
    }
  }

  private List<Row> read() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select id, code_system, version, effective_from, effective_to"
                    + " from code_set_import");
        ResultSet rs = q.executeQuery()) {
      List<Row> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(
            new Row(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getObject(4, LocalDate.class),
                rs.getObject(5, LocalDate.class)));
      }
      return List.copyOf(rows);
    } catch (SQLException e) {
      throw new IllegalStateException("reading the loaded code set releases failed", e);
    }
  }
}
