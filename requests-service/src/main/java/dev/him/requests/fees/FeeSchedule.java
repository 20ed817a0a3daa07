package dev.him.requests.fees;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The cost-based fee schedule (him.roi.fees.*), in dollars. The individual's own request is charged
 * under 45 CFR 164.524(c)(4): labor for copying, supplies, postage and an agreed summary, never
 * search and retrieval, or the flat fee for an electronic copy. Everyone else pays the schedule up
 * to the state maximum, when one is set.
 */
@ConfigMapping(prefix = "him.roi.fees")
public interface FeeSchedule {
  /** Paper copy, per page (third parties). */
  @WithName("paper-per-page")
  @WithDefault("0.50")
  BigDecimal paperPerPage();

  /** Electronic copy of paper records, per page (third parties). */
  @WithName("electronic-per-page")
  @WithDefault("0.10")
  BigDecimal electronicPerPage();

  /** Search and retrieval, per request (third parties only). */
  @WithName("search-and-retrieval")
  @WithDefault("25.00")
  BigDecimal searchAndRetrieval();

  @WithName("media.cd")
  @WithDefault("2.00")
  BigDecimal cd();

  @WithName("media.usb")
  @WithDefault("8.00")
  BigDecimal usb();

  /** Mailing a paper copy. */
  @WithDefault("1.50")
  BigDecimal postage();

  /** An explanation or summary, only when the requester agreed to it in advance. */
  @WithDefault("15.00")
  BigDecimal summary();

  /** The individual: cost-based labor (and paper) for copying, per page. */
  @WithName("individual.copy-per-page")
  @WithDefault("0.12")
  BigDecimal individualCopyPerPage();

  /** The individual: flat fee for an electronic copy, all costs included. */
  @WithName("individual.electronic-flat")
  @WithDefault("6.50")
  BigDecimal individualElectronicFlat();

  /** A state's cap on what a third party may be charged; none when unset. */
  Optional<BigDecimal> maximum();
}
