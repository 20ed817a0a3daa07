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

  /** Accept a caller's id only if it is short and plain, so it cannot inject into logs. */
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private static final Set<String> TECHNICAL_ROLES =
      Set.of("offline_access", "uma_authorization", "default-roles-him");

  @Inject SecurityIdentity identity;

  private String requestId;
  private String purposeOfUse;

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
