package dev.him.audit.report;

import dev.him.common.access.AccessRecorder;
import dev.him.events.v1.AccessAction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads of the audit log by a person are accesses too (HIPAA 164.312(b), ONC (d)(2)): each query,
 * export or report records one AccessEvent through the outbox, in the read's own transaction, so it
 * lands in the hash-chained log like every other access. Only the resources call this; ingestion
 * never does, so an ingested event can never produce another one.
 */
@ApplicationScoped
public class AuditLogReads {
  /** The resource type of reads of the log (FHIR's name for an audit record). */
  public static final String AUDIT_EVENT = "AuditEvent";

  /**
   * AccessAction has no EXPORT: an export is recorded as a SEARCH whose detail starts with this,
   * and the ONC report shows it as an ASTM E2147 "copy".
   */
  public static final String EXPORT_DETAIL = "export";

  @Inject AccessRecorder recorder;

  /** A query of the log: the detail names the parameters given, never their values. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void query(String what, String patient, MultivaluedMap<String, String> params) {
    recorder.success(
        AccessAction.SEARCH, AUDIT_EVENT, null, patients(patient), what + names(params));
  }

  /** An export of the log to a file (shown as "copy" in the ONC report). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void export(String what, String patient, MultivaluedMap<String, String> params) {
    recorder.success(
        AccessAction.SEARCH,
        AUDIT_EVENT,
        null,
        patients(patient),
        EXPORT_DETAIL + " (CSV) of " + what + names(params));
  }

  /** A report about one patient's accesses. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void patientReport(String what, String patient) {
    recorder.success(AccessAction.READ, AUDIT_EVENT, null, patients(patient), what);
  }

  /** Another read of audit records (e.g. the record of settings changes). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void read(
      AccessAction action,
      String resourceType,
      String what,
      MultivaluedMap<String, String> params) {
    recorder.success(action, resourceType, null, List.of(), what + names(params));
  }

  private static List<String> patients(String patient) {
    return patient == null || patient.isBlank() ? List.of() : List.of(patient.strip());
  }

  private static String names(MultivaluedMap<String, String> params) {
    if (params == null || params.isEmpty()) {
      return "";
    }
    return "; parameters " + String.join(", ", new TreeSet<>(params.keySet()));
  }
}
