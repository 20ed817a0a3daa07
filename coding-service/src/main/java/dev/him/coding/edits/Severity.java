package dev.him.coding.edits;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An error stops finalization; a warning is shown and kept, and does not. */
public enum Severity {
  ERROR,
  WARNING;

  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity of(String value) {
    return valueOf(value.strip().toUpperCase(Locale.ROOT));
  }
}
