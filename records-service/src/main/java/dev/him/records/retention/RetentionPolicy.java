package dev.him.records.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How long records are kept. A record's retention ends at the later of: its last activity plus
 * {@code adult-years}, and (when the birth date is known) the patient's majority plus {@code
 * minor-years-after-majority}. The defaults follow AHIMA's guidance (adults: 10 years after the
 * most recent encounter; minors: age of majority plus the statute of limitations); state law is
 * often longer and a deployment sets it here.
 */
@ConfigMapping(prefix = "him.retention")
public interface RetentionPolicy {
  /** Years a record is kept after its last activity. */
  @WithDefault("10")
  int adultYears();

  /** Age of majority. */
  @WithDefault("18")
  int majorityAge();

  /** Years a minor's record is kept after they come of age (the statute of limitations). */
  @WithDefault("3")
  int minorYearsAfterMajority();
}
