package io.cloudops.common.task;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** A task as {@code GET /api/tasks/{id}} shows it: steps, the tail of its logs and its artifacts. */
@Schema(name = "Task")
public record TaskView(
        UUID id,
        String type,
        TaskStatus status,
        @Schema(description = "Session key: tasks with the same entityId run one at a time, in order") String entityId,
        @Schema(nullable = true, description = "The entity's readable name (demo/dev, azure-postgres/orders), only shown; null: none but its id (tasks accepted before names were stored, diagnostics)") String entityLabel,
        @Schema(nullable = true) String correlationId,
        @Schema(nullable = true) String idempotencyKey,
        @Schema(nullable = true) String requestedBy,
        @Schema(description = "Attempts started so far") int attempt,
        int maxAttempts,
        Instant createdAt,
        @Schema(nullable = true) Instant startedAt,
        @Schema(nullable = true) Instant finishedAt,
        @Schema(nullable = true, description = "When a waiting retry may start") Instant nextAttemptAt,
        boolean cancelRequested,
        @Schema(nullable = true) TaskError error,
        @Schema(implementation = Object.class, type = SchemaType.OBJECT, additionalProperties = Schema.True.class, description = "The task's input as accepted (free-form JSON object)") JsonNode payload,
        List<StepView> steps,
        @Schema(description = "The last log lines (bounded)") List<LogLineView> logs,
        List<ArtifactView> artifacts,
        @Schema(description = "Notifications of this task's outcome, one per route, with every attempt to send them") List<io.cloudops.common.notification.NotificationView> notifications,
        @Schema(nullable = true, description = "The task that replaced this one (status superseded, busy policy replace-pending)") UUID supersededBy,
        @Schema(nullable = true, description = "What the task needs before it may start, and the decisions so far; null when it needs no approval") ApprovalView approval) {

    /**
     * A succeeded deployment that applied its plan (not a preview): what {@code POST
     * /api/deployments/{taskId}/rollback} can return to.
     */
    public boolean rollbackTarget() {
        return TaskType.DEPLOYMENT.type().equals(type) && status == TaskStatus.SUCCEEDED
                && (payload == null || !payload.path("dryRun").asBoolean(false));
    }

    /** What went wrong and what a person can do about it. */
    @Schema(name = "TaskError")
    public record TaskError(String message, @Schema(nullable = true) String hint) {
    }
}
