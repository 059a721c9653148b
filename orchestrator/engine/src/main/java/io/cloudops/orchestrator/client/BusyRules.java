package io.cloudops.orchestrator.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.engine.JournalWriter;
import io.cloudops.orchestrator.queue.BusyPolicy;

/**
 * The busy policies as SQL, run inside the transaction that inserts the new task. Submissions under
 * a policy first take the entity's submit lock (a transaction-scoped advisory lock), so two
 * concurrent requests for one entity decide one after the other and each sees what the other
 * committed: there is no check-then-act window. The rows they change are guarded by their status
 * ({@code status = 'queued' AND started_at IS NULL}), so a claim that starts a task first wins over
 * a replacement, and the replacement then changes nothing.
 */
final class BusyRules {

    /** Namespace of the submit locks among the database's advisory locks. */
    private static final int SUBMIT_LOCK = 0x0C10_0D09;

    /** What a policy changed: events to publish and runs to cancel once the transaction committed. */
    record Applied(List<TaskEvent> superseded, List<UUID> cancelRequested) {
        static final Applied NOTHING = new Applied(List.of(), List.of());
    }

    private BusyRules() {
    }

    /** Serialises the policy decisions of one entity until the transaction ends. */
    static void lockEntity(Connection c, String entityId) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            lock.setInt(1, SUBMIT_LOCK);
            lock.setString(2, entityId);
            lock.execute();
        }
    }

    /** Applies {@code policy} for the task {@code taskId} just inserted (it is excluded from every check). */
    static Applied apply(Connection c, JournalWriter writer, BusyPolicy policy, UUID taskId, String type,
            String entityId, Instant now) throws SQLException {
        return switch (policy) {
            case QUEUE -> Applied.NOTHING;
            case SKIP_IF_BUSY -> {
                refuseIfBusy(c, taskId, type, entityId);
                yield Applied.NOTHING;
            }
            case REPLACE_PENDING -> new Applied(supersede(c, writer, taskId, type, entityId, now), List.of());
            case CANCEL_RUNNING -> new Applied(List.of(), requestCancel(c, type, entityId));
        };
    }

    private static void refuseIfBusy(Connection c, UUID taskId, String type, String entityId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("""
                SELECT id, status FROM task
                WHERE entity_id = ? AND status IN ('awaiting_approval', 'queued', 'running') AND id <> ?
                ORDER BY (status = 'running') DESC, queue_position LIMIT 1""")) {
            select.setString(1, entityId);
            select.setObject(2, taskId);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    throw new TaskErrors.EntityBusy(entityId, type, rs.getObject("id", UUID.class),
                            TaskStatus.fromValue(rs.getString("status")));
                }
            }
        }
    }

    /** Ends the entity's queued, never-started tasks of {@code type} as superseded by {@code taskId}. */
    private static List<TaskEvent> supersede(Connection c, JournalWriter writer, UUID taskId, String type,
            String entityId, Instant now) throws SQLException {
        TaskStatus.QUEUED.checkTransition(TaskStatus.SUPERSEDED);
        String message = "superseded by task " + taskId;
        List<TaskEvent> events = new ArrayList<>();
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE task SET status = 'superseded', superseded_by = ?, finished_at = ?, next_attempt_at = NULL,
                                event_seq = event_seq + 1, error_message = ?
                WHERE entity_id = ? AND type = ? AND status = 'queued' AND started_at IS NULL AND id <> ?
                RETURNING id, event_seq""")) {
            update.setObject(1, taskId);
            update.setTimestamp(2, Timestamp.from(now));
            update.setString(3, message);
            update.setString(4, entityId);
            update.setString(5, type);
            update.setObject(6, taskId);
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    events.add(new TaskEvent(rs.getObject("id", UUID.class), rs.getLong("event_seq"),
                            TaskEvent.KIND_TASK, null, TaskStatus.SUPERSEDED.value(), message, null, now));
                }
            }
        }
        if (!events.isEmpty()) {
            try (PreparedStatement steps = c.prepareStatement(
                    "UPDATE task_step SET status = 'skipped', message = 'superseded' WHERE task_id = ANY (?) AND status = 'pending'")) {
                steps.setArray(1, c.createArrayOf("uuid", events.stream().map(TaskEvent::taskId).toArray()));
                steps.executeUpdate();
            }
            writer.insertEvents(c, events);
        }
        return events;
    }

    /**
     * Flags the entity's running task of {@code type} for cancellation, as {@link TaskControl#cancel}
     * does: the run stops at its next step boundary and the new task, queued behind it, runs next.
     */
    private static List<UUID> requestCancel(Connection c, String type, String entityId) throws SQLException {
        List<UUID> flagged = new ArrayList<>();
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE task SET cancel_requested = TRUE
                WHERE entity_id = ? AND type = ? AND status = 'running' RETURNING id""")) {
            update.setString(1, entityId);
            update.setString(2, type);
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    flagged.add(rs.getObject("id", UUID.class));
                }
            }
        }
        return flagged;
    }
}
