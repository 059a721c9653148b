package io.cloudops.common.task;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code GET /api/queue}: depth per session, what runs, and the configured limits. */
@Schema(name = "Queue")
public record QueueView(List<Session> sessions, long queuedTotal, long runningTotal, int maxConcurrentSessions,
        int maxMessagesPerSession) {

    @Schema(name = "QueueSession")
    public record Session(String entityId, long queued, @Schema(nullable = true) UUID runningTaskId) {
    }
}
