package dev.him.audit.monitoring;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Privacy monitoring's configuration: the job, the sources of facts and each rule
 * (him.audit.monitoring.*).
 */
@ConfigMapping(prefix = "him.audit.monitoring")
public interface MonitoringConfig {
  /** How often the job looks for new entries ("off" stops it; tests run passes themselves). */
  @WithDefault("1s")
  String interval();

  /** Longest pause of the job after failed passes (it doubles from 1 s). */
  @WithDefault("PT1M")
  Duration maxBackoff();

  /** Entries evaluated per chain in one transaction. */
  @WithDefault("1000")
  int batchSize();

  /** Upper bound of one chain's transaction (facts are fetched inside it). */
  @WithDefault("PT5M")
  Duration transactionTimeout();

  /** User names never evaluated: the platform's own service accounts. */
  @WithDefault("service-account-")
  String ignoredUserPrefix();

  /** How long user and patient facts are kept in memory (never on disk). */
  @WithDefault("PT5M")
  Duration cacheTtl();

  /** Lookups of users and patients not in memory made side by side before a batch is judged. */
  @WithDefault("4")
  int lookupConcurrency();

  /** Purpose of use sent with the reads of patient facts (recorded by records-service). */
  @WithDefault("HOPERAT")
  String purposeOfUse();

  /** Realm of the users (Keycloak admin API: {keycloak-admin url}/admin/realms/{realm}/users). */
  @WithDefault("him")
  String realm();

  /** Keycloak user attributes read for the user rules. */
  Attributes attributes();

  Toggle sameSurname();

  Toggle sameAddress();

  Vip vip();

  Toggle deceased();

  NoTreatmentRelationship noTreatmentRelationship();

  BreakTheGlass breakTheGlass();

  UnusualVolume unusualVolume();

  OutsideHours outsideHours();

  Toggle selfAccess();

  interface Attributes {
    @WithDefault("street")
    String street();

    @WithDefault("postal_code")
    String postalCode();

    @WithDefault("practitioner_id")
    String practitionerId();

    @WithDefault("patient_id")
    String patientId();
  }

  interface Toggle {
    @WithDefault("true")
    boolean enabled();
  }

  interface Vip extends Toggle {
    /** meta.security codes that also make a patient a VIP (besides HL7 ActCode CEL). */
    Optional<Set<String>> extraCodes();
  }

  interface NoTreatmentRelationship extends Toggle {
    /** Only users with one of these roles are expected to have a treatment relationship. */
    @WithDefault("clinician")
    Set<String> clinicalRoles();
  }

  interface BreakTheGlass extends Toggle {
    @WithDefault("BTG,ETREAT")
    Set<String> purposes();
  }

  interface UnusualVolume extends Toggle {
    /** More distinct patients than this within the window opens an alert. */
    @WithDefault("50")
    int maxPatients();

    @WithDefault("PT1H")
    Duration window();
  }

  interface OutsideHours extends Toggle {
    /** Working hours: start included, end excluded. */
    @WithDefault("07:00")
    LocalTime start();

    @WithDefault("19:00")
    LocalTime end();

    @WithDefault("MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY")
    List<DayOfWeek> days();

    @WithDefault("America/New_York")
    ZoneId zone();
  }
}
