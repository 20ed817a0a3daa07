package dev.him.requests.fulfilment;

import dev.him.common.access.AccessRecorder;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.legalbasis.LegalBasisCheck;
import dev.him.requests.legalbasis.LegalBasisChecks;
import dev.him.requests.legalbasis.RoiAuthorization;
import dev.him.requests.records.RecordsClient;
import dev.him.requests.roi.RoiRequest;
import dev.him.requests.roi.RoiStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Builds a request's release packet and hands it out. The record is fetched from records-service
 * outside any transaction (a slow records-service holds no database connection); the packet is
 * stored with its SHA-256 in one transaction with its access event, so a failure stores nothing.
 */
@ApplicationScoped
public class PacketService {
  static final String RESOURCE_TYPE = "RoiPacket";

  @Inject RecordsClient records;
  @Inject LegalBasisChecks checks;
  @Inject AccessRecorder access;
  @Inject RequestContext request;

  @ConfigProperty(name = "him.roi.bates-prefix", defaultValue = "HIM")
  String batesPrefix;

  @ConfigProperty(name = "him.roi.packet.download-days", defaultValue = "30")
  int downloadDays;

  /** Sent as X-Purpose-Of-Use: records-service opens the categories a release may include. */
  @ConfigProperty(name = "him.roi.packet.purpose-of-use", defaultValue = "RECORDMGT")
  String purposeOfUse;

  @ConfigProperty(name = "him.roi.facility-name", defaultValue = "Health Information Management")
  String facility;

  @ConfigProperty(name = "him.roi.time-zone", defaultValue = "America/New_York")
  ZoneId zone;

  /** A stored packet and how long its phases took (for Server-Timing). */
  public record Built(PacketView packet, Map<String, Duration> timings) {}

  /** What the build needs from the request, read in a short transaction. */
  private record Prepared(
      UUID id,
      String patientId,
      String recipient,
      String recipientAddress,
      String basis,
      LocalDate receivedOn,
      ReleasePlan plan) {}

  public Built build(UUID id) {
    long start = System.nanoTime();
    Prepared p = QuarkusTransaction.requiringNew().call(() -> prepare(id));
    long prepared = System.nanoTime();
    Bundle record = records.everything(p.patientId(), purposeOfUse);
    long fetched = System.nanoTime();
    PacketSelection selection = PacketSelection.select(record, p.plan());
    LocalDate today = LocalDate.now(zone);
    String prefix = batesPrefix + "-" + shortId(id);
    PacketLayout.Letter letter =
        new PacketLayout.Letter(
            facility,
            id.toString(),
            p.recipient(),
            p.recipientAddress(),
            p.basis(),
            p.receivedOn(),
            today);
    PacketPdf.Result pdf =
        PacketLayout.write(letter, p.plan(), selection)
            .render(
                prefix,
                "Released to "
                    + p.recipient()
                    + " on "
                    + today
                    + " - confidential health information");
    long rendered = System.nanoTime();
    PacketView view = QuarkusTransaction.requiringNew().call(() -> store(p, selection, pdf));
    long stored = System.nanoTime();
    Map<String, Duration> timings = new LinkedHashMap<>();
    timings.put("prepare", Duration.ofNanos(prepared - start));
    timings.put("records", Duration.ofNanos(fetched - prepared));
    timings.put("pdf", Duration.ofNanos(rendered - fetched));
    timings.put("store", Duration.ofNanos(stored - rendered));
    timings.put("total", Duration.ofNanos(stored - start));
    return new Built(view, timings);
  }

  private Prepared prepare(UUID id) {
    RoiRequest r = find(id);
    requireInProcessing(r);
    LegalBasisCheck check = checks.check(id).orElseThrow();
    if (!check.valid()) {
      // a revocation or expiry since validation stops the release before anything is gathered
      throw new ProblemException(
          409,
          "Legal basis not valid",
          "The legal basis has " + check.defects().size() + " defect(s); no packet is built",
          check.defects().stream()
              .map(d -> new InvalidParam(d.field(), d.code() + ": " + d.message()))
              .toList());
    }
    ReleasePlan plan = ReleasePlan.of(r, check, RoiAuthorization.findById(id));
    return new Prepared(
        id, r.patientId, r.requesterName, r.requesterAddress, basisText(r), r.receivedOn, plan);
  }

  private PacketView store(Prepared p, PacketSelection s, PacketPdf.Result pdf) {
    RoiRequest r = find(p.id());
    requireInProcessing(r); // it may have moved while the record was fetched
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    RoiPacket.update(
        "current = false, supersededAt = ?1 where requestId = ?2 and current = true", now, p.id());
    RoiPacket packet = new RoiPacket();
    packet.id = UUID.randomUUID();
    packet.requestId = p.id();
    packet.current = true;
    packet.sha256 = sha256(pdf.pdf());
    packet.pageCount = pdf.pages();
    packet.sizeBytes = pdf.pdf().length;
    packet.resourceCount = s.resourceCount;
    packet.included = included(s);
    Map<String, Integer> withheld = new LinkedHashMap<>();
    s.withheld.forEach((c, n) -> withheld.put(c.name(), n));
    packet.withheld = withheld;
    packet.outsideScope = s.outsideScope;
    packet.part2Notice = s.substanceUseIncluded;
    packet.minimumNecessary = p.plan().minimumNecessary();
    packet.recipient = p.recipient();
    packet.batesFirst = pdf.firstBates();
    packet.batesLast = pdf.lastBates();
    packet.builtAt = now;
    packet.builtBy = request.actor().username();
    packet.persist();
    RoiPacketContent content = new RoiPacketContent();
    content.packetId = packet.id;
    content.content = pdf.pdf();
    content.persist();
    access.success(
        AccessAction.CREATE,
        RESOURCE_TYPE,
        packet.id.toString(),
        List.of(r.patientId),
        "release packet for RoiRequest/"
            + p.id()
            + ": "
            + s.resourceCount
            + " resources, "
            + pdf.pages()
            + " pages"
            + (s.withheldBySource > 0
                ? ", " + s.withheldBySource + " withheld by records-service"
                : ""));
    return PacketView.of(packet, expiresAt(packet), now);
  }

  /** The current packet's metadata; an access event (READ). */
  @Transactional
  public PacketView current(UUID requestId) {
    RoiRequest r = find(requestId);
    RoiPacket p = currentPacket(requestId);
    access.success(
        AccessAction.READ, RESOURCE_TYPE, p.id.toString(), List.of(r.patientId), "metadata");
    return PacketView.of(p, expiresAt(p), Instant.now());
  }

  /** The PDF while downloadable (410 after its expiry); every download is an access event. */
  @Transactional
  public Download download(UUID requestId) {
    RoiRequest r = find(requestId);
    RoiPacket p = currentPacket(requestId);
    Instant expires = expiresAt(p);
    if (!Instant.now().isBefore(expires)) {
      throw new ProblemException(
          410,
          "Packet expired",
          "The packet could be downloaded until "
              + expires
              + " (him.roi.packet.download-days after release, or after building while not"
              + " released); build it again while the request is in processing",
          List.of(new InvalidParam("packet", "expired at " + expires)));
    }
    RoiPacketContent content = RoiPacketContent.findById(p.id);
    access.success(
        AccessAction.READ,
        RESOURCE_TYPE,
        p.id.toString(),
        List.of(r.patientId),
        "download " + p.batesFirst + " to " + p.batesLast + ", sha256 " + p.sha256);
    return new Download(content.content, p.sha256, "roi-packet-" + shortId(requestId) + ".pdf");
  }

  /** The PDF with its checksum and a file name. */
  public record Download(byte[] pdf, String sha256, String fileName) {}

  /** Counted from release; while not released, from the build. */
  Instant expiresAt(RoiPacket p) {
    Object released =
        RoiPacket.getEntityManager()
            .createNativeQuery(
                "select max(at) from roi_transition where request_id = ?1 and to_status ="
                    + " 'RELEASED'")
            .setParameter(1, p.requestId)
            .getSingleResult();
    Instant base = released == null ? p.builtAt : toInstant(released);
    return base.plus(Duration.ofDays(downloadDays));
  }

  private static Instant toInstant(Object db) {
    if (db instanceof Instant i) return i;
    if (db instanceof java.sql.Timestamp t) return t.toInstant();
    if (db instanceof java.time.OffsetDateTime o) return o.toInstant();
    throw new IllegalStateException("unexpected timestamp type " + db.getClass());
  }

  private static RoiPacket currentPacket(UUID requestId) {
    return RoiPacket.currentOf(requestId)
        .orElseThrow(
            () ->
                ProblemException.notFound("No packet has been built for RoiRequest/" + requestId));
  }

  static RoiRequest find(UUID id) {
    RoiRequest r = RoiRequest.findById(id);
    if (r == null) {
      throw ProblemException.notFound("RoiRequest/" + id + " is not known");
    }
    return r;
  }

  private static void requireInProcessing(RoiRequest r) {
    if (r.status != RoiStatus.IN_PROCESSING) {
      throw new ProblemException(
          409,
          "Packet not allowed",
          "A packet is built while the request is IN_PROCESSING; it is " + r.status,
          List.of(new InvalidParam("status", "is " + r.status + ", needs IN_PROCESSING")));
    }
  }

  private static Map<String, RoiPacket.IncludedType> included(PacketSelection s) {
    Map<String, RoiPacket.IncludedType> out = new LinkedHashMap<>();
    s.included.forEach(
        (type, list) -> {
          List<Resource> l = list;
          out.put(
              type,
              new RoiPacket.IncludedType(
                  l.size(), RecordTypes.day(l.get(0)), RecordTypes.day(l.get(l.size() - 1))));
        });
    return out;
  }

  private static String basisText(RoiRequest r) {
    String name = r.requestType.name();
    switch (name) {
      case "RIGHT_OF_ACCESS":
        return "the individual's right of access (45 CFR 164.524)";
      case "AUTHORIZATION":
        return "the patient's authorization (45 CFR 164.508)";
      case "COURT_ORDER":
        return "court order (45 CFR 164.512(e)(1)(i))";
      case "SUBPOENA":
        return "subpoena with satisfactory assurance (45 CFR 164.512(e)(1)(ii))";
      case "TREATMENT":
        return "treatment / continuity of care (45 CFR 164.506)";
      case "REQUIRED_BY_LAW":
        return "required by law (45 CFR 164.512(a))";
      default:
        return name.toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  static String shortId(UUID id) {
    return id.toString().substring(0, 8).toUpperCase(Locale.ROOT);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
