package dev.him.audit.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How names and addresses are compared before the rules decide. */
class NormalizeTest {

  @Test
  void familyNamesIgnoreCaseAccentsAndPunctuation() {
    assertThat(Normalize.familyName("Müller-Ölz")).isEqualTo(Normalize.familyName("MULLER OLZ"));
    assertThat(Normalize.familyName("O'Brien")).isEqualTo(Normalize.familyName("obrien"));
    assertThat(Normalize.familyName("Smith")).isNotEqualTo(Normalize.familyName("Smithson"));
    assertThat(Normalize.familyName(null)).isEmpty();
  }

  @Test
  void streetWordsAreAbbreviated() {
    assertThat(Normalize.street("12 Main Street")).isEqualTo(Normalize.street("12 main st."));
    assertThat(Normalize.street("4 North Avenue")).isEqualTo("4 n ave");
    assertThat(Normalize.street("12 Main Street")).isNotEqualTo(Normalize.street("14 Main Street"));
  }

  @Test
  void postalCodesKeepFiveDigitsOfAZipPlusFour() {
    assertThat(Normalize.postalCode("02139-4301")).isEqualTo("02139");
    assertThat(Normalize.postalCode("sw1a 1aa")).isEqualTo("SW1A1AA");
    assertThat(Normalize.postalCode("02140")).isNotEqualTo(Normalize.postalCode("02139"));
  }
}
