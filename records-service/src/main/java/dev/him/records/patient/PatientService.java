package dev.him.records.patient;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.outbox.Outbox;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.PatientRegistered;
import dev.him.events.v1.Topics;
import dev.him.records.fhir.FhirParser;
import dev.him.records.privacy.SensitiveRecords;
import dev.him.records.privacy.TreatmentRelationships;
import dev.him.records.resource.DeletionRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * Registers, reads and finds patients. Every call records who accessed which patient, in the same
 * transaction as the data it touched.
 */
@ApplicationScoped
public class PatientService {
  static final String MRN_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0203";

  @Inject EntityManager em;
  @Inject FhirParser fhir;
  @Inject AccessRecorder access;
  @Inject RequestContext request;
  @Inject Outbox outbox;
  @Inject Event<PatientChanged> changes;
  @Inject Event<DeletionRequested> deletions;
  @Inject SensitiveRecords sensitive;
  @Inject TreatmentRelationships care;

  @ConfigProperty(name = "him.mpi.mrn-system")
  String mrnSystem;

  /** A stored patient as FHIR, with its version for ETags. */
  public record StoredPatient(String id, int versionId, Patient resource) {}

  @Transactional
  public StoredPatient create(Patient patient) {
    return create(patient, UUID.randomUUID().toString());
  }

  /** Registers with an id chosen by the caller (a transaction bundle assigns ids up front). */
  @Transactional
  public StoredPatient create(Patient patient, String id) {
    validateForRegistration(patient);
    refuseMergeLinks(patient, List.of());
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String author = request.actor().username();
    String mrn = nextMrn();

    patient.setId(id);
    // the server owns version and time; labels, tags and profiles the sender set are kept
    patient.getMeta().setVersionId("1").setLastUpdated(java.util.Date.from(now));
    patient.getIdentifier().removeIf(i -> mrnSystem.equals(i.getSystem()));
    patient.addIdentifier(mrnIdentifier(mrn));

    PatientRecord row = new PatientRecord();
    row.id = id;
    row.versionId = 1;
    row.mrn = mrn;
    fillSearchColumns(row, patient);
    row.resource = fhir.write(patient);
    row.createdAt = now;
    row.createdBy = author;
    row.updatedAt = now;
    row.updatedBy = author;
    row.persist();
    claimIdentifiers(patient, id, true);

    addVersion(id, 1, row.resource, now, author, "POST", null);
    UUID eventId = UUID.randomUUID();
    outbox.add(
        Topics.PATIENT_EVENTS,
        id,
        eventId,
        PatientRegistered.TYPE,
        PatientRegistered.VERSION,
        new PatientRegistered(eventId, now, id, mrn, author, request.requestId()));
    changes.fire(new PatientChanged(id, 1, patient, "POST"));

    access.success(AccessAction.CREATE, "Patient", id, List.of(id), null);
    return new StoredPatient(id, 1, patient);
  }

  /**
   * Conditional create (If-None-Exist): the patient the criteria find, if exactly one; empty if
   * none; 412 if several, since the caller's "this patient" is then ambiguous.
   */
  @Transactional
  public Optional<StoredPatient> findExisting(String criteria) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (String pair : criteria.replaceFirst("^Patient\\?", "").split("&")) {
      if (pair.isBlank()) continue;
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw ProblemException.badRequest(
            "If-None-Exist", "must be search parameters, like identifier=system|value");
      }
      query
          .computeIfAbsent(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              k -> new ArrayList<>())
          .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    if (query.isEmpty()) {
      throw ProblemException.badRequest("If-None-Exist", "must name at least one search parameter");
    }
    PatientSearch.Page page = PatientSearch.parse(query).run(em);
    if (page.total() > 1) {
      throw new ProblemException(
          412,
          "Ambiguous condition",
          page.total() + " patients match " + criteria + "; nothing created",
          List.of());
    }
    if (page.total() == 0) {
      return Optional.empty();
    }
    PatientRecord row = page.rows().get(0);
    access.success(
        AccessAction.READ, "Patient", row.id, List.of(row.id), "conditional create matched");
    return Optional.of(toStored(row));
  }

  /** One resource of a patient's record, as stored. */
  public record RecordEntry(String type, String id, String json) {}

  /** The whole record: the patient and everything that belongs to them, for $everything. */
  /** $everything: the entries the caller may see, and how many were withheld by label. */
  public record Everything(List<RecordEntry> entries, long withheld) {}

  @Transactional
  public Everything everything(String id) {
    PatientRecord row = PatientRecord.findById(id);
    if (row == null) {
      throw ProblemException.notFound("Patient/" + id + " is not known");
    }
    if (row.deletedAt != null) {
      throw gone(id);
    }
    care.check(AccessAction.READ, "Patient", id, List.of(id));
    @SuppressWarnings("unchecked")
    List<Object[]> rest =
        em.createNativeQuery(
                "select resource_type, id, cast(resource as text),"
                    + " coalesce(sensitive_categories && cast(?2 as text[]), false) from fhir_resource"
                    + " where patient_id = ?1 and deleted_at is null"
                    + " order by resource_type, last_updated, id")
            .setParameter(1, id)
            .setParameter(2, sensitive.hiddenAsSqlArray())
            .getResultList();
    List<RecordEntry> all = new ArrayList<>(rest.size() + 1);
    all.add(new RecordEntry("Patient", id, row.resource));
    long withheld = 0;
    for (Object[] r : rest) {
      if (Boolean.TRUE.equals(r[3])) {
        withheld++;
        continue;
      }
      all.add(new RecordEntry((String) r[0], (String) r[1], (String) r[2]));
    }
    access.success(
        AccessAction.READ,
        "Patient",
        id,
        List.of(id),
        "$everything: "
            + all.size()
            + " resources"
            + (withheld > 0 ? "; withheld by security label: " + withheld : ""));
    return new Everything(all, withheld);
  }

  @Transactional
  public Optional<StoredPatient> read(String id) {
    return readRow(id).map(this::toStored);
  }

  /** A read that returns the stored row (its JSON as stored), with the access recorded. */
  @Transactional
  public Optional<PatientRecord> readRow(String id) {
    PatientRecord row = PatientRecord.findById(id);
    if (row == null) {
      return Optional.empty();
    }
    if (row.deletedAt != null) {
      throw gone(id);
    }
    care.check(AccessAction.READ, "Patient", id, List.of(id));
    access.success(AccessAction.READ, "Patient", id, List.of(id), null);
    return Optional.of(row);
  }

  /**
   * Replaces the patient with a new version. {@code expectedVersion} (from If-Match) must be the
   * current one, else 412: nobody overwrites a change they have not seen. The MRN stays the
   * platform's; identifiers dropped by the update are released, new ones claimed.
   */
  @Transactional
  public StoredPatient update(String id, Patient patient, Integer expectedVersion, String reason) {
    PatientRecord row = PatientRecord.findById(id, LockModeType.PESSIMISTIC_WRITE);
    if (row == null) {
      throw ProblemException.notFound("Patient/" + id + " is not known");
    }
    if (row.deletedAt != null) {
      throw gone(id);
    }
    if (row.mergedInto != null) {
      throw mergedAway(id, row.mergedInto);
    }
    if (expectedVersion != null && expectedVersion != row.versionId) {
      throw new ProblemException(
          412,
          "Version conflict",
          "Patient/"
              + id
              + " is at version "
              + row.versionId
              + ", not "
              + expectedVersion
              + "; read it again and reapply the change",
          List.of());
    }
    if (patient.hasIdElement()
        && patient.getIdElement().hasIdPart()
        && !id.equals(patient.getIdElement().getIdPart())) {
      throw ProblemException.badRequest("Patient.id", "must be " + id + ", the id in the URL");
    }
    validateForRegistration(patient);
    // replaces / replaced-by links record merges: a client may send them back unchanged or leave
    // them out, but only a merge or an unmerge changes them
    List<Patient.PatientLinkComponent> mergeLinks =
        row.resource.contains("\"link\"")
            ? toStored(row).resource().getLink().stream()
                .filter(PatientService::isMergeLink)
                .toList()
            : List.of();
    refuseMergeLinks(patient, mergeLinks);
    patient.getLink().removeIf(PatientService::isMergeLink);
    mergeLinks.forEach(l -> patient.addLink(l.copy()));
    List<Identifier> mrns =
        patient.getIdentifier().stream().filter(i -> mrnSystem.equals(i.getSystem())).toList();
    if (mrns.stream().anyMatch(i -> !row.mrn.equals(i.getValue()))) {
      throw ProblemException.badRequest(
          "Patient.identifier",
          "the medical record number "
              + row.mrn
              + " is assigned by the platform and cannot change");
    }
    if (mrns.isEmpty()) {
      patient.addIdentifier(mrnIdentifier(row.mrn));
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String author = request.actor().username();
    int version = row.versionId + 1;
    patient.setId(id);
    patient
        .getMeta()
        .setVersionId(String.valueOf(version))
        .setLastUpdated(java.util.Date.from(now));

    claimIdentifiers(patient, id, false);
    fillSearchColumns(row, patient);
    row.versionId = version;
    row.resource = fhir.write(patient);
    row.updatedAt = now;
    row.updatedBy = author;
    addVersion(id, version, row.resource, now, author, "PUT", reason);
    changes.fire(new PatientChanged(id, version, patient, "PUT"));

    access.success(
        AccessAction.UPDATE, "Patient", id, List.of(id), reason == null ? null : "reason given");
    return new StoredPatient(id, version, patient);
  }

  /**
   * A new version written by the master patient index: a merge or an unmerge changes Patient.active
   * and Patient.link. The caller holds the row lock ({@link LockModeType#PESSIMISTIC_WRITE}) and
   * has checked that the change is allowed; identifiers are not touched, so none is claimed or
   * released. Access is recorded by the caller, which knows both patients of the merge.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public StoredPatient writeMergeVersion(PatientRecord row, Patient patient, String reason) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String author = request.actor().username();
    int version = row.versionId + 1;
    patient.setId(row.id);
    patient
        .getMeta()
        .setVersionId(String.valueOf(version))
        .setLastUpdated(java.util.Date.from(now));
    fillSearchColumns(row, patient);
    row.versionId = version;
    row.resource = fhir.write(patient);
    row.updatedAt = now;
    row.updatedBy = author;
    addVersion(row.id, version, row.resource, now, author, "PUT", reason);
    changes.fire(new PatientChanged(row.id, version, patient, "PUT"));
    return new StoredPatient(row.id, version, patient);
  }

  /** The survivor a merged patient redirects to (its Patient.link replaced-by), if any. */
  public static Optional<String> replacedBy(Patient patient) {
    return patient.getLink().stream()
        .filter(l -> l.getType() == Patient.LinkType.REPLACEDBY && l.getOther().hasReference())
        .map(l -> l.getOther().getReference())
        .filter(r -> r.startsWith("Patient/"))
        .map(r -> r.substring("Patient/".length()))
        .findFirst();
  }

  /** Links of type replaces and replaced-by are the record of merges, kept by the MPI. */
  public static boolean isMergeLink(Patient.PatientLinkComponent link) {
    return link.getType() == Patient.LinkType.REPLACEDBY
        || link.getType() == Patient.LinkType.REPLACES;
  }

  /** 409 for a change to a merged patient: the survivor is where the record lives now. */
  public static ProblemException mergedAway(String id, String survivor) {
    return new ProblemException(
        409,
        "Merged",
        "Patient/"
            + id
            + " was merged into Patient/"
            + survivor
            + "; change Patient/"
            + survivor
            + " instead (or unmerge)",
        List.of(new InvalidParam("Patient.link", "replaced-by Patient/" + survivor)));
  }

  private static void refuseMergeLinks(
      Patient patient, List<Patient.PatientLinkComponent> allowed) {
    List<InvalidParam> problems = new ArrayList<>();
    for (int i = 0; i < patient.getLink().size(); i++) {
      Patient.PatientLinkComponent link = patient.getLink().get(i);
      if (isMergeLink(link)
          && allowed.stream()
              .noneMatch(
                  a ->
                      a.getType() == link.getType()
                          && java.util.Objects.equals(
                              a.getOther().getReference(), link.getOther().getReference()))) {
        problems.add(
            new InvalidParam(
                "Patient.link[" + i + "]",
                link.getType().toCode()
                    + " links are set by merges (POST /api/records/mpi/merges), not by clients"));
      }
    }
    if (!problems.isEmpty()) {
      throw new ProblemException(
          400, "Invalid resource", "The Patient links a merge that did not happen", problems);
    }
  }

  /** A logical delete: a last version marks it deleted; reads answer 410, history stays. */
  @Transactional
  public void delete(String id, String reason) {
    PatientRecord row = PatientRecord.findById(id, LockModeType.PESSIMISTIC_WRITE);
    if (row == null) {
      throw ProblemException.notFound("Patient/" + id + " is not known");
    }
    if (row.deletedAt != null) {
      return; // deleting twice changes nothing
    }
    deletions.fire(new DeletionRequested("Patient", id, id, null));
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String author = request.actor().username();
    row.versionId += 1;
    row.deletedAt = now;
    row.updatedAt = now;
    row.updatedBy = author;
    addVersion(id, row.versionId, row.resource, now, author, "DELETE", reason);
    access.success(AccessAction.DELETE, "Patient", id, List.of(id), null);
  }

  /** One version, or every version newest first (history). Deleted patients keep theirs. */
  @Transactional
  public List<PatientVersion> history(String id, Integer onlyVersion) {
    PatientRecord row = PatientRecord.findById(id);
    if (row == null) {
      throw ProblemException.notFound("Patient/" + id + " is not known");
    }
    List<PatientVersion> versions =
        onlyVersion == null
            ? PatientVersion.list("key.patientId = ?1 order by key.versionId desc", id)
            : PatientVersion.list("key.patientId = ?1 and key.versionId = ?2", id, onlyVersion);
    if (versions.isEmpty()) {
      throw ProblemException.notFound("Patient/" + id + " has no version " + onlyVersion);
    }
    care.check(AccessAction.READ, "Patient", id, List.of(id));
    access.success(
        AccessAction.READ,
        "Patient",
        id,
        List.of(id),
        onlyVersion == null ? "history" : "version " + onlyVersion);
    return versions;
  }

  private void addVersion(
      String id,
      int versionId,
      String resource,
      Instant at,
      String author,
      String method,
      String reason) {
    PatientVersion version = new PatientVersion();
    version.key = new PatientVersion.Key(id, versionId);
    version.resource = resource;
    version.recordedAt = at;
    version.recordedBy = author;
    version.method = method;
    version.reason = reason;
    version.persist();
  }

  private static ProblemException gone(String id) {
    return new ProblemException(
        410, "Gone", "Patient/" + id + " was deleted; its history is kept", List.of());
  }

  private Identifier mrnIdentifier(String mrn) {
    return new Identifier()
        .setUse(Identifier.IdentifierUse.USUAL)
        .setType(new CodeableConcept(new Coding(MRN_TYPE_SYSTEM, "MR", "Medical record number")))
        .setSystem(mrnSystem)
        .setValue(mrn);
  }

  @Transactional
  public PatientSearch.Page search(PatientSearch criteria) {
    PatientSearch.Page page = criteria.run(em);
    List<String> ids = page.rows().stream().map(r -> r.id).toList();
    access.success(
        AccessAction.SEARCH,
        "Patient",
        null,
        ids,
        "parameters: " + String.join(",", criteria.parameterNames()));
    return page;
  }

  /**
   * The current, not deleted rows of these patients (for _include; access is recorded by the
   * caller).
   */
  @Transactional
  public List<PatientRecord> current(List<String> ids) {
    if (ids.isEmpty()) return List.of();
    return PatientRecord.list("id in ?1 and deletedAt is null order by id", ids);
  }

  public StoredPatient toStored(PatientRecord row) {
    Patient p = fhir.context().newJsonParser().parseResource(Patient.class, row.resource);
    return new StoredPatient(row.id, row.versionId, p);
  }

  private String nextMrn() {
    Number n = (Number) em.createNativeQuery("select nextval('mrn_seq')").getSingleResult();
    return "MRN" + n.longValue();
  }

  /** Identifiers are unique per system: a second patient may not claim one already assigned. */
  private void claimIdentifiers(Patient patient, String patientId, boolean registering) {
    Map<PatientIdentifier.Key, Integer> wanted = new LinkedHashMap<>();
    for (int i = 0; i < patient.getIdentifier().size(); i++) {
      Identifier identifier = patient.getIdentifier().get(i);
      if (identifier.hasValue()) {
        wanted.putIfAbsent(
            new PatientIdentifier.Key(
                identifier.hasSystem() ? identifier.getSystem() : "", identifier.getValue()),
            i);
      }
    }
    // one query for every identifier's current holder (by value, then system), not one per
    // identifier
    Map<PatientIdentifier.Key, String> holders = new java.util.HashMap<>();
    if (!wanted.isEmpty()) {
      @SuppressWarnings("unchecked")
      List<Object[]> rows =
          em.createNativeQuery(
                  "select system, value, patient_id from patient_identifier where value in (?1)")
              .setParameter(1, wanted.keySet().stream().map(PatientIdentifier.Key::value).toList())
              .getResultList();
      for (Object[] r : rows) {
        holders.put(new PatientIdentifier.Key((String) r[0], (String) r[1]), (String) r[2]);
      }
    }
    List<InvalidParam> conflicts = new ArrayList<>();
    for (var w : wanted.entrySet()) {
      String holder = holders.get(w.getKey());
      if (holder == null) {
        PatientIdentifier.of(w.getKey().system(), w.getKey().value(), patientId).persist();
      } else if (!holder.equals(patientId)) {
        conflicts.add(
            new InvalidParam(
                "Patient.identifier[" + w.getValue() + "]",
                "already assigned to Patient/" + holder + " in system " + w.getKey().system()));
      }
    }
    if (!conflicts.isEmpty()) {
      throw new ProblemException(
          409, "Duplicate identifier", "An identifier is already assigned", conflicts);
    }
    if (registering) {
      return; // a new patient holds nothing else
    }
    // identifiers this patient no longer carries are released
    List<PatientIdentifier> held = PatientIdentifier.list("patientId", patientId);
    for (PatientIdentifier h : held) {
      if (!wanted.containsKey(h.key)) {
        h.delete();
      }
    }
  }

  private static void validateForRegistration(Patient patient) {
    List<InvalidParam> problems = new ArrayList<>();
    boolean named =
        patient.getName().stream().anyMatch(n -> n.hasFamily() || n.hasGiven() || n.hasText());
    if (!named) {
      problems.add(
          new InvalidParam("Patient.name", "at least one name is required to register a patient"));
    }
    if (patient.hasBirthDate() && birthDate(patient).isAfter(LocalDate.now().plusDays(1))) {
      problems.add(new InvalidParam("Patient.birthDate", "is in the future"));
    }
    for (int i = 0; i < patient.getIdentifier().size(); i++) {
      Identifier id = patient.getIdentifier().get(i);
      if (!id.hasValue()) {
        problems.add(new InvalidParam("Patient.identifier[" + i + "].value", "is required"));
      }
    }
    if (!problems.isEmpty()) {
      throw new ProblemException(
          400, "Invalid resource", "The Patient cannot be registered", problems);
    }
  }

  static void fillSearchColumns(PatientRecord row, Patient patient) {
    HumanName official =
        patient.getName().stream()
            .filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL)
            .findFirst()
            .orElse(patient.getName().isEmpty() ? null : patient.getName().get(0));
    row.family = official == null ? null : official.getFamily();
    row.given =
        official == null
            ? null
            : String.join(" ", official.getGiven().stream().map(StringType::getValue).toList());
    StringBuilder family = new StringBuilder(" ");
    StringBuilder given = new StringBuilder(" ");
    for (HumanName name : patient.getName()) {
      appendTokens(family, name.getFamily());
      name.getGiven().forEach(g -> appendTokens(given, g.getValue()));
    }
    row.familyTokens = family.toString();
    row.givenTokens = given.toString();
    StringBuilder tokens = new StringBuilder(" ");
    for (HumanName name : patient.getName()) {
      List<String> parts = new ArrayList<>();
      if (name.hasFamily()) parts.add(name.getFamily());
      name.getGiven().forEach(g -> parts.add(g.getValue()));
      name.getPrefix().forEach(g -> parts.add(g.getValue()));
      name.getSuffix().forEach(g -> parts.add(g.getValue()));
      if (name.hasText()) parts.add(name.getText());
      parts.forEach(part -> appendTokens(tokens, part));
    }
    row.nameTokens = tokens.toString();
    row.birthDate = birthDate(patient);
    row.gender = patient.hasGender() ? patient.getGender().toCode() : null;
    row.mergedInto = replacedBy(patient).orElse(null);
  }

  private static void appendTokens(StringBuilder tokens, String text) {
    if (text == null) return;
    for (String token : normalize(text).split("[\\s-]+")) {
      if (!token.isEmpty()) tokens.append(token).append(' ');
    }
  }

  /** The birth date as a calendar date; a partial date (1970, 1970-03) counts from its start. */
  static LocalDate birthDate(Patient patient) {
    if (!patient.hasBirthDate()) {
      return null;
    }
    String v = patient.getBirthDateElement().getValueAsString();
    if (v.length() == 4) return LocalDate.of(Integer.parseInt(v), 1, 1);
    if (v.length() == 7) return LocalDate.parse(v + "-01");
    return LocalDate.parse(v.substring(0, 10));
  }

  /** Lower case without accents, so "José" is found by "jose". */
  static String normalize(String s) {
    if (s == null) return "";
    return Normalizer.normalize(s, Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "")
        .toLowerCase(Locale.ROOT)
        .trim();
  }
}
