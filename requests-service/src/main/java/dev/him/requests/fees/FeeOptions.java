package dev.him.requests.fees;

/**
 * What the requester chose beyond the delivery format.
 *
 * @param media NONE, CD or USB for an electronic copy on media
 * @param summary an explanation or summary, agreed in advance
 * @param flatFee the individual's flat fee for an electronic copy (default) instead of cost-based
 */
public record FeeOptions(Media media, boolean summary, boolean flatFee) {
  public enum Media {
    NONE,
    CD,
    USB
  }

  public static FeeOptions defaults() {
    return new FeeOptions(Media.NONE, false, true);
  }
}
