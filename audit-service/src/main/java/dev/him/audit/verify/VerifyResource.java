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

@Path("/api/audit/verify")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit integrity", description = "Tamper evidence of the access log")
public class VerifyResource {
  @Inject VerifySchedule verifier;

  @GET
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN})
  @Operation(
      summary = "Verify the hash chain",
      description =
          "Recomputes every chain's hashes and Merkle roots and checks every checkpoint (database and"
              + " checkpoint file) and its signature; names per chain the first entry or checkpoint"
              + " that does not match. Roles: privacy-officer, him-admin.")
  @APIResponse(
      responseCode = "200",
      description = "{intact, checkedEntries, checkedCheckpoints, firstProblem, problems, chains}")
  public ChainVerifier.Result verify() {
    return verifier.verify();
  }
}
