package dev.him.infra.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Looks into a service's outbox table from its tests: the events a request wrote, as JSON text,
 * waiting (up to a timeout) for the relay where it matters.
 */
public final class OutboxProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private final DataSource db;

  public OutboxProbe(DataSource db) {
    this.db = db;
  }

  /** The first access event for this patient and action, once the relay has sent it to Kafka. */
  public String awaitPublished(String patientId, String action) {
    return await(
        "select cast(payload as text) from outbox_event where published_at is not null"
            + " and payload->>'action' = ?"
            + " and payload->'patientIds' @> jsonb_build_array(cast(? as text))"
            // the first such event, not whichever row the scan meets first
            + " order by seq limit 1",
        action,
        patientId);
  }

  /** The event written for the request with this X-Request-Id (sent or not). */
  public String awaitByCorrelationId(String correlationId) {
    return await(
        "select cast(payload as text) from outbox_event where payload->>'correlationId' = ?",
        correlationId);
  }

  /**
   * A domain event of this type whose top-level field has this value (e.g. "PatientMerged",
   * "survivorPatientId", id), written to the outbox (sent or not).
   */
  public String awaitEvent(String eventType, String field, String value) {
    return await(
        "select cast(payload as text) from outbox_event where event_type = ?"
            + " and payload->>'"
            + field.replaceAll("[^A-Za-z0-9_]", "")
            + "' = ? order by created_at limit 1",
        eventType,
        value);
  }

  /** How many domain events of this type have this value in a top-level field (0 if none). */
  public int countEvents(String eventType, String field, String value) {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select count(*) from outbox_event where event_type = ? and payload->>'"
                    + field.replaceAll("[^A-Za-z0-9_]", "")
                    + "' = ?")) {
      ps.setString(1, eventType);
      ps.setString(2, value);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new AssertionError("cannot read the outbox", e);
    }
  }

  private String await(String sql, String... args) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      String found = first(sql, args);
      if (found != null) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no outbox event within " + TIMEOUT.toSeconds() + " s for " + String.join(", ", args));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  private String first(String sql, String... args) {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        q.setString(i + 1, args[i]);
      }
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
