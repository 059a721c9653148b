package io.cloudops.orchestrator.client;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.cloudops.common.audit.AuditOutcome;

/**
 * One audit entry to write. The engine's client methods that change something take one and insert
 * it with {@link AuditTrail#insert} on the connection of the change's own transaction, so the entry
 * commits or rolls back with the change; {@code null} means "not audited" (the engine's own work,
 * tests). Text longer than its column is cut, never refused: an audit entry must not fail the
 * change it records.
 *
 * @param targetId null for a task that is being created: the submitter fills in the new task's id
 */
public record AuditRecord(Instant at, String actor, List<String> roles, String action, String targetType,
        String targetId, String requestId, String sourceAddress, AuditOutcome outcome, JsonNode detail) {

    public AuditRecord {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        at = (at == null ? Instant.now() : at).truncatedTo(ChronoUnit.MICROS);
        roles = roles == null ? List.of() : List.copyOf(roles);
        detail = detail == null ? JsonNodeFactory.instance.objectNode() : detail;
    }

    /** The same entry about another target (the task a submission created). */
    public AuditRecord withTarget(String type, String id) {
        return new AuditRecord(at, actor, roles, action, type, id, requestId, sourceAddress, outcome, detail);
    }
}
