package dev.him.requests.roi;

import com.fasterxml.jackson.annotation.JsonCreator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A postal address. A plain string is still accepted (and read back as one line): requests logged
 * before addresses were structured carry one.
 */
public record PostalAddress(
    @Schema(description = "Street lines, 1 to 3") @NotEmpty @Size(max = 3)
        List<@NotBlank @Size(max = 200) String> lines,
    @Size(max = 100) String city,
    @Schema(description = "State or region, e.g. MA") @Size(max = 100) String state,
    @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9 -]{1,9}", message = "must be a postal code")
        String postalCode,
    @Schema(description = "ISO 3166 alpha-2, e.g. US")
        @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO country code such as US")
        String country) {

  /** A one-line address as sent before V4; city and postal code unknown. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static PostalAddress ofText(String text) {
    return new PostalAddress(List.of(text), null, null, null, null);
  }

  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public PostalAddress {}

  /** Whether a letter can be addressed with it: the street, the city and the postal code. */
  public boolean mailable() {
    return lines != null && !lines.isEmpty() && notBlank(city) && notBlank(postalCode);
  }

  /** The one-line form kept in requester_address for readers that print it. */
  public String oneLine() {
    List<String> parts = new ArrayList<>(lines == null ? List.of() : lines);
    String cityLine =
        String.join(
                " ",
                List.of(
                    nz(city) + (notBlank(city) && notBlank(state) ? "," : ""),
                    nz(state),
                    nz(postalCode)))
            .strip()
            .replaceAll(" +", " ");
    if (!cityLine.isBlank()) {
      parts.add(cityLine);
    }
    if (notBlank(country)) {
      parts.add(country);
    }
    return String.join(", ", parts);
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static String nz(String s) {
    return s == null ? "" : s.strip();
  }
}
