package dev.him.requests.roi;

import java.util.Set;

/** How the copy reaches the requester; each method needs its own destination. */
public enum DeliveryMethod {
  /** The patient portal or the requester's secure portal: no address needed. */
  PORTAL,
  EMAIL,
  MAIL,
  FAX,
  /** Collected in person (paper, or electronic media such as a USB drive). */
  PICKUP;

  /** The methods that fit a format: paper is mailed or collected, electronic is sent. */
  public static Set<DeliveryMethod> forFormat(DeliveryFormat format) {
    return format == DeliveryFormat.PAPER
        ? Set.of(MAIL, PICKUP)
        : Set.of(PORTAL, EMAIL, FAX, PICKUP);
  }
}
