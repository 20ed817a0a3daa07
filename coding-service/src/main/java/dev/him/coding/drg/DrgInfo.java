package dev.him.coding.drg;

import java.math.BigDecimal;

/**
 * One MS-DRG of a grouper version, from the weights table (CMS Table 5).
 *
 * @param mdc PRE or 01..25; null for the DRGs assigned whatever the MDC (981-989, 998, 999)
 * @param type SURG, MED, or ** (998, 999)
 * @param gmlos geometric mean length of stay, in days
 */
public record DrgInfo(
    String msDrg,
    String version,
    String mdc,
    String type,
    String title,
    BigDecimal weight,
    BigDecimal gmlos) {}
