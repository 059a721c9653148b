package io.cloudops.common.project;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An environment as the API shows it. {@code ttlMinutes} and {@code expiresAt} are set for sandboxes only. */
@Schema(name = "Environment")
public record EnvironmentView(
        UUID id,
        UUID projectId,
        String name,
        EnvironmentType type,
        @Schema(nullable = true) Integer ttlMinutes,
        @Schema(nullable = true) Instant expiresAt,
        EnvironmentStatus status,
        Instant createdAt) {
}
