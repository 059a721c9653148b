package io.cloudops.common.sandbox;

import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/sandboxes}: a short-lived environment of a project that tears itself
 * down after {@code ttlMinutes}. Without {@code ttlMinutes} the sandbox gets its project's default
 * TTL; above the project's maximum only an admin may go (the sandbox TTL policy, docs/operations.md).
 * {@code params} only takes {@code simulate} today (failure injection, demo mode only).
 */
@Schema(name = "SandboxRequest")
public record SandboxRequest(
        @Schema(description = "Project the sandbox belongs to", required = true) @NotNull UUID projectId,
        @Schema(description = "Time to live in minutes (1 minute to 30 days). Omitted: the project's default (Project.sandboxTtl.defaultTtlMinutes). Above the project's maximum (Project.sandboxTtl.maxTtlMinutes): 422 naming ttlMinutes, unless the caller is an admin (audited as an exemption)", examples = "120") @Min(1) @Max(MAX_TTL_MINUTES) Integer ttlMinutes,
        @Schema(description = "Operation parameters: only simulate (fail | flaky:N) in demo mode") @Size(max = 10) Map<String, Object> params) {

    /**
     * 30 days, the longest a sandbox may live in all (extensions included): the absolute cap, above
     * every project's maximum and the admin exemption.
     */
    public static final int MAX_TTL_MINUTES = 43_200;
}
