package dev.him.deploy.load;

import java.time.LocalDate;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Patients shaped like Synthea's (same extensions, identifiers, name, telecom, address, marital
 * status and language; about 2.5 kB of JSON each), with varied demographics: names from lists of
 * common US names by gender, birth dates spread over 1925-2024, Massachusetts addresses, 555 phone
 * numbers. Identifiers are unique per patient number, so runs can be resumed without conflicts: the
 * SSN-like, driver's licence and passport numbers derive from the number, the Synthea and hospital
 * record identifiers are random UUIDs.
 */
final class SyntheticPatients {
  private static final String[] MALE =
      ("James John Robert Michael William David Richard Joseph Thomas Charles "
              + "Christopher Daniel Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth "
              + "Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas "
              + "Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory "
              + "Alexander Patrick Frank Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan "
              + "Henry Zachary Douglas Peter Kyle Abdul Arron Bill Cary Damion Luis Mohammed Wei "
              + "Hiroshi Rafael")
          .split(" ");
  private static final String[] FEMALE =
      ("Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa "
              + "Nancy Betty Sandra Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda "
              + "Melissa Deborah Stephanie Dorothy Rebecca Sharon Laura Cynthia Amy Kathleen "
              + "Angela Shirley Brenda Emma Anna Pamela Nicole Samantha Katherine Christine Helen "
              + "Debra Rachel Carolyn Janet Maria Catherine Heather Diane Olivia Julie Joyce "
              + "Victoria Amiee Britany Christin Dominga Elsy Aiko Guadalupe Mei Fatima Sofia "
              + "Chloe Zoe")
          .split(" ");
  private static final String[] FAMILY =
      ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez "
              + "Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee "
              + "Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young "
              + "Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall "
              + "Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker "
              + "Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez "
              + "Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward "
              + "Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes "
              + "Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Koepp "
              + "Buckridge Schamberger Reinger Reynolds O'Hara Stiedemann Strosin Von Bechtelar "
              + "Kub Hackett Lockman Jacobs Wehner Kuhlman Dickinson Schultz Gislason Muller "
              + "Nuñez Sørensen Łukasik Tanaka Okafor Haddad Cohen Murray Sullivan O'Brien "
              + "Fitzgerald McCarthy Doyle Walsh Lynch")
          .split(" ");

  /** City and postal code. */
  private static final String[][] CITIES =
      Stream.of(
              ("Boston:02118,Worcester:01604,Springfield:01109,Cambridge:02139,Lowell:01852,"
                      + "Brockton:02301,Quincy:02169,Lynn:01902,New Bedford:02740,Fall River:02720,"
                      + "Newton:02458,Somerville:02143,Lawrence:01841,Framingham:01701,Haverhill:01830,"
                      + "Waltham:02451,Malden:02148,Brookline:02446,Plymouth:02360,Medford:02155,"
                      + "Taunton:02780,Chicopee:01013,Weymouth:02188,Revere:02151,Peabody:01940,"
                      + "Methuen:01844,Barnstable:02630,Pittsfield:01201,Attleboro:02703,Salem:01970,"
                      + "Holyoke:01040,Beverly:01915")
                  .split(","))
          .map(c -> c.split(":"))
          .toArray(String[][]::new);

  private static final String[] STREETS =
      ("Lockman Hackett Schiller Kuhn Wiza Bartoletti Mraz Kertzmann Ferry Oak Maple "
              + "Cedar Elm Pine Washington Lincoln Adams Franklin Chestnut Highland Summer Winter "
              + "Pleasant Prospect Central Park Church School")
          .split(" ");
  private static final String[] SUFFIXES =
      ("Street Avenue Road Row Way Lane Court Gardens Mill Light").split(" ");
  private static final String[][] RACES = {
    {"2106-3", "White"},
    {"2054-5", "Black or African American"},
    {"2028-9", "Asian"},
    {"1002-5", "American Indian or Alaska Native"},
    {"2131-1", "Other"}
  };
  private static final int[] RACE_WEIGHTS = {70, 10, 8, 2, 10};
  private static final LocalDate OLDEST = LocalDate.of(1925, 1, 1);
  private static final int SPAN_DAYS =
      (int) (LocalDate.of(2024, 12, 31).toEpochDay() - OLDEST.toEpochDay());

  private SyntheticPatients() {}

  /** Patient number {@code n} (0, 1, 2, ...) as a FHIR JSON Patient without id. */
  static String patient(long n, SplittableRandom r) {
    boolean male = r.nextBoolean();
    String given = pick(male ? MALE : FEMALE, r);
    String middle = r.nextInt(3) == 0 ? pick(male ? MALE : FEMALE, r) : null;
    String family = pick(FAMILY, r);
    LocalDate birth = OLDEST.plusDays(r.nextInt(SPAN_DAYS + 1));
    boolean adult = birth.isBefore(LocalDate.of(2006, 1, 1));
    String[] city = pick(CITIES, r);
    int race = weighted(r);
    boolean hispanic = r.nextInt(10) == 0;
    String mother = pick(FEMALE, r) + " " + pick(FAMILY, r);
    String uuid = new UUID(r.nextLong(), r.nextLong()).toString();
    String ssn =
        String.format(
            Locale.ROOT, "9%02d-%02d-%04d", (n / 1_000_000) % 100, (n / 10_000) % 100, n % 10_000);
    String marital = !adult ? "S" : r.nextInt(10) < 6 ? "M" : "S";
    StringBuilder b = new StringBuilder(2600);
    b.append("{\"resourceType\":\"Patient\",\"extension\":[")
        .append("{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race\",")
        .append("\"extension\":[{\"url\":\"ombCategory\",\"valueCoding\":{\"system\":")
        .append("\"urn:oid:2.16.840.1.113883.6.238\",\"code\":\"")
        .append(RACES[race][0])
        .append("\",\"display\":\"")
        .append(RACES[race][1])
        .append("\"}},{\"url\":\"text\",\"valueString\":\"")
        .append(RACES[race][1])
        .append("\"}]},")
        .append("{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity\",")
        .append("\"extension\":[{\"url\":\"ombCategory\",\"valueCoding\":{\"system\":")
        .append("\"urn:oid:2.16.840.1.113883.6.238\",\"code\":\"")
        .append(hispanic ? "2135-2" : "2186-5")
        .append("\",\"display\":\"")
        .append(hispanic ? "Hispanic or Latino" : "Not Hispanic or Latino")
        .append("\"}},{\"url\":\"text\",\"valueString\":\"")
        .append(hispanic ? "Hispanic or Latino" : "Not Hispanic or Latino")
        .append("\"}]},")
        .append("{\"url\":\"http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName\",")
        .append("\"valueString\":")
        .append(Json.quote(mother))
        .append("},{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex\",")
        .append("\"valueCode\":\"")
        .append(male ? "M" : "F")
        .append("\"},{\"url\":\"http://hl7.org/fhir/StructureDefinition/patient-birthPlace\",")
        .append("\"valueAddress\":{\"city\":\"")
        .append(pick(CITIES, r)[0])
        .append("\",\"state\":\"Massachusetts\",\"country\":\"US\"}}],")
        .append("\"identifier\":[{\"system\":\"https://github.com/synthetichealth/synthea\",")
        .append("\"value\":\"")
        .append(uuid)
        .append("\"},")
        .append(
            typedIdentifier(
                "MR", "Medical Record Number", "http://hospital.smarthealthit.org", uuid))
        .append(',')
        .append(
            typedIdentifier("SS", "Social Security Number", "http://hl7.org/fhir/sid/us-ssn", ssn));
    if (adult) {
      b.append(',')
          .append(
              typedIdentifier(
                  "DL",
                  "Driver's License",
                  "urn:oid:2.16.840.1.113883.4.3.25",
                  String.format(Locale.ROOT, "S%08d", n % 100_000_000)))
          .append(',')
          .append(
              typedIdentifier(
                  "PPN",
                  "Passport Number",
                  "http://standardhealthrecord.org/fhir/StructureDefinition/passportNumber",
                  String.format(Locale.ROOT, "X%08dX", n % 100_000_000)));
    }
    b.append("],\"name\":[{\"use\":\"official\",\"family\":")
        .append(Json.quote(family))
        .append(",\"given\":[\"")
        .append(given)
        .append('"');
    if (middle != null) b.append(",\"").append(middle).append('"');
    b.append("]");
    if (adult)
      b.append(",\"prefix\":[\"")
          .append(male ? "Mr." : marital.equals("M") ? "Mrs." : "Ms.")
          .append("\"]");
    b.append("}],\"telecom\":[{\"system\":\"phone\",\"value\":\"555-")
        .append(String.format(Locale.ROOT, "%03d-%04d", r.nextInt(1000), r.nextInt(10_000)))
        .append("\",\"use\":\"home\"}],\"gender\":\"")
        .append(male ? "male" : "female")
        .append("\",\"birthDate\":\"")
        .append(birth)
        .append("\",\"address\":[{\"extension\":[{\"url\":")
        .append("\"http://hl7.org/fhir/StructureDefinition/geolocation\",\"extension\":[")
        .append("{\"url\":\"latitude\",\"valueDecimal\":")
        .append(String.format(Locale.ROOT, "%.6f", 41.5 + r.nextDouble() * 1.2))
        .append("},{\"url\":\"longitude\",\"valueDecimal\":")
        .append(String.format(Locale.ROOT, "%.6f", -73.0 + r.nextDouble() * 3.0))
        .append("}]}],\"line\":[\"")
        .append(1 + r.nextInt(999))
        .append(' ')
        .append(pick(STREETS, r))
        .append(' ')
        .append(pick(SUFFIXES, r));
    if (r.nextInt(4) == 0) b.append(" Suite ").append(1 + r.nextInt(99));
    b.append("\"],\"city\":\"")
        .append(city[0])
        .append("\",\"state\":\"Massachusetts\",\"postalCode\":\"")
        .append(city[1])
        .append("\",\"country\":\"US\"}],\"maritalStatus\":{\"coding\":[{\"system\":")
        .append("\"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus\",\"code\":\"")
        .append(marital)
        .append("\",\"display\":\"")
        .append(marital)
        .append("\"}],\"text\":\"")
        .append(marital)
        .append("\"},\"multipleBirthBoolean\":false,\"communication\":[{\"language\":{")
        .append("\"coding\":[{\"system\":\"urn:ietf:bcp:47\",\"code\":\"en-US\",")
        .append("\"display\":\"English\"}],\"text\":\"English\"}}]}");
    return b.toString();
  }

  private static String typedIdentifier(String code, String display, String system, String value) {
    return "{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0203\","
        + "\"code\":\""
        + code
        + "\",\"display\":\""
        + display
        + "\"}],\"text\":\""
        + display
        + "\"},\"system\":\""
        + system
        + "\",\"value\":\""
        + value
        + "\"}";
  }

  private static <T> T pick(T[] values, SplittableRandom r) {
    return values[r.nextInt(values.length)];
  }

  private static int weighted(SplittableRandom r) {
    int x = r.nextInt(100);
    for (int k = 0; k < RACE_WEIGHTS.length; k++) {
      x -= RACE_WEIGHTS[k];
      if (x < 0) return k;
    }
    return 0;
  }
}
