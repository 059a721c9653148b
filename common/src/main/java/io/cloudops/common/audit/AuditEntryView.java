package io.cloudops.common.audit;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** One entry of the audit log, as {@code GET /api/audit} lists it. */
@Schema(name = "AuditEntry", description = "Who did what to which target, from where, and how it ended")
public record AuditEntryView(
        @Schema(description = "Increasing with the order the entries were written") long id,
        @Schema(description = "When it happened (UTC)") Instant at,
        @Schema(description = "The signed-in principal, or anonymous", examples = "demo") String actor,
        @Schema(description = "The roles the actor had") List<String> roles,
        @Schema(description = "What was attempted, e.g. task.create, task.cancel, project.update, deadletter.retry", examples = "task.create") String action,
        @Schema(nullable = true, description = "The kind of target: task, project, environment, deadletter, sandbox; null when unknown", examples = "task") String targetType,
        @Schema(nullable = true, description = "The target's id; null when unknown") String targetId,
        @Schema(nullable = true, description = "The request's X-Request-Id (the client's when it sent a valid one, else generated)") String requestId,
        @Schema(nullable = true, description = "The client's address (the proxy's client address only when quarkus.http.proxy.* says to trust it)") String sourceAddress,
        @Schema(description = "succeeded | denied | rejected", enumeration = {
                "succeeded", "denied", "rejected"}) String outcome,
        @Schema(implementation = Object.class, type = SchemaType.OBJECT, additionalProperties = Schema.True.class, description = "Parameters (secrets masked), digests of the task payload, the rendered plan or the restored artifact, and for refusals the status and reason") JsonNode detail){
}
