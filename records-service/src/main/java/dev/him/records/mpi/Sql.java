package dev.him.records.mpi;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Column values of native queries, whichever Java type the driver hands back. */
final class Sql {
  private Sql() {}

  static Instant instant(Object o) {
    if (o == null) return null;
    if (o instanceof Instant i) return i;
    if (o instanceof OffsetDateTime t) return t.toInstant();
    if (o instanceof java.sql.Timestamp t) return t.toInstant();
    if (o instanceof java.time.ZonedDateTime z) return z.toInstant();
    throw new IllegalArgumentException("not a timestamp: " + o.getClass().getName());
  }

  static LocalDate date(Object o) {
    if (o == null) return null;
    if (o instanceof LocalDate d) return d;
    if (o instanceof java.sql.Date d) return d.toLocalDate();
    throw new IllegalArgumentException("not a date: " + o.getClass().getName());
  }

  static UUID uuid(Object o) {
    if (o == null) return null;
    return o instanceof UUID u ? u : UUID.fromString(o.toString());
  }

  static Integer integer(Object o) {
    return o == null ? null : ((Number) o).intValue();
  }
}
