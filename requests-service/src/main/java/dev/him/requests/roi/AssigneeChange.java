package dev.him.requests.roi;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Who works on a request; null (or absent) unassigns it. */
public record AssigneeChange(
    @Schema(description = "User name of a roi-specialist or him-admin; null unassigns")
        @Size(max = 100)
        @Pattern(regexp = "[A-Za-z0-9._@-]+", message = "must be a user name")
        String assignee) {}
