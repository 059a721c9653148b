package io.cloudops.common.sandbox;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/sandboxes/{id}/extend}: adds {@code ttlMinutes} to the sandbox's time to
 * live, moving {@code expiresAt} by as much. The whole TTL after the extension (creation to the new
 * {@code expiresAt}) must stay within the project's maximum; an admin may go up to 30 days.
 */
@Schema(name = "SandboxExtendRequest")
public record SandboxExtendRequest(
        @Schema(description = "Minutes to add; the TTL in all must stay within the project's maximum (admins: 30 days)", examples = "60", required = true) @NotNull @Min(1) @Max(SandboxRequest.MAX_TTL_MINUTES) Integer ttlMinutes) {
}
