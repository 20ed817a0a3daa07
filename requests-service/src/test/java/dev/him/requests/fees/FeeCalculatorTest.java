package dev.him.requests.fees;

import static org.assertj.core.api.Assertions.assertThat;

import dev.him.requests.roi.DeliveryFormat;
import dev.him.requests.roi.RequestType;
import dev.him.requests.roi.RequesterType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The arithmetic the REST tests cannot reach with one configuration: the state maximum. */
class FeeCalculatorTest {

  @Test
  void aThirdPartyQuoteAboveTheStateMaximumIsCutToIt() {
    List<FeeLine> lines =
        FeeCalculator.lines(
            schedule(Optional.of(new BigDecimal("40"))),
            FeeCalculator.THIRD_PARTY,
            DeliveryFormat.PAPER,
            100,
            FeeOptions.defaults());
    // 25.00 + 100 x 0.50 + 1.50 = 76.50, cut by 36.50
    assertThat(lines).extracting(FeeLine::code).last().isEqualTo("STATE_MAXIMUM");
    assertThat(lines.get(lines.size() - 1).amount()).isEqualByComparingTo("-36.50");
    assertThat(FeeCalculator.total(lines)).isEqualByComparingTo("40.00");
    assertThat(FeeCalculator.total(lines).scale()).isEqualTo(2);
  }

  @Test
  void belowTheMaximumNothingIsCutAndTheIndividualIsNeverCapped() {
    List<FeeLine> small =
        FeeCalculator.lines(
            schedule(Optional.of(new BigDecimal("40"))),
            FeeCalculator.THIRD_PARTY,
            DeliveryFormat.ELECTRONIC,
            3,
            FeeOptions.defaults());
    assertThat(small).extracting(FeeLine::code).doesNotContain("STATE_MAXIMUM");
    assertThat(FeeCalculator.total(small)).isEqualByComparingTo("25.30");

    List<FeeLine> individual =
        FeeCalculator.lines(
            schedule(Optional.of(new BigDecimal("1"))),
            FeeCalculator.INDIVIDUAL,
            DeliveryFormat.ELECTRONIC,
            500,
            FeeOptions.defaults());
    assertThat(FeeCalculator.total(individual)).isEqualByComparingTo("6.50");
  }

  @Test
  void onlyThePatientOrTheirRepresentativeUnderTheRightOfAccessIsTheIndividual() {
    assertThat(FeeCalculator.kind(RequestType.RIGHT_OF_ACCESS, RequesterType.INDIVIDUAL))
        .isEqualTo(FeeCalculator.INDIVIDUAL);
    assertThat(
            FeeCalculator.kind(RequestType.RIGHT_OF_ACCESS, RequesterType.PERSONAL_REPRESENTATIVE))
        .isEqualTo(FeeCalculator.INDIVIDUAL);
    // a third party named in the individual's directive pays the schedule (Ciox v. Azar)
    assertThat(FeeCalculator.kind(RequestType.RIGHT_OF_ACCESS, RequesterType.THIRD_PARTY))
        .isEqualTo(FeeCalculator.THIRD_PARTY);
    assertThat(FeeCalculator.kind(RequestType.AUTHORIZATION, RequesterType.INDIVIDUAL))
        .isEqualTo(FeeCalculator.THIRD_PARTY);
  }

  static FeeSchedule schedule(Optional<BigDecimal> maximum) {
    return new FeeSchedule() {
      public BigDecimal paperPerPage() {
        return new BigDecimal("0.50");
      }

      public BigDecimal electronicPerPage() {
        return new BigDecimal("0.10");
      }

      public BigDecimal searchAndRetrieval() {
        return new BigDecimal("25.00");
      }

      public BigDecimal cd() {
        return new BigDecimal("2.00");
      }

      public BigDecimal usb() {
        return new BigDecimal("8.00");
      }

      public BigDecimal postage() {
        return new BigDecimal("1.50");
      }

      public BigDecimal summary() {
        return new BigDecimal("15.00");
      }

      public BigDecimal individualCopyPerPage() {
        return new BigDecimal("0.12");
      }

      public BigDecimal individualElectronicFlat() {
        return new BigDecimal("6.50");
      }

      public Optional<BigDecimal> maximum() {
        return maximum;
      }
    };
  }
}
