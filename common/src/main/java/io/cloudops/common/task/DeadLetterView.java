package io.cloudops.common.task;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** A task that exhausted its retries, waiting for an operator to retry or skip it. */
@Schema(name = "DeadLetter")
public record DeadLetterView(UUID id, UUID taskId, String type, String entityId,
        @Schema(nullable = true, description = "The entity's readable name (demo/dev, azure-postgres/orders), only shown; null: none but its id (tasks accepted before names were stored, diagnostics)") String entityLabel,
        @Schema(implementation = Object.class, type = SchemaType.OBJECT, additionalProperties = Schema.True.class, description = "The task message as it was dead-lettered (free-form JSON object)") JsonNode originalMessage,
        @Schema(nullable = true) String lastError,
        int attempts, Instant deadLetteredAt,
        @Schema(nullable = true, description = "null (open), retried or skipped") String resolution,
        @Schema(nullable = true) Instant resolvedAt, @Schema(nullable = true) String resolvedBy) {
}
