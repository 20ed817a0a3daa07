package dev.him.records.mpi;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * What the matcher compares of a patient, normalised once per version: names without case, accents
 * or punctuation, the birth date as written, sex, phone digits, addresses, and identifiers other
 * than the platform's MRN (every patient has a different one, so it says nothing about a match).
 */
public record MatchProfile(
    List<String> families,
    List<String> givens,
    String birthDate,
    String gender,
    List<String> phones,
    List<Place> addresses,
    List<Id> identifiers) {

  /** An address reduced to what identifies a home: street line, city, postal code. */
  public record Place(String line, String city, String postalCode) {}

  /** An identifier: its system ("" when none) and its value in upper case without separators. */
  public record Id(String system, String value) {}

  static final DoubleMetaphone PHONETIC = new DoubleMetaphone();

  /** Bounds, so a patient with dozens of names or phones cannot make a change expensive. */
  private static final int MAX_EACH = 5;

  private static final Map<String, String> STREET_WORDS =
      Map.of(
          "street", "st",
          "avenue", "ave",
          "road", "rd",
          "drive", "dr",
          "lane", "ln",
          "boulevard", "blvd",
          "court", "ct",
          "place", "pl",
          "apartment", "apt",
          "suite", "ste");

  public static MatchProfile of(Patient patient, String mrnSystem) {
    Set<String> families = new LinkedHashSet<>();
    Set<String> givens = new LinkedHashSet<>();
    for (HumanName name : patient.getName()) {
      String family = name(name.getFamily());
      if (!family.isEmpty()) families.add(family);
      for (StringType given : name.getGiven()) {
        String g = name(given.getValue());
        if (!g.isEmpty()) givens.add(g);
      }
    }
    String birthDate =
        patient.hasBirthDate() ? patient.getBirthDateElement().getValueAsString() : null;
    String gender =
        patient.hasGender() && patient.getGender() != AdministrativeGender.UNKNOWN
            ? patient.getGender().toCode()
            : null;
    Set<String> phones = new LinkedHashSet<>();
    for (ContactPoint t : patient.getTelecom()) {
      boolean phoneLike =
          t.getSystem() == null
              || t.getSystem() == ContactPoint.ContactPointSystem.PHONE
              || t.getSystem() == ContactPoint.ContactPointSystem.SMS;
      String digits = t.hasValue() ? t.getValue().replaceAll("\\D", "") : "";
      if (phoneLike && digits.length() >= 7) {
        // the last ten digits: +1 617 555 0100 and (617) 555-0100 are the same phone
        phones.add(digits.length() > 10 ? digits.substring(digits.length() - 10) : digits);
      }
    }
    Set<Place> places = new LinkedHashSet<>();
    for (Address a : patient.getAddress()) {
      String line =
          street(String.join(" ", a.getLine().stream().map(StringType::getValue).toList()));
      String city = name(a.getCity());
      String postal = postal(a.getPostalCode());
      if (!line.isEmpty() || !postal.isEmpty()) places.add(new Place(line, city, postal));
    }
    Set<Id> ids = new LinkedHashSet<>();
    for (Identifier i : patient.getIdentifier()) {
      if (!i.hasValue() || (mrnSystem != null && mrnSystem.equals(i.getSystem()))) continue;
      String value = i.getValue().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
      if (!value.isEmpty()) ids.add(new Id(i.hasSystem() ? i.getSystem() : "", value));
    }
    return new MatchProfile(
        first(families),
        first(givens),
        birthDate,
        gender,
        first(phones),
        first(places),
        first(ids));
  }

  /**
   * The blocking keys: two patients are compared only if they share one. Each key is narrow enough
   * that its block stays small at 100,000 patients, and together they forgive one wrong field: a
   * typo in the birth date still shares the phonetic name key, a new surname still shares the birth
   * date or the phone.
   */
  public List<String> blockingKeys() {
    Set<String> keys = new LinkedHashSet<>();
    String year = birthDate != null && birthDate.length() >= 4 ? birthDate.substring(0, 4) : null;
    for (String family : families) {
      String f = PHONETIC.doubleMetaphone(family);
      if (f == null || f.isEmpty()) continue;
      if (year != null) keys.add("fy:" + f + ":" + year);
      for (String given : givens) {
        String g = PHONETIC.doubleMetaphone(given);
        if (g != null && !g.isEmpty()) keys.add("gf:" + g + ":" + f);
      }
    }
    if (birthDate != null && birthDate.length() == 10) keys.add("bd:" + birthDate);
    phones.forEach(p -> keys.add("ph:" + p));
    for (Id id : identifiers) {
      if (id.value().length() >= 4) keys.add("id:" + id.value());
    }
    return List.copyOf(keys);
  }

  /** Lower case letters and single spaces: "O'Brien-Smith " becomes "obrien smith". */
  static String name(String s) {
    if (s == null) return "";
    return Normalizer.normalize(s, Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "")
        .toLowerCase(Locale.ROOT)
        .replaceAll("['’.]", "")
        .replaceAll("[^a-z]+", " ")
        .trim();
  }

  private static String street(String s) {
    String plain =
        Normalizer.normalize(s, Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", " ")
            .trim();
    if (plain.isEmpty()) return plain;
    List<String> words = new ArrayList<>();
    for (String w : plain.split(" ")) words.add(STREET_WORDS.getOrDefault(w, w));
    return String.join(" ", words);
  }

  private static String postal(String s) {
    if (s == null) return "";
    String p = s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
    // a US ZIP+4 is the same place as its ZIP
    return p.matches("\\d{9}") ? p.substring(0, 5) : p;
  }

  private static <T> List<T> first(Set<T> values) {
    return values.stream().limit(MAX_EACH).toList();
  }
}
