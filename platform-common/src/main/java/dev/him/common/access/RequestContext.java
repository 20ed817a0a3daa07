package dev.him.common.access;

import dev.him.events.v1.Actor;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What every request carries that events and errors need: the correlation id (X-Request-Id), the
 * declared purpose of use, and the caller as an {@link Actor}.
 */
@RequestScoped
public class RequestContext {
  public static final String REQUEST_ID_HEADER = "X-Request-Id";
  public static final String PURPOSE_HEADER = "X-Purpose-Of-Use";

  /**
   * The log context (MDC) key of the correlation id: set for each request by {@link
   * CorrelationIdFilter} and by the Kafka consumers while they handle an event, printed by the
   * console format and as {@code mdc.requestId} in JSON logs.
   */
  public static final String LOG_KEY = "requestId";

  /**
   * Emergency access to a record the caller has no treatment relationship with: the header carries
   * the reason, which the access event keeps.
   */
  public static final String BREAK_GLASS_HEADER = "X-Break-Glass-Reason";

  /** HL7 v3 ActReason "break the glass": the purpose of use of an emergency access. */
  public static final String BREAK_GLASS_PURPOSE = "BTG";

  private static final int MAX_REASON = 500;

  /** Accept a caller's id only if it is short and plain, so it cannot inject into logs. */
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private static final Set<String> TECHNICAL_ROLES =
      Set.of("offline_access", "uma_authorization", "default-roles-him");

  @Inject SecurityIdentity identity;

  private String requestId;
  private String purposeOfUse;
  private String breakGlassRequest;
  private String breakGlassReason;

  public static boolean isSafeId(String value) {
    return value != null && SAFE_ID.matcher(value).matches();
  }

  public String requestId() {
    return requestId;
  }

  void setRequestId(String requestId) {
    this.requestId = requestId;
  }

  public String purposeOfUse() {
    return purposeOfUse;
  }

  void setPurposeOfUse(String purposeOfUse) {
    this.purposeOfUse = isSafeId(purposeOfUse) ? purposeOfUse : null;
  }

  /** The reason the caller gave for an emergency access, if they gave one (not yet used). */
  public String breakGlassRequest() {
    return breakGlassRequest;
  }

  void setBreakGlassRequest(String reason) {
    this.breakGlassRequest =
        reason == null || reason.isBlank()
            ? null
            : reason.strip().substring(0, Math.min(reason.strip().length(), MAX_REASON));
  }

  /**
   * The service decided this request is an emergency access: from here on its access events carry
   * purpose BTG and the reason, so the audit trail flags them for review.
   */
  public void breakGlass() {
    if (breakGlassRequest == null) {
      throw new IllegalStateException("no break-the-glass reason was given");
    }
    this.breakGlassReason = breakGlassRequest;
    this.purposeOfUse = BREAK_GLASS_PURPOSE;
  }

  /** The reason of an emergency access this request was allowed as, or null. */
  public String breakGlassReason() {
    return breakGlassReason;
  }

  public Actor actor() {
    if (identity == null || identity.isAnonymous()) {
      return Actor.anonymous();
    }
    List<String> roles =
        identity.getRoles().stream().filter(r -> !TECHNICAL_ROLES.contains(r)).sorted().toList();
    Principal principal = identity.getPrincipal();
    if (principal instanceof JsonWebToken jwt) {
      String username = jwt.getClaim("preferred_username");
      return new Actor(
          jwt.getSubject(),
          username != null ? username : jwt.getName(),
          roles,
          jwt.getClaim("azp"));
    }
    return new Actor(principal.getName(), principal.getName(), roles, null);
  }
}
