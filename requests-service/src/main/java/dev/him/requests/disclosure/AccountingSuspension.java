package dev.him.requests.disclosure;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A health oversight agency's or law enforcement official's statement that telling the individual
 * of its disclosures would impede its work (164.528(a)(2)). While it runs, disclosures to that
 * agency are left out of the individual's accounting; they reappear once it ends.
 */
@Entity
@Table(name = "roi_accounting_suspension")
public class AccountingSuspension extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "patient_id")
  public String patientId;

  /** The agency the disclosures went to; matched with the entries' recipient name. */
  public String agency;

  /** The official who made the statement (documented for an oral one, (a)(2)(ii)(A)). */
  public String official;

  public String statement;

  @Enumerated(EnumType.STRING)
  @Column(name = "statement_kind")
  public StatementKind statementKind;

  @Column(name = "starts_on")
  public LocalDate startsOn;

  @Column(name = "ends_on")
  public LocalDate endsOn;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "created_by")
  public String createdBy;

  boolean activeOn(LocalDate day) {
    return !day.isBefore(startsOn) && !day.isAfter(endsOn);
  }

  boolean covers(RoiDisclosure entry) {
    return normalise(agency).equals(normalise(entry.recipientName));
  }

  static List<AccountingSuspension> ofPatient(String patientId) {
    return list("patientId = ?1 order by startsOn, id", patientId);
  }

  private static String normalise(String name) {
    return name == null
        ? ""
        : name.strip().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
  }
}
