package io.cloudops.common.schedule;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What one due time of a schedule did. */
public record ScheduleRunView(
        Instant dueAt,
        @Schema(description = "fired (a task was accepted) | skipped (overlap policy) | missed (older than the catch-up window when seen) | failed (refused, e.g. by a guard rail)") String outcome,
        @Schema(description = "The task it fired", nullable = true) UUID taskId,
        @Schema(description = "Why it was skipped, missed or failed", nullable = true) String detail,
        Instant recordedAt) {
}
