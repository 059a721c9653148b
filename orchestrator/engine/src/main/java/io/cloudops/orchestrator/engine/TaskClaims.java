package io.cloudops.orchestrator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.task.StepStatus;
import io.cloudops.common.task.TaskChannels;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.engine.TaskStore.Claim;
import io.cloudops.orchestrator.notification.TaskNotifications;
import io.cloudops.orchestrator.queue.QueuePauses;

/**
 * Claiming the head of an entity's queue, inside a transaction of {@link TaskStore}: the entity
 * lease, the locked head task with its steps, and the start of a run under a fresh claim token; or
 * the recovery of a run whose process died (re-queued, or dead-lettered after its last attempt). A
 * head awaiting approval stops the queue there, like a pause, until it is decided.
 */
@ApplicationScoped
class TaskClaims {

    private final ObjectMapper json;
    private final JournalWriter writer;
    private final TaskNotifications notifications;

    TaskClaims(ObjectMapper json, JournalWriter writer, TaskNotifications notifications) {
        this.notifications = notifications;
        this.json = json;
        this.writer = writer;
    }

    /**
     * Takes (or keeps) the entity's lease and claims the head of its queue, in the caller's
     * transaction. {@code leaseHeld}: the caller renewed the lease earlier in this transaction.
     */
    Claim claim(Connection c, String entityId, String owner, boolean leaseHeld) throws SQLException {
        return claim(c, entityId, owner, leaseHeld, false);
    }

    /**
     * {@link #claim(Connection, String, String, boolean)}; with {@code onlyIfExpired} the lease is
     * taken only once it expired, even if it is still ours (see {@link JournalWriter#acquireLease}).
     */
    Claim claim(Connection c, String entityId, String owner, boolean leaseHeld, boolean onlyIfExpired)
            throws SQLException {
        if (!leaseHeld && !writer.acquireLease(c, entityId, owner, onlyIfExpired)) {
            return new Claim.Busy();
        }
        // the head of the queue, locked, with its steps (one round trip)
        try (PreparedStatement head = c.prepareStatement(
                """
                        SELECT t.id, t.type, t.status, t.payload::text, t.attempt, t.max_attempts, t.next_attempt_at, t.event_seq,
                               t.log_seq, t.cancel_requested, s.idx, s.name, s.status, s.percent, s.message, s.started_at, s.finished_at,
                               t.traceparent
                        FROM task t,
                             LATERAL (SELECT array_agg(idx ORDER BY idx) AS idx, array_agg(name ORDER BY idx) AS name,
                                             array_agg(status ORDER BY idx) AS status, array_agg(percent ORDER BY idx) AS percent,
                                             array_agg(message ORDER BY idx) AS message,
                                             array_agg(started_at ORDER BY idx) AS started_at,
                                             array_agg(finished_at ORDER BY idx) AS finished_at
                                      FROM task_step WHERE task_id = t.id) s
                        WHERE t.entity_id = ? AND t.status IN ('awaiting_approval', 'queued', 'running')
                        ORDER BY t.queue_position LIMIT 1 FOR UPDATE OF t""")) {
            head.setString(1, entityId);
            try (ResultSet rs = head.executeQuery()) {
                if (!rs.next()) {
                    JournalWriter.releaseLease(c, entityId, owner);
                    return new Claim.Empty();
                }
                UUID taskId = rs.getObject(1, UUID.class);
                TaskStatus status = TaskStatus.fromValue(rs.getString(3));
                int attempt = rs.getInt(5);
                int maxAttempts = rs.getInt(6);
                Timestamp next = rs.getTimestamp(7);
                long eventSeq = rs.getLong(8);
                if (status == TaskStatus.RUNNING) {
                    // we hold the lease, so the run that set RUNNING lost it: that run crashed
                    return recoverCrashedRun(c, taskId, rs.getString(2), attempt, maxAttempts, eventSeq,
                            rs.getString(4));
                }
                if (status == TaskStatus.AWAITING_APPROVAL) {
                    // the head holds its place, without a worker: approving or rejecting it signals the entity
                    JournalWriter.releaseLease(c, entityId, owner);
                    return new Claim.Empty();
                }
                if (QueuePauses.isPaused(c, entityId)) {
                    // the queue holds (a running task was let finish); resuming signals the entity again
                    JournalWriter.releaseLease(c, entityId, owner);
                    return new Claim.Empty();
                }
                if (next != null && next.toInstant().isAfter(Instant.now())) {
                    JournalWriter.releaseLease(c, entityId, owner);
                    return new Claim.WaitUntil(next.toInstant());
                }
                return new Claim.Claimed(
                        startRun(c, taskId, rs.getString(2), entityId, readJson(rs.getString(4)), attempt + 1,
                                maxAttempts, eventSeq, rs.getLong(9), rs.getBoolean(10), steps(rs), owner,
                                rs.getString(18)));
            }
        }
    }

    /** The steps of the head task, from the arrays of the claim query (columns 11 to 17). */
    private static List<RunJournal.Step> steps(ResultSet rs) throws SQLException {
        java.sql.Array idx = rs.getArray(11);
        if (idx == null) {
            return List.of();
        }
        Integer[] index = (Integer[]) idx.getArray();
        String[] name = (String[]) rs.getArray(12).getArray();
        String[] status = (String[]) rs.getArray(13).getArray();
        Integer[] percent = (Integer[]) rs.getArray(14).getArray();
        String[] message = (String[]) rs.getArray(15).getArray();
        Timestamp[] started = (Timestamp[]) rs.getArray(16).getArray();
        Timestamp[] finished = (Timestamp[]) rs.getArray(17).getArray();
        List<RunJournal.Step> steps = new ArrayList<>(index.length);
        for (int i = 0; i < index.length; i++) {
            steps.add(new RunJournal.Step(index[i], name[i], StepStatus.fromValue(status[i]), percent[i], message[i],
                    instant(started[i]), instant(finished[i])));
        }
        return steps;
    }

    /**
     * Marks the head task running under a fresh claim token and writes its "running" event, in one
     * statement (which also notifies the event when the relay is on).
     */
    private RunJournal startRun(Connection c, UUID taskId, String type, String entityId, JsonNode payload, int attempt,
            int maxAttempts, long eventSeq, long logSeq, boolean cancelRequested, List<RunJournal.Step> steps,
            String owner, String traceparent) throws SQLException {
        TaskStatus.QUEUED.checkTransition(TaskStatus.RUNNING);
        UUID token = UUID.randomUUID();
        Instant now = RunJournal.now();
        boolean notify = writer.notices().enabled();
        try (PreparedStatement update = c.prepareStatement(notify ? START_RUN_AND_NOTIFY : START_RUN)) {
            update.setInt(1, attempt);
            update.setTimestamp(2, Timestamp.from(now));
            update.setObject(3, token);
            update.setLong(4, eventSeq + 1);
            update.setObject(5, taskId);
            update.setLong(6, eventSeq + 1);
            update.setTimestamp(7, Timestamp.from(now));
            update.setString(8, TaskEvent.KIND_TASK);
            update.setString(9, TaskStatus.RUNNING.value());
            update.setString(10, runningMessage(attempt, maxAttempts, owner));
            boolean started;
            if (notify) {
                update.setString(11, writer.notices().payload(taskId, eventSeq + 1, eventSeq + 1));
                try (ResultSet rs = update.executeQuery()) {
                    started = rs.next();
                }
            } else {
                started = update.executeUpdate() == 1;
            }
            if (!started) {
                throw new IllegalStateException("task " + taskId + " was locked as queued but could not be started");
            }
        }
        return new RunJournal(taskId, type, entityId, payload, attempt, maxAttempts, token, steps, eventSeq + 1, logSeq,
                cancelRequested, traceparent);
    }

    /** Claims the task: status, attempt, claim token, event seq (parameters 1 to 5). */
    private static final String STARTED = """
            WITH started AS (
                UPDATE task SET status = 'running', attempt = ?, started_at = COALESCE(started_at, ?), claim_token = ?,
                                next_attempt_at = NULL, event_seq = ?
                WHERE id = ? AND status = 'queued' RETURNING id)
            """;

    /** Claims the task and writes its "running" event (parameters 6 to 10). */
    private static final String START_RUN = STARTED + """
            INSERT INTO task_event (task_id, seq, ts, kind, status, message)
            SELECT id, ?, ?, ?, ?, ? FROM started""";

    /** {@link #START_RUN} whose event, if written, is also notified (parameter 11: the payload). */
    private static final String START_RUN_AND_NOTIFY = STARTED + """
            , event AS (INSERT INTO task_event (task_id, seq, ts, kind, status, message)
                        SELECT id, ?, ?, ?, ?, ? FROM started RETURNING task_id)
            SELECT pg_notify('%s', ?) FROM event""".formatted(TaskChannels.EVENTS_NOTIFY);

    /**
     * The message of a "running" event: the attempt, and the orchestrator running it (its lease owner:
     * host, process id and a random suffix), so that operators, and tests, can tell which process ran
     * which attempt.
     */
    static String runningMessage(int attempt, int maxAttempts, String owner) {
        return "attempt " + attempt + " of " + maxAttempts + " on " + owner;
    }

    /** A run that died with its process: the attempt counts; retry now if attempts are left. */
    private Claim recoverCrashedRun(Connection c, UUID taskId, String type, int attempt, int maxAttempts,
            long eventSeq, String payload)
            throws SQLException {
        // counted when the transaction commits (the claim may yet roll back): see TaskStore#claimNext
        String error = "the orchestrator running attempt " + attempt + " stopped (crash or lost lease)";
        try (PreparedStatement steps = c.prepareStatement(
                "UPDATE task_step SET status = 'pending', percent = 0, started_at = NULL, finished_at = NULL, message = 'interrupted' WHERE task_id = ? AND status = 'running'")) {
            steps.setObject(1, taskId);
            steps.executeUpdate();
        }
        Instant now = RunJournal.now();
        TaskEvent event;
        if (attempt < maxAttempts) {
            TaskStatus.RUNNING.checkTransition(TaskStatus.QUEUED);
            try (PreparedStatement update = c.prepareStatement(
                    """
                            UPDATE task SET status = 'queued', claim_token = NULL, next_attempt_at = ?, error_message = ?, event_seq = ?
                            WHERE id = ? AND status = 'running'""")) {
                update.setTimestamp(1, Timestamp.from(now));
                update.setString(2, error);
                update.setLong(3, eventSeq + 1);
                update.setObject(4, taskId);
                update.executeUpdate();
            }
            event = new TaskEvent(taskId, eventSeq + 1, TaskEvent.KIND_TASK, null, TaskStatus.QUEUED.value(),
                    error + "; retrying",
                    null, now);
        } else {
            deadLetter(c, taskId, attempt, error, eventSeq, now, payload);
            event = new TaskEvent(taskId, eventSeq + 1, TaskEvent.KIND_TASK, null, TaskStatus.DEAD_LETTERED.value(),
                    error, null,
                    now);
        }
        writer.insertEvents(c, List.of(event));
        return new Claim.Recovered(List.of(event), type, attempt < maxAttempts);
    }

    private void deadLetter(Connection c, UUID taskId, int attempt, String error, long eventSeq, Instant now,
            String payload)
            throws SQLException {
        TaskStatus.RUNNING.checkTransition(TaskStatus.DEAD_LETTERED);
        try (PreparedStatement update = c.prepareStatement(
                """
                        UPDATE task SET status = 'dead_lettered', claim_token = NULL, finished_at = ?, error_message = ?, event_seq = ?,
                                        error_hint = 'Inspect the logs, fix the cause, then retry it from the dead-letter queue'
                        WHERE id = ? AND status = 'running'""")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setString(2, error);
            update.setLong(3, eventSeq + 1);
            update.setObject(4, taskId);
            update.executeUpdate();
        }
        insertDeadLetter(c, taskId, attempt, error, now);
        notifications.enqueueForTask(c, taskId);
    }

    static void insertDeadLetter(Connection c, UUID taskId, int attempts, String error, Instant now)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO dead_letter (id, task_id, original_message, last_error, attempts, dead_lettered_at)
                SELECT ?, id, jsonb_build_object('taskId', id, 'type', type, 'entityId', entity_id, 'payload', payload,
                                                 'requestedBy', requested_by, 'correlationId', correlation_id),
                       ?, ?, ? FROM task WHERE id = ?""")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, error);
            insert.setInt(3, attempts);
            insert.setTimestamp(4, Timestamp.from(now));
            insert.setObject(5, taskId);
            insert.executeUpdate();
        }
    }

    private JsonNode readJson(String value) {
        try {
            return json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored payload is not JSON", e);
        }
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

}
