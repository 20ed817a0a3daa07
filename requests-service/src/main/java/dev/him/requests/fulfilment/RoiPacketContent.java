package dev.him.requests.fulfilment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** The PDF of a packet, apart from its metadata so reading metadata never loads the bytes. */
@Entity
@Table(name = "roi_packet_content")
public class RoiPacketContent extends PanacheEntityBase {
  @Id
  @Column(name = "packet_id")
  public UUID packetId;

  public byte[] content;
}
