package io.cloudops.common.task;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A task in a listing (no steps, logs or payload). */
@Schema(name = "TaskSummary")
public record TaskSummaryView(
        UUID id,
        String type,
        TaskStatus status,
        String entityId,
        @Schema(nullable = true, description = "The entity's readable name (demo/dev, azure-postgres/orders), only shown; null: none but its id (tasks accepted before names were stored, diagnostics)") String entityLabel,
        @Schema(nullable = true) String requestedBy,
        int attempt,
        Instant createdAt,
        @Schema(nullable = true) Instant startedAt,
        @Schema(nullable = true) Instant finishedAt,
        @Schema(nullable = true) Instant nextAttemptAt,
        @Schema(nullable = true) String errorMessage) {
}
