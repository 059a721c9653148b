package io.cloudops.common.task;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code GET /api/queue}: the backlog per session (entity), what runs, the configured limits, and
 * which queues are paused (docs/change-safety.md).
 */
@Schema(name = "Queue")
public record QueueView(List<Session> sessions, long queuedTotal, long runningTotal, int maxConcurrentSessions,
        int maxMessagesPerSession,
        @Schema(description = "Every queue is paused (POST /api/queue/pause without entityId): nothing new starts") boolean maintenance,
        @Schema(description = "Entities whose queue is paused (with or without tasks)") List<String> pausedEntities,
        @Schema(nullable = true, description = "QUEUE_MAX_AGE as an ISO-8601 duration; null: queued tasks never expire") String maxQueueAge) {

    @Schema(name = "QueueSession")
    public record Session(String entityId,
            @Schema(nullable = true, description = "The entity's readable name, from its newest active task that has one; null: none but its id") String entityLabel,
            @Schema(description = "Queued tasks (the backlog), tasks awaiting approval included") long queued,
            @Schema(nullable = true) UUID runningTaskId,
            @Schema(description = "Its queue is paused, by itself or by maintenance") boolean paused) {
    }
}
