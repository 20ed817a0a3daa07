package dev.him.requests.fulfilment;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.events.v1.AccessAction;
import dev.him.requests.roi.RequestIds;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The release packet of a request: build it, read what it holds, download the PDF. */
@Path("/api/requests/roi/{id}/packet")
@Tag(name = "Release of information")
public class PacketResource {
  static final String ROLES_NOTE = "Roles: roi-specialist, him-admin.";

  @Inject PacketService packets;
  @Context UriInfo uri;

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = PacketService.RESOURCE_TYPE, action = AccessAction.CREATE)
  @Operation(
      summary = "Build the release packet",
      description =
          "Only while IN_PROCESSING and with a valid legal basis. Fetches the patient's record"
              + " from records-service, applies minimum necessary and the basis's sensitive"
              + " categories, and stores the PDF (cover letter, index, records, Bates numbers,"
              + " footer) with its SHA-256. A rebuild supersedes the current packet. Server-Timing"
              + " gives the time of each phase. "
              + ROLES_NOTE)
  @APIResponse(responseCode = "201", description = "Built; Location points to the packet")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(
      responseCode = "409",
      description = "Not IN_PROCESSING (invalid-params names status) or the basis has defects")
  @APIResponse(responseCode = "502", description = "records-service refused the service account")
  @APIResponse(responseCode = "503", description = "records-service unavailable; nothing stored")
  public Response build(@PathParam("id") @Parameter(description = "Request id") String id) {
    PacketService.Built built = packets.build(RequestIds.parse(id));
    return Response.created(uri.getAbsolutePathBuilder().build())
        .entity(built.packet())
        .header("Server-Timing", serverTiming(built))
        .build();
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = PacketService.RESOURCE_TYPE, action = AccessAction.READ)
  @Operation(
      summary = "The current packet's metadata",
      description =
          "Checksum, pages, entries per record type with their dates, withheld per category,"
              + " who built it and when, and until when it can be downloaded. "
              + ROLES_NOTE)
  @APIResponse(responseCode = "200", description = "The packet's metadata")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request or no packet yet")
  public PacketView metadata(@PathParam("id") String id) {
    return packets.current(RequestIds.parse(id));
  }

  @GET
  @Path("content")
  @Produces({"application/pdf", "application/problem+json"})
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = PacketService.RESOURCE_TYPE, action = AccessAction.READ)
  @Operation(
      summary = "Download the packet (PDF)",
      description =
          "The PDF, with its SHA-256 as ETag and in X-Content-SHA256. Only until"
              + " him.roi.packet.download-days after release (after building while not"
              + " released). Every download is an access event. "
              + ROLES_NOTE)
  @APIResponse(responseCode = "200", description = "The PDF")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request or no packet yet")
  @APIResponse(responseCode = "410", description = "The download period is over")
  public Response content(@PathParam("id") String id) {
    PacketService.Download d = packets.download(RequestIds.parse(id));
    return Response.ok(d.pdf(), "application/pdf")
        .tag(new EntityTag(d.sha256()))
        .header("X-Content-SHA256", d.sha256())
        .header("Content-Disposition", "attachment; filename=\"" + d.fileName() + "\"")
        .header("Cache-Control", "no-store")
        .build();
  }

  private static String serverTiming(PacketService.Built built) {
    return built.timings().entrySet().stream()
        .map(e -> e.getKey() + ";dur=" + e.getValue().toNanos() / 1_000_000.0)
        .collect(Collectors.joining(", "));
  }
}
