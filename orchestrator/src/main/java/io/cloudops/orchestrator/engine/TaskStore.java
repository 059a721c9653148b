package io.cloudops.orchestrator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.task.StepStatus;
import io.cloudops.common.task.TaskChannels;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskStatus;

/**
 * The engine's writes: claiming the head of an entity's queue under the entity lease, flushing a
 * run's journal, and finishing a run. Every write of a run is fenced by its claim token and renews
 * the lease, so a run that lost its lease (paused process, partition) can no longer change the task.
 */
@ApplicationScoped
public class TaskStore {

    /** Outcome of trying to take the next task of an entity. */
    public sealed interface Claim {
        /** A task is now running under this process's lease. */
        record Claimed(RunJournal run) implements Claim {
        }

        /** Nothing queued for the entity; the lease was released. */
        record Empty() implements Claim {
        }

        /** The head task waits for its retry until {@code at}; later tasks wait behind it (order holds). */
        record WaitUntil(Instant at) implements Claim {
        }

        /** Another process holds the entity's lease. */
        record Busy() implements Claim {
        }

        /** A crashed run was recovered (re-queued or dead-lettered); claim again. */
        record Recovered(List<TaskEvent> events) implements Claim {
        }
    }

    /** The run's claim token no longer matches: another run owns the task now. */
    public static class LostClaimException extends RuntimeException {
        LostClaimException(UUID taskId) {
            super("lost the claim on task " + taskId, null, false, false);
        }
    }

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final EngineConfig config;
    private final RetryPolicy retryPolicy;
    private final JournalWriter writer;

    TaskStore(DataSource dataSource, ObjectMapper json, EngineConfig config, JournalWriter writer) {
        this.dataSource = dataSource;
        this.json = json;
        this.config = config;
        this.writer = writer;
        this.retryPolicy = RetryPolicy.from(config.retry());
    }

    public Claim claimNext(String entityId, String owner) {
        return Tx.run(dataSource, c -> claim(c, entityId, owner, false));
    }

    /**
     * Takes (or keeps) the entity's lease and claims the head of its queue, in the caller's
     * transaction. {@code leaseHeld}: the caller renewed the lease earlier in this transaction.
     */
    private Claim claim(Connection c, String entityId, String owner, boolean leaseHeld) throws SQLException {
        if (!leaseHeld && !writer.acquireLease(c, entityId, owner)) {
            return new Claim.Busy();
        }
        // the head of the queue, locked, with its steps (one round trip)
        try (PreparedStatement head = c.prepareStatement(
                """
                        SELECT t.id, t.type, t.status, t.payload::text, t.attempt, t.max_attempts, t.next_attempt_at, t.event_seq,
                               t.log_seq, t.cancel_requested, s.idx, s.name, s.status, s.percent, s.message, s.started_at, s.finished_at
                        FROM task t,
                             LATERAL (SELECT array_agg(idx ORDER BY idx) AS idx, array_agg(name ORDER BY idx) AS name,
                                             array_agg(status ORDER BY idx) AS status, array_agg(percent ORDER BY idx) AS percent,
                                             array_agg(message ORDER BY idx) AS message,
                                             array_agg(started_at ORDER BY idx) AS started_at,
                                             array_agg(finished_at ORDER BY idx) AS finished_at
                                      FROM task_step WHERE task_id = t.id) s
                        WHERE t.entity_id = ? AND t.status IN ('queued', 'running')
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
                    return recoverCrashedRun(c, taskId, attempt, maxAttempts, eventSeq, rs.getString(4));
                }
                if (next != null && next.toInstant().isAfter(Instant.now())) {
                    JournalWriter.releaseLease(c, entityId, owner);
                    return new Claim.WaitUntil(next.toInstant());
                }
                return new Claim.Claimed(
                        startRun(c, taskId, rs.getString(2), entityId, readJson(rs.getString(4)), attempt + 1,
                                maxAttempts, eventSeq, rs.getLong(9), rs.getBoolean(10), steps(rs), owner));
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
            String owner) throws SQLException {
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
                cancelRequested);
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
    private Claim recoverCrashedRun(Connection c, UUID taskId, int attempt, int maxAttempts, long eventSeq,
            String payload)
            throws SQLException {
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
        return new Claim.Recovered(List.of(event));
    }

    /**
     * Writes what the run recorded since the last flush, renews the lease and reads the cancel flag,
     * in one transaction. Returns the events written (to publish after commit).
     */
    public List<TaskEvent> flush(RunJournal run, String owner) {
        RunJournal.Pending pending = run.drain();
        Tx.run(dataSource, c -> {
            boolean cancel = writer.fence(c, run, pending, owner);
            if (cancel) {
                run.requestCancel();
            }
            writer.writePending(c, run, pending);
            return null;
        });
        return pending.events();
    }

    /** How a run ended. */
    public sealed interface Ending {
        record Succeeded() implements Ending {
        }

        record Cancelled() implements Ending {
        }

        record Failed(String message, String hint, boolean permanent) implements Ending {
        }
    }

    /**
     * Writes the run's final bookkeeping and the task's next status: succeeded, cancelled, failed
     * (permanent), queued for a retry after back-off, or dead-lettered when attempts are exhausted.
     * Returns the events to publish and, for a retry, when it is due. With {@code claimNext}, the
     * entity's next task is claimed in the same transaction (one commit less per task while a
     * session works through its queue).
     */
    public Finished finish(RunJournal run, String owner, Ending ending, boolean claimNext) {
        Instant now = RunJournal.now();
        TaskStatus next;
        String message;
        Instant retryAt = null;
        String errorMessage = null;
        String errorHint = null;
        switch (ending) {
            case Ending.Succeeded s -> {
                next = TaskStatus.SUCCEEDED;
                message = "succeeded";
            }
            case Ending.Cancelled c -> {
                next = TaskStatus.CANCELLED;
                message = "cancelled";
                errorMessage = "cancelled on request";
            }
            case Ending.Failed f when f.permanent() -> {
                next = TaskStatus.FAILED;
                message = f.message();
                errorMessage = f.message();
                errorHint = f.hint();
            }
            case Ending.Failed f when run.attempt < run.maxAttempts -> {
                next = TaskStatus.QUEUED;
                Duration backoff = retryPolicy.backoff(run.attempt, java.util.concurrent.ThreadLocalRandom.current());
                retryAt = now.plus(backoff);
                message = f.message() + "; retry " + (run.attempt + 1) + " of " + run.maxAttempts + " in "
                        + backoff.toMillis() + " ms";
                errorMessage = f.message();
                errorHint = f.hint();
            }
            case Ending.Failed f -> {
                next = TaskStatus.DEAD_LETTERED;
                message = f.message() + "; " + run.maxAttempts + " attempts exhausted";
                errorMessage = f.message();
                errorHint = f.hint() != null
                        ? f.hint()
                        : "Inspect the logs, fix the cause, then retry it from the dead-letter queue";
            }
        }
        TaskStatus.RUNNING.checkTransition(next);
        if (next != TaskStatus.SUCCEEDED && next != TaskStatus.QUEUED) {
            // steps never reached are skipped; a retry resets them
            for (RunJournal.Step step : run.steps) {
                if (step.status == StepStatus.PENDING) {
                    run.stepStatus(step, StepStatus.SKIPPED, next == TaskStatus.CANCELLED ? "cancelled" : "not run");
                }
            }
        }
        TaskEvent statusEvent = run.taskEvent(next.value(), message);
        RunJournal.Pending pending = run.drain();
        final TaskStatus status = next;
        final Instant due = retryAt;
        final String error = errorMessage;
        final String hint = errorHint;
        Claim nextClaim = Tx.run(dataSource, c -> {
            // fenced: only the run holding the claim token and the entity lease may finish the task
            try (PreparedStatement update = c.prepareStatement(JournalWriter.RENEW_LEASE
                    + """
                            UPDATE task SET status = ?, finished_at = ?, next_attempt_at = ?, claim_token = NULL,
                                            error_message = ?, error_hint = ?, cancel_requested = FALSE, event_seq = ?, log_seq = ?
                            WHERE id = ? AND claim_token = ? AND EXISTS (SELECT 1 FROM lease)""")) {
                int i = writer.setLease(update, run.entityId, owner);
                update.setString(i++, status.value());
                update.setTimestamp(i++, status.isTerminal() ? Timestamp.from(now) : null);
                update.setTimestamp(i++, due == null ? null : Timestamp.from(due));
                update.setString(i++, error);
                update.setString(i++, hint);
                update.setLong(i++, pending.eventSeq());
                update.setLong(i++, pending.logSeq());
                update.setObject(i++, run.taskId);
                update.setObject(i, run.claimToken);
                if (update.executeUpdate() != 1) {
                    throw new LostClaimException(run.taskId);
                }
            }
            writer.writePending(c, run, pending);
            if (status == TaskStatus.DEAD_LETTERED) {
                insertDeadLetter(c, run.taskId, run.attempt, error, now);
            }
            return claimNext && due == null ? claim(c, run.entityId, owner, true) : null;
        });
        return new Finished(status, due, pending.events(), statusEvent, nextClaim);
    }

    /** The result of {@link #finish}; {@code next} is the entity's next claim when one was asked for. */
    public record Finished(TaskStatus status, Instant retryAt, List<TaskEvent> events, TaskEvent statusEvent,
            Claim next) {
    }

    /** Releases the entity lease when the session stops working on it. */
    public void releaseLease(String entityId, String owner) {
        Tx.run(dataSource, c -> {
            JournalWriter.releaseLease(c, entityId, owner);
            return null;
        });
    }

    /** Renews every lease this process holds (for steps that run longer than a flush interval). */
    public void renewLeases(String owner, List<String> entityIds) {
        if (entityIds.isEmpty()) {
            return;
        }
        Tx.run(dataSource, c -> {
            try (PreparedStatement renew = c.prepareStatement(
                    "UPDATE entity_lease SET expires_at = now() + make_interval(secs => ?) WHERE owner = ? AND entity_id = ANY (?)")) {
                renew.setDouble(1, config.leaseDuration().toMillis() / 1000.0);
                renew.setString(2, owner);
                renew.setArray(3, c.createArrayOf("varchar", entityIds.toArray()));
                renew.executeUpdate();
            }
            return null;
        });
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
    }

    private static void insertDeadLetter(Connection c, UUID taskId, int attempts, String error, Instant now)
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
