package dev.him.audit.verify;

import dev.him.common.access.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

@Path("/api/audit/verify")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit integrity", description = "Tamper evidence of the access log")
public class VerifyResource {
  private static final Logger LOG = Logger.getLogger(VerifyResource.class);

  @Inject ChainVerifier verifier;

  @GET
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN})
  @Operation(
      summary = "Verify the hash chain",
      description =
          "Recomputes every entry's hash and link. firstBrokenEntry is the sequence number of the"
              + " first entry that was altered, removed or reordered. Roles: privacy-officer, him-admin.")
  @APIResponse(responseCode = "200", description = "{intact, checked, firstBrokenEntry}")
  public ChainVerifier.Result verify() {
    ChainVerifier.Result result = verifier.verify();
    if (!result.intact()) {
      LOG.errorf("audit chain broken at entry %d", result.firstBrokenEntry());
    }
    return result;
  }
}
