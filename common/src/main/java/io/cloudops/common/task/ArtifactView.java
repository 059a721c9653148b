package io.cloudops.common.task;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A file a task produced: a plan, a backup, a log. Restores refer to backups by {@code id}. */
@Schema(name = "Artifact")
public record ArtifactView(UUID id, UUID taskId, String kind, String uri, long sizeBytes, String sha256,
        Instant createdAt) {
}
