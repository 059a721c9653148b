package io.cloudops.orchestrator.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskMessage;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.channel.TaskChannel;
import io.cloudops.orchestrator.engine.JournalWriter;
import io.cloudops.orchestrator.engine.TaskExecutor;
import io.cloudops.orchestrator.engine.Tx;
import io.cloudops.orchestrator.notification.PagerDutyResolves;
import io.cloudops.orchestrator.telemetry.TaskTracing;

/**
 * Operator actions on tasks: cancel, retry, and the dead-letter queue's retry and skip. Each is one
 * transaction on the task row (locked), guarded by the status transition table; the entity's queue
 * is signalled afterwards so it moves on.
 */
@ApplicationScoped
public class TaskControl {

    /** What a cancel did: {@code cancelled} at once (it was queued) or {@code running} with a cancel requested. */
    public record CancelResult(TaskStatus status, boolean cancelRequested) {
    }

    private final DataSource dataSource;
    private final TaskTracing tracing;
    private final TaskChannel channel;
    private final TaskEventBus events;
    private final TaskExecutor executor;
    private final JournalWriter writer;
    private final PagerDutyResolves incidentResolves;

    TaskControl(DataSource dataSource, TaskChannel channel, TaskEventBus events, TaskExecutor executor,
            JournalWriter writer, TaskTracing tracing, PagerDutyResolves incidentResolves) {
        this.incidentResolves = incidentResolves;
        this.tracing = tracing;
        this.dataSource = dataSource;
        this.writer = writer;
        this.channel = channel;
        this.events = events;
        this.executor = executor;
    }

    /** {@link #cancel(UUID, AuditRecord)} without an audit entry. */
    public CancelResult cancel(UUID taskId) {
        return cancel(taskId, null);
    }

    /**
     * Cancels the task; {@code audit} (null: none) is written in the same transaction, before
     * anything else, so a refusal (unknown task, already finished) rolls it back with the rest.
     */
    public CancelResult cancel(UUID taskId, AuditRecord audit) {
        record Outcome(CancelResult result, TaskEvent event, String entityId, String type) {
        }
        Outcome outcome = Tx.run(dataSource, c -> {
            AuditTrail.insert(c, audit);
            Row row = lock(c, taskId);
            switch (row.status) {
                case QUEUED, AWAITING_APPROVAL -> {
                    row.status.checkTransition(TaskStatus.CANCELLED);
                    Instant now = now();
                    try (PreparedStatement update = c.prepareStatement(
                            """
                                    UPDATE task SET status = 'cancelled', finished_at = ?, next_attempt_at = NULL, event_seq = event_seq + 1,
                                                    error_message = 'cancelled on request'
                                    WHERE id = ? AND status = ?""")) {
                        update.setTimestamp(1, Timestamp.from(now));
                        update.setObject(2, taskId);
                        update.setString(3, row.status.value());
                        update.executeUpdate();
                    }
                    try (PreparedStatement steps = c.prepareStatement(
                            "UPDATE task_step SET status = 'skipped', message = 'cancelled' WHERE task_id = ? AND status IN ('pending', 'failed')")) {
                        steps.setObject(1, taskId);
                        steps.executeUpdate();
                    }
                    TaskEvent event = new TaskEvent(taskId, row.eventSeq + 1, TaskEvent.KIND_TASK, null,
                            TaskStatus.CANCELLED.value(),
                            row.status == TaskStatus.QUEUED
                                    ? "cancelled while queued"
                                    : "cancelled while awaiting approval",
                            null, now);
                    writer.insertEvents(c, List.of(event));
                    return new Outcome(new CancelResult(TaskStatus.CANCELLED, false), event, row.entityId, row.type);
                }
                case RUNNING -> {
                    // the run owns the task's events; it sees the flag at its next step boundary (or flush)
                    try (PreparedStatement update = c
                            .prepareStatement("UPDATE task SET cancel_requested = TRUE WHERE id = ?")) {
                        update.setObject(1, taskId);
                        update.executeUpdate();
                    }
                    return new Outcome(new CancelResult(TaskStatus.RUNNING, true), null, row.entityId, row.type);
                }
                default -> throw new TaskErrors.Conflict(
                        "task " + taskId + " is already " + row.status.value() + " and cannot be cancelled");
            }
        });
        if (outcome.event() != null) {
            events.publish(outcome.event());
            channel.publish(new TaskMessage(taskId, outcome.entityId(), outcome.type()));
        } else {
            executor.requestCancelLocally(taskId);
        }
        return outcome.result();
    }

    /** Re-runs a failed, cancelled or dead-lettered task as a new attempt at the tail of its entity's queue. */
    public TaskStatus retry(UUID taskId) {
        return retry(taskId, null);
    }

    /** {@link #retry(UUID)}, writing {@code audit} (null: none) in its transaction. */
    public TaskStatus retry(UUID taskId, AuditRecord audit) {
        Requeued requeued = Tx.run(dataSource, c -> {
            AuditTrail.insert(c, audit);
            Row row = lock(c, taskId);
            if (!row.status.isRetryable()) {
                throw new TaskErrors.Conflict("task " + taskId + " is " + row.status.value()
                        + "; only failed, cancelled or dead-lettered tasks can be retried");
            }
            if (row.status == TaskStatus.DEAD_LETTERED) {
                resolveDeadLetters(c, taskId, "retried", null);
            }
            return requeue(c, row, "retried by an operator");
        });
        publish(requeued);
        return TaskStatus.QUEUED;
    }

    /** Retries a dead letter. Idempotent: a second call on a retried dead letter changes nothing. */
    public UUID retryDeadLetter(UUID deadLetterId, String by) {
        return retryDeadLetter(deadLetterId, by, null);
    }

    /** {@link #retryDeadLetter(UUID, String)}, writing {@code audit} (null: none) in its transaction. */
    public UUID retryDeadLetter(UUID deadLetterId, String by, AuditRecord audit) {
        Requeued requeued = Tx.run(dataSource, c -> {
            AuditTrail.insert(c, audit);
            DeadLetterRow dl = lockDeadLetter(c, deadLetterId);
            if ("retried".equals(dl.resolution)) {
                return new Requeued(null, null, dl.taskId);
            }
            if ("skipped".equals(dl.resolution)) {
                throw new TaskErrors.Conflict(
                        "dead letter " + deadLetterId + " was skipped and cannot be retried; retry task "
                                + dl.taskId + " instead");
            }
            Row row = lock(c, dl.taskId);
            resolveDeadLetters(c, dl.taskId, "retried", by);
            if (row.status != TaskStatus.DEAD_LETTERED) {
                return new Requeued(null, null, dl.taskId); // already re-run another way
            }
            return requeue(c, row, "retried from the dead-letter queue");
        });
        publish(requeued);
        return requeued.taskId;
    }

    /** Marks a dead letter resolved without re-running it. Idempotent. */
    public UUID skipDeadLetter(UUID deadLetterId, String by) {
        return skipDeadLetter(deadLetterId, by, null);
    }

    /** {@link #skipDeadLetter(UUID, String)}, writing {@code audit} (null: none) in its transaction. */
    public UUID skipDeadLetter(UUID deadLetterId, String by, AuditRecord audit) {
        return Tx.run(dataSource, c -> {
            AuditTrail.insert(c, audit);
            DeadLetterRow dl = lockDeadLetter(c, deadLetterId);
            if ("retried".equals(dl.resolution)) {
                throw new TaskErrors.Conflict("dead letter " + deadLetterId + " was already retried");
            }
            if (dl.resolution == null) {
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE dead_letter SET resolution = 'skipped', resolved_at = ?, resolved_by = ? WHERE id = ?")) {
                    update.setTimestamp(1, Timestamp.from(now()));
                    update.setString(2, by);
                    update.setObject(3, deadLetterId);
                    update.executeUpdate();
                }
                // the incident its dead-lettering triggered is closed with it (PagerDuty's resolve)
                incidentResolves.enqueue(c, dl.taskId, by);
            }
            return dl.taskId;
        });
    }

    private record Row(UUID id, TaskStatus status, String entityId, String type, long eventSeq) {
    }

    private record DeadLetterRow(UUID taskId, String resolution) {
    }

    private record Requeued(TaskEvent event, TaskMessage message, UUID taskId) {
    }

    private static Row lock(Connection c, UUID taskId) throws SQLException {
        try (PreparedStatement select = c
                .prepareStatement("SELECT status, entity_id, type, event_seq FROM task WHERE id = ? FOR UPDATE")) {
            select.setObject(1, taskId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new TaskErrors.NotFound("Task", taskId);
                }
                return new Row(taskId, TaskStatus.fromValue(rs.getString(1)), rs.getString(2), rs.getString(3),
                        rs.getLong(4));
            }
        }
    }

    private static DeadLetterRow lockDeadLetter(Connection c, UUID id) throws SQLException {
        try (PreparedStatement select = c
                .prepareStatement("SELECT task_id, resolution FROM dead_letter WHERE id = ? FOR UPDATE")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new TaskErrors.NotFound("Dead letter", id);
                }
                return new DeadLetterRow(rs.getObject(1, UUID.class), rs.getString(2));
            }
        }
    }

    private static void resolveDeadLetters(Connection c, UUID taskId, String resolution, String by)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE dead_letter SET resolution = ?, resolved_at = ?, resolved_by = ? WHERE task_id = ? AND resolution IS NULL")) {
            update.setString(1, resolution);
            update.setTimestamp(2, Timestamp.from(now()));
            update.setString(3, by);
            update.setObject(4, taskId);
            update.executeUpdate();
        }
    }

    /**
     * Back to the queue's tail with a fresh attempt budget; steps that succeeded stay done. Its next runs
     * continue the trace of the request that asked for the retry (when it has one).
     */
    private Requeued requeue(Connection c, Row row, String message) throws SQLException {
        UUID taskId = row.id;
        // a task cancelled before it got its approvals still needs them: it waits for them again, with a new deadline
        TaskStatus next = Approvals.lacksApproval(c, taskId) ? TaskStatus.AWAITING_APPROVAL : TaskStatus.QUEUED;
        row.status.checkTransition(next);
        Instant now = now();
        try (PreparedStatement update = c.prepareStatement(
                """
                        UPDATE task SET status = ?, queue_position = nextval('task_queue_position'), attempt = 0, next_attempt_at = ?,
                                        finished_at = NULL, error_message = NULL, error_hint = NULL, cancel_requested = FALSE,
                                        event_seq = event_seq + 1, traceparent = COALESCE(?, traceparent),
                                        approval_deadline = CASE WHEN ? THEN ?::timestamptz + (approval_deadline - created_at) ELSE approval_deadline END
                        WHERE id = ?""")) {
            update.setString(1, next.value());
            update.setTimestamp(2, Timestamp.from(now));
            update.setString(3, tracing.currentTraceparent());
            update.setBoolean(4, next == TaskStatus.AWAITING_APPROVAL);
            update.setTimestamp(5, Timestamp.from(now));
            update.setObject(6, taskId);
            update.executeUpdate();
        }
        try (PreparedStatement steps = c.prepareStatement(
                "UPDATE task_step SET status = 'pending', percent = 0, started_at = NULL, finished_at = NULL, message = NULL WHERE task_id = ? AND status <> 'succeeded'")) {
            steps.setObject(1, taskId);
            steps.executeUpdate();
        }
        TaskEvent event = new TaskEvent(taskId, row.eventSeq + 1, TaskEvent.KIND_TASK, null, next.value(),
                next == TaskStatus.QUEUED ? message : message + "; awaiting approval again", null, now);
        writer.insertEvents(c, List.of(event));
        return new Requeued(event, new TaskMessage(taskId, row.entityId, row.type), taskId);
    }

    private void publish(Requeued requeued) {
        if (requeued.event() != null) {
            events.publish(requeued.event());
            channel.publish(requeued.message());
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
