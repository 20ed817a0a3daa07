package dev.him.coding.edits;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How the edits are tuned (application.properties, him.coding.edits.*): severity per edit, the MCE
 * age ranges per MCE version, the day the sex edits stop, and which encounter classes are inpatient
 * for the POA edit.
 */
@ApplicationScoped
public class EditSettings {
  /** The MCE age groups and what they allow, in years at admission. */
  public enum AgeGroup {
    NEWBORN("newborn", MceLists.NEWBORN, EditType.AGE_CONFLICT_NEWBORN, "0-0"),
    PEDIATRIC("pediatric", MceLists.PEDIATRIC, EditType.AGE_CONFLICT_PEDIATRIC, "0-17"),
    MATERNITY("maternity", MceLists.MATERNITY, EditType.AGE_CONFLICT_MATERNITY, "9-64"),
    ADULT("adult", MceLists.ADULT, EditType.AGE_CONFLICT_ADULT, "15-124");

    final String key;
    final String list;
    final EditType edit;
    final String fallback;

    AgeGroup(String key, String list, EditType edit, String fallback) {
      this.key = key;
      this.list = list;
      this.edit = edit;
      this.fallback = fallback;
    }

    public String list() {
      return list;
    }

    public EditType edit() {
      return edit;
    }

    public String label() {
      return key;
    }
  }

  /** An inclusive age range in years. */
  public record AgeRange(int from, int to) {
    public boolean contains(int age) {
      return age >= from && age <= to;
    }

    @Override
    public String toString() {
      return from == to ? String.valueOf(from) : from + "-" + to;
    }
  }

  @Inject Config config;

  /** Discharges on or after this day get no sex-conflict edit (CMS removed it for FY2025). */
  @ConfigProperty(name = "him.coding.edits.sex-conflict-ends", defaultValue = "2024-10-01")
  LocalDate sexConflictEnds;

  @ConfigProperty(name = "him.coding.edits.inpatient-classes", defaultValue = "IMP,ACUTE,NONAC")
  Set<String> inpatientClasses;

  private final Map<String, AgeRange> ages = new ConcurrentHashMap<>();
  private volatile Map<EditType, Optional<Severity>> severities;

  /** The severity of an edit type, or empty when it is switched off. */
  public Optional<Severity> severity(EditType type) {
    Map<EditType, Optional<Severity>> s = severities;
    if (s == null) {
      s = new EnumMap<>(EditType.class);
      for (EditType t : EditType.values()) {
        String value =
            config
                .getOptionalValue("him.coding.edits.severity." + t.name(), String.class)
                .orElse(t.defaultSeverity().name())
                .strip()
                .toUpperCase(Locale.ROOT);
        s.put(t, "OFF".equals(value) ? Optional.empty() : Optional.of(Severity.valueOf(value)));
      }
      severities = s;
    }
    return s.get(type);
  }

  /**
   * The age range of a group for an MCE version: him.coding.edits.mce-ages.v37.maternity, else
   * him.coding.edits.mce-ages.maternity, else the current MCE definition.
   */
  public AgeRange ageRange(String mceVersion, AgeGroup group) {
    return ages.computeIfAbsent(
        mceVersion + "|" + group.key,
        k ->
            parse(
                config
                    .getOptionalValue(
                        "him.coding.edits.mce-ages." + mceVersion + "." + group.key, String.class)
                    .or(
                        () ->
                            config.getOptionalValue(
                                "him.coding.edits.mce-ages." + group.key, String.class))
                    .orElse(group.fallback)));
  }

  public boolean sexEditsApply(LocalDate dischargedOn) {
    return dischargedOn.isBefore(sexConflictEnds);
  }

  public LocalDate sexConflictEnds() {
    return sexConflictEnds;
  }

  public boolean isInpatient(String encounterClass) {
    return encounterClass != null
        && inpatientClasses.stream()
            .map(c -> c.strip().toUpperCase(Locale.ROOT))
            .collect(Collectors.toSet())
            .contains(encounterClass.strip().toUpperCase(Locale.ROOT));
  }

  private static AgeRange parse(String value) {
    String[] parts = value.strip().split("-");
    if (parts.length != 2) {
      throw new IllegalArgumentException("an MCE age range is written from-to (12-55): " + value);
    }
    return new AgeRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
  }
}
