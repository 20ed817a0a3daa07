package dev.him.requests.fees;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The fee quote for one packet as shown to the requester: who saw it, how, when, how much. */
@Entity
@Table(name = "roi_fee_acknowledgement")
public class FeeAcknowledgement extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "request_id")
  public UUID requestId;

  @Column(name = "packet_id")
  public UUID packetId;

  public BigDecimal total;

  @JdbcTypeCode(SqlTypes.JSON)
  public List<FeeLine> lines;

  @JdbcTypeCode(SqlTypes.JSON)
  public FeeOptions options;

  @Column(name = "shown_to")
  public String shownTo;

  @Column(name = "shown_via")
  public String shownVia;

  @Column(name = "recorded_by")
  public String recordedBy;

  @Column(name = "recorded_at")
  public Instant recordedAt;

  /** Whether the quote of this packet was shown (release needs it). */
  public static boolean existsFor(UUID packetId) {
    return count("packetId", packetId) > 0;
  }

  static FeeAcknowledgement latestFor(UUID packetId) {
    return find("packetId = ?1 order by recordedAt desc", packetId).firstResult();
  }
}
