package dev.him.records.fhir;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** A FHIR date search value on a day: an optional prefix (eq, ne, lt, le, gt, ge) and the day. */
public record DateParam(String prefix, LocalDate day) {

  /** Throws IllegalArgumentException with a message fit for the caller when the value is bad. */
  public static DateParam parse(String value) {
    String prefix = "eq";
    String date = value;
    if (value.length() > 2 && Character.isLetter(value.charAt(0))) {
      prefix = value.substring(0, 2);
      date = value.substring(2);
    }
    if (!java.util.Set.of("eq", "ne", "lt", "le", "gt", "ge").contains(prefix)) {
      throw new IllegalArgumentException("prefix " + prefix + " is not supported");
    }
    try {
      return new DateParam(prefix, LocalDate.parse(date));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "must be a date YYYY-MM-DD, optionally prefixed eq, ne, lt, le, gt or ge");
    }
  }
}
