package dev.him.coding.codeset.icd10cm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Icd10CmOrderFileTest {

  static String line(String order, String code, char billable, String shortD, String longD) {
    return "%5s %-7s %c %-60s %s".formatted(order, code, billable, shortD, longD);
  }

  @Test
  void readsTheFixedWidthColumns() {
    Icd10CmOrderFile.Line l =
        Icd10CmOrderFile.parse(
            line("04407", "E119", '1', "Type 2 diabetes mellitus w/o complications", "Long one"),
            7);
    assertThat(l.orderNumber()).isEqualTo(4407);
    assertThat(l.code()).isEqualTo("E119");
    assertThat(l.displayCode()).isEqualTo("E11.9");
    assertThat(l.billable()).isTrue();
    assertThat(l.shortDescription()).isEqualTo("Type 2 diabetes mellitus w/o complications");
    assertThat(l.longDescription()).isEqualTo("Long one");
  }

  @Test
  void headersAreNotBillableAndKeepTheirThreeCharacters() {
    Icd10CmOrderFile.Line l = Icd10CmOrderFile.parse(line("04292", "E11", '0', "T2DM", "T2DM"), 1);
    assertThat(l.billable()).isFalse();
    assertThat(l.displayCode()).isEqualTo("E11");
    assertThat(Icd10CmOrderFile.parse(line("1", "S72001A", '1', "a", "b"), 1).displayCode())
        .isEqualTo("S72.001A");
  }

  @Test
  void aLineOffTheLayoutNamesItsLineNumber() {
    assertThatThrownBy(() -> Icd10CmOrderFile.parse(line("1", "E119", 'x', "a", "b"), 42))
        .isInstanceOf(Icd10CmOrderFile.FormatException.class)
        .hasMessageContaining("line 42")
        .hasMessageContaining("billable");
    assertThatThrownBy(() -> Icd10CmOrderFile.parse("00001 A00 0 Cholera", 3))
        .hasMessageContaining("line 3");
    assertThatThrownBy(() -> Icd10CmOrderFile.parse(line("1", "119E", '1', "a", "b"), 5))
        .hasMessageContaining("code");
    assertThatThrownBy(() -> Icd10CmOrderFile.parse(line("1", "e119", '1', "a", "b"), 6))
        .isInstanceOf(Icd10CmOrderFile.FormatException.class)
        .extracting(e -> ((Icd10CmOrderFile.FormatException) e).lineNumber())
        .isEqualTo(6);
  }
}
