package dev.him.requests.fulfilment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One build of a request's release packet; the PDF bytes are in RoiPacketContent. */
@Entity
@Table(name = "roi_packet")
public class RoiPacket extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "request_id")
  public UUID requestId;

  /** False once a rebuild replaced it; kept as the record of what was built. */
  public boolean current;

  public String sha256;

  @Column(name = "page_count")
  public int pageCount;

  @Column(name = "size_bytes")
  public int sizeBytes;

  @Column(name = "resource_count")
  public int resourceCount;

  /** Per record type code: how many resources and their date span. */
  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, IncludedType> included;

  /** Per sensitive category: how many resources were left out. */
  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, Integer> withheld;

  /** Resources outside the dates or record types released (minimum necessary, court order). */
  @Column(name = "outside_scope")
  public int outsideScope;

  @Column(name = "part2_notice")
  public boolean part2Notice;

  @Column(name = "minimum_necessary")
  public boolean minimumNecessary;

  public String recipient;

  @Column(name = "bates_first")
  public String batesFirst;

  @Column(name = "bates_last")
  public String batesLast;

  @Column(name = "built_at")
  public Instant builtAt;

  @Column(name = "built_by")
  public String builtBy;

  @Column(name = "superseded_at")
  public Instant supersededAt;

  /** A record type in the packet: count and first and last day of care. */
  public record IncludedType(int count, String from, String to) {}

  public static Optional<RoiPacket> currentOf(UUID requestId) {
    return find("requestId = ?1 and current = true", requestId).firstResultOptional();
  }
}
