package dev.him.requests.intake;

import java.time.LocalDate;
import java.util.List;

/**
 * A patient records-service returned for the description, with the fields that agree with it
 * (family, given, birthDate, identifier).
 */
public record MatchCandidate(
    String patientId,
    String family,
    List<String> given,
    LocalDate birthDate,
    String mrn,
    List<String> agreeing) {}
