package io.cloudops.common.sandbox;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/sandboxes/{id}/extend}: adds {@code ttlMinutes} to the sandbox's time to
 * live, moving {@code expiresAt} by as much.
 */
@Schema(name = "SandboxExtendRequest")
public record SandboxExtendRequest(
        @Schema(description = "Minutes to add", examples = "60", required = true) @NotNull @Min(1) @Max(SandboxRequest.MAX_TTL_MINUTES) Integer ttlMinutes) {
}
