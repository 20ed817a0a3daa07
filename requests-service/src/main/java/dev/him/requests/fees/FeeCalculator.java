package dev.him.requests.fees;

import dev.him.requests.roi.DeliveryFormat;
import dev.him.requests.roi.RequestType;
import dev.him.requests.roi.RequesterType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** Fee arithmetic: lines and total, every amount with 2 decimals. */
final class FeeCalculator {
  static final String INDIVIDUAL = "INDIVIDUAL";
  static final String THIRD_PARTY = "THIRD_PARTY";

  private FeeCalculator() {}

  /**
   * The individual's own request: the right of access asked by the patient or their personal
   * representative. A third party named in the individual's directive pays the schedule (Ciox v.
   * Azar, 2020).
   */
  static String kind(RequestType type, RequesterType requester) {
    return type == RequestType.RIGHT_OF_ACCESS
            && (requester == RequesterType.INDIVIDUAL
                || requester == RequesterType.PERSONAL_REPRESENTATIVE)
        ? INDIVIDUAL
        : THIRD_PARTY;
  }

  static List<FeeLine> lines(
      FeeSchedule s, String kind, DeliveryFormat format, int pages, FeeOptions o) {
    List<FeeLine> lines = new ArrayList<>();
    if (INDIVIDUAL.equals(kind)) {
      if (format == DeliveryFormat.ELECTRONIC && o.flatFee()) {
        lines.add(
            line(
                "ELECTRONIC_FLAT_FEE",
                "Electronic copy, flat fee (all costs included)",
                1,
                s.individualElectronicFlat(),
                "45 CFR 164.524(c)(4): flat fee option for electronic copies; no search and"
                    + " retrieval fee"));
        return lines;
      }
      lines.add(
          line(
              "COPY_LABOR",
              format == DeliveryFormat.PAPER
                  ? "Labor and paper for copying, per page"
                  : "Labor for making the electronic copy, per page",
              pages,
              s.individualCopyPerPage(),
              "45 CFR 164.524(c)(4)(i)-(ii): cost-based labor for copying and supplies only; no"
                  + " search and retrieval fee"));
    } else {
      lines.add(
          line(
              "SEARCH_AND_RETRIEVAL",
              "Search and retrieval",
              1,
              s.searchAndRetrieval(),
              "fee schedule him.roi.fees.search-and-retrieval"));
      lines.add(
          format == DeliveryFormat.PAPER
              ? line(
                  "PAPER_COPY",
                  "Paper copy, per page",
                  pages,
                  s.paperPerPage(),
                  "fee schedule him.roi.fees.paper-per-page")
              : line(
                  "ELECTRONIC_COPY",
                  "Electronic copy, per page",
                  pages,
                  s.electronicPerPage(),
                  "fee schedule him.roi.fees.electronic-per-page"));
    }
    String rule = INDIVIDUAL.equals(kind) ? "45 CFR 164.524(c)(4)" : "fee schedule";
    if (format == DeliveryFormat.ELECTRONIC && o.media() == FeeOptions.Media.CD) {
      lines.add(line("MEDIA_CD", "CD", 1, s.cd(), rule + " (supplies: him.roi.fees.media.cd)"));
    } else if (format == DeliveryFormat.ELECTRONIC && o.media() == FeeOptions.Media.USB) {
      lines.add(
          line("MEDIA_USB", "USB drive", 1, s.usb(), rule + " (supplies: him.roi.fees.media.usb)"));
    }
    if (format == DeliveryFormat.PAPER) {
      lines.add(line("POSTAGE", "Postage", 1, s.postage(), rule + " (postage)"));
    }
    if (o.summary()) {
      lines.add(
          line(
              "SUMMARY",
              "Explanation or summary, as agreed",
              1,
              s.summary(),
              rule + " (summary agreed in advance, 164.524(c)(2)(iii))"));
    }
    if (!INDIVIDUAL.equals(kind) && s.maximum().isPresent()) {
      BigDecimal max = money(s.maximum().get());
      BigDecimal total = total(lines);
      if (total.compareTo(max) > 0) {
        BigDecimal cut = max.subtract(total);
        lines.add(
            new FeeLine(
                "STATE_MAXIMUM",
                "Reduced to the state maximum of " + max,
                1,
                cut,
                cut,
                "state maximum him.roi.fees.maximum"));
      }
    }
    return lines;
  }

  static BigDecimal total(List<FeeLine> lines) {
    return money(lines.stream().map(FeeLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add));
  }

  private static FeeLine line(
      String code, String description, int quantity, BigDecimal unit, String basis) {
    BigDecimal price = money(unit);
    return new FeeLine(
        code,
        description,
        quantity,
        price,
        money(price.multiply(BigDecimal.valueOf(quantity))),
        basis);
  }

  static BigDecimal money(BigDecimal v) {
    return v.setScale(2, RoundingMode.HALF_UP);
  }
}
