package io.cloudops.orchestrator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.task.TaskChannels;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.engine.QueueHeads.Head;
import io.cloudops.orchestrator.engine.TaskStore.Claim;
import io.cloudops.orchestrator.notification.TaskNotifications;

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
        // the head of the queue, locked, with its steps and the pause (one round trip)
        Head head = QueueHeads.lock(c, List.of(entityId)).get(entityId);
        if (head == null) {
            JournalWriter.releaseLease(c, entityId, owner);
            return new Claim.Empty();
        }
        return decide(c, head, owner);
    }

    /**
     * The claim of a head locked under the entity's lease: a plain head starts; a crashed run is recovered;
     * for a head awaiting approval, a paused queue or a back-off not yet over the lease is released.
     */
    Claim decide(Connection c, Head head, String owner) throws SQLException {
        if (head.plain()) {
            return new Claim.Claimed(startRun(c, head, owner));
        }
        if (head.status() == TaskStatus.RUNNING) {
            // we hold the lease, so the run that set RUNNING lost it: that run crashed
            return recoverCrashedRun(c, head.taskId(), head.type(), head.attempt(), head.maxAttempts(),
                    head.eventSeq());
        }
        // an approval holds its place without a worker (deciding it signals the entity); a paused queue holds (a
        // running task was let finish; resuming signals the entity again); a back-off wakes the entity when due
        JournalWriter.releaseLease(c, head.entityId(), owner);
        if (head.status() == TaskStatus.AWAITING_APPROVAL || head.paused()) {
            return new Claim.Empty();
        }
        return new Claim.WaitUntil(head.nextAttemptAt());
    }

    /** The run of a plain head claimed under a fresh claim token, before its "running" event is written. */
    RunJournal journal(Head head, UUID token) {
        return new RunJournal(head.taskId(), head.type(), head.entityId(), readJson(head.payload()),
                head.attempt() + 1, head.maxAttempts(), token, head.steps(), head.eventSeq() + 1, head.logSeq(),
                head.cancelRequested(), head.traceparent());
    }

    /**
     * Marks the head task running under a fresh claim token and writes its "running" event, in one
     * statement (which also notifies the event when the relay is on).
     */
    private RunJournal startRun(Connection c, Head head, String owner) throws SQLException {
        TaskStatus.QUEUED.checkTransition(TaskStatus.RUNNING);
        RunJournal run = journal(head, UUID.randomUUID());
        UUID taskId = run.taskId;
        long eventSeq = head.eventSeq();
        Instant now = RunJournal.now();
        boolean notify = writer.notices().enabled();
        try (PreparedStatement update = c.prepareStatement(notify ? START_RUN_AND_NOTIFY : START_RUN)) {
            update.setInt(1, run.attempt);
            update.setTimestamp(2, Timestamp.from(now));
            update.setObject(3, run.claimToken);
            update.setLong(4, eventSeq + 1);
            update.setObject(5, taskId);
            update.setLong(6, eventSeq + 1);
            update.setTimestamp(7, Timestamp.from(now));
            update.setString(8, TaskEvent.KIND_TASK);
            update.setString(9, TaskStatus.RUNNING.value());
            update.setString(10, runningMessage(run.attempt, run.maxAttempts, owner));
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
        return run;
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
            long eventSeq) throws SQLException {
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
            deadLetter(c, taskId, attempt, error, eventSeq, now);
            event = new TaskEvent(taskId, eventSeq + 1, TaskEvent.KIND_TASK, null, TaskStatus.DEAD_LETTERED.value(),
                    error, null,
                    now);
        }
        writer.insertEvents(c, List.of(event));
        return new Claim.Recovered(List.of(event), type, attempt < maxAttempts);
    }

    private void deadLetter(Connection c, UUID taskId, int attempt, String error, long eventSeq, Instant now)
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

}
