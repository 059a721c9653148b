package io.cloudops.common.sandbox;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Answer of {@code POST /api/sandboxes}: the task that creates the sandbox, and the id, name and
 * namespace the sandbox environment gets (its record appears once the task's first step ran).
 */
@Schema(name = "SandboxAccepted")
public record SandboxAccepted(
        UUID taskId,
        @Schema(description = "Id of the sandbox environment (GET /api/environments/{id})") UUID environmentId,
        @Schema(examples = "sandbox-1a2b3c4d") String name,
        @Schema(description = "Kubernetes namespace of the sandbox", examples = "demo-sandbox-1a2b3c4d") String namespace) {
}
