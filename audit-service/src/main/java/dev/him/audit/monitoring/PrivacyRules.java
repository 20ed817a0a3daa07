package dev.him.audit.monitoring;

import dev.him.audit.monitoring.MonitoringConfig.OutsideHours;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The rules that judge one access to one patient. Facts are asked for only when a switched-on rule
 * needs them, so an access that only a time rule could flag costs no call. Unusual volume looks at
 * the user's other accesses and lives in {@link PrivacyMonitor}.
 */
@ApplicationScoped
public class PrivacyRules {
  @Inject MonitoringConfig config;

  List<Hit> evaluate(
      Access access,
      String patientId,
      Supplier<UserFacts> user,
      Supplier<Optional<PatientFacts>> patient) {
    List<Hit> hits = new ArrayList<>();
    String purpose = access.purposeOfUse();
    boolean emergency = purpose != null && config.breakTheGlass().purposes().contains(purpose);

    if (config.selfAccess().enabled() && patientId.equals(user.get().patientId())) {
      hits.add(
          hit(
              Rule.SELF_ACCESS,
              patientId,
              "matched",
              "the user is the patient",
              "userAttribute",
              config.attributes().patientId()));
    }
    if (config.breakTheGlass().enabled() && emergency) {
      hits.add(hit(Rule.BREAK_THE_GLASS, patientId, "purposeOfUse", purpose));
    }
    if (config.outsideHours().enabled()) {
      outsideHours(access.occurredAt())
          .ifPresent(e -> hits.add(new Hit(Rule.OUTSIDE_HOURS, patientId, e)));
    }
    if (config.sameSurname().enabled() && !Normalize.familyName(user.get().lastName()).isEmpty()) {
      String family = Normalize.familyName(user.get().lastName());
      patient
          .get()
          .filter(p -> p.families().stream().anyMatch(f -> family.equals(Normalize.familyName(f))))
          .ifPresent(
              p ->
                  hits.add(
                      hit(
                          Rule.SAME_SURNAME,
                          patientId,
                          "matched",
                          "family name",
                          "userAttribute",
                          "lastName")));
    }
    if (config.sameAddress().enabled()) {
      String street = Normalize.street(user.get().street());
      String postal = Normalize.postalCode(user.get().postalCode());
      if (!street.isEmpty() && !postal.isEmpty()) {
        patient
            .get()
            .filter(
                p ->
                    p.streets().stream()
                        .anyMatch(
                            a ->
                                street.equals(Normalize.street(a.line()))
                                    && postal.equals(Normalize.postalCode(a.postalCode()))))
            .ifPresent(
                p ->
                    hits.add(
                        hit(
                            Rule.SAME_ADDRESS,
                            patientId,
                            "matched",
                            "street line and postal code",
                            "userAttributes",
                            List.of(
                                config.attributes().street(), config.attributes().postalCode()))));
      }
    }
    if (config.vip().enabled()) {
      Set<String> extra = config.vip().extraCodes().orElse(Set.of());
      patient
          .get()
          .ifPresent(
              p -> {
                List<String> codes = p.codes().stream().filter(c -> extra.contains(c)).toList();
                if (p.vip() || !codes.isEmpty()) {
                  hits.add(
                      hit(
                          Rule.VIP,
                          patientId,
                          "matched",
                          "security label",
                          "codes",
                          p.vip() ? union("CEL", codes) : codes));
                }
              });
    }
    if (config.deceased().enabled()) {
      patient
          .get()
          .filter(PatientFacts::deceased)
          .ifPresent(
              p -> {
                Instant death = deathOf(p.deceasedAt());
                // a death date after the access (a late evaluation): the patient was alive then
                if (death == null || !access.occurredAt().isBefore(death)) {
                  hits.add(
                      hit(
                          Rule.DECEASED,
                          patientId,
                          "matched",
                          "access after the patient's death",
                          "dateOfDeath",
                          p.deceasedAt() == null ? "not recorded" : "recorded"));
                }
              });
    }
    if (config.noTreatmentRelationship().enabled()
        && !emergency
        && access.roles().stream()
            .anyMatch(config.noTreatmentRelationship().clinicalRoles()::contains)) {
      String practitioner = user.get().practitionerId();
      patient
          .get()
          .filter(p -> practitioner == null || !p.practitioners().contains(practitioner))
          .ifPresent(
              p ->
                  hits.add(
                      practitioner == null
                          ? hit(
                              Rule.NO_TREATMENT_RELATIONSHIP,
                              patientId,
                              "matched",
                              "the user has no practitioner id",
                              "userAttribute",
                              config.attributes().practitionerId())
                          : hit(
                              Rule.NO_TREATMENT_RELATIONSHIP,
                              patientId,
                              "matched",
                              "not a participant of the patient's encounters",
                              "practitionerId",
                              practitioner,
                              "encounterParticipants",
                              p.practitioners().size())));
    }
    return hits;
  }

  /** The evidence of an access outside working hours, or empty inside them. */
  Optional<Map<String, Object>> outsideHours(Instant at) {
    OutsideHours hours = config.outsideHours();
    ZonedDateTime local = at.atZone(hours.zone());
    LocalTime time = local.toLocalTime();
    boolean workday = hours.days().contains(local.getDayOfWeek());
    if (workday && !time.isBefore(hours.start()) && time.isBefore(hours.end())) {
      return Optional.empty();
    }
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("matched", workday ? "outside working hours" : "not a working day");
    e.put("localTime", String.format("%02d:%02d", time.getHour(), time.getMinute()));
    e.put("dayOfWeek", local.getDayOfWeek().name());
    e.put("zone", hours.zone().getId());
    e.put("workingHours", hours.start() + "-" + hours.end());
    return Optional.of(e);
  }

  /**
   * The instant from which an access is after death: an instant as given; a day, month or year
   * (FHIR partial dates) from the end of it in the facility's zone, so the day of death itself is
   * not flagged. Null when not given or not readable (the patient is deceased all the same).
   */
  Instant deathOf(String deceasedAt) {
    if (deceasedAt == null || deceasedAt.isBlank()) {
      return null;
    }
    try {
      if (deceasedAt.contains("T")) {
        return OffsetDateTime.parse(deceasedAt).toInstant();
      }
      LocalDate next;
      if (deceasedAt.length() == 4) {
        next = Year.parse(deceasedAt).atDay(1).plusYears(1);
      } else if (deceasedAt.length() == 7) {
        next = YearMonth.parse(deceasedAt).atDay(1).plusMonths(1);
      } else {
        next = LocalDate.parse(deceasedAt).plusDays(1);
      }
      return next.atStartOfDay(config.outsideHours().zone()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static List<String> union(String first, List<String> more) {
    List<String> all = new ArrayList<>(List.of(first));
    more.stream().filter(c -> !all.contains(c)).forEach(all::add);
    return all;
  }

  private static Hit hit(Rule rule, String patientId, Object... keyValues) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      evidence.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new Hit(rule, patientId, evidence);
  }
}
