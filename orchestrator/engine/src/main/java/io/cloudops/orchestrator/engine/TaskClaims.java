package io.cloudops.orchestrator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * The claims of several entities in one transaction, a few statements for all of them: the leases
     * of those in {@code toLease} are taken in one upsert (the others' leases the caller renewed earlier
     * in this transaction), the head of each leased entity's queue is locked in one select (at most one
     * task per entity: its head by queue position, exactly what {@link #claim} locks), and the plain
     * heads (queued, due, queue not paused) are started in one statement. A head that needs more (a
     * crashed run to recover, an approval to wait for, a pause, a back-off) goes through {@link #claim}
     * on its own, in the same transaction. Returns each entity's claim.
     */
    Map<String, Claim> claimAll(Connection c, List<String> entityIds, Set<String> toLease, String owner)
            throws SQLException {
        Map<String, Claim> claims = new HashMap<>();
        List<String> leased = new ArrayList<>();
        Set<String> acquired = toLease.isEmpty() ? Set.of() : writer.acquireLeases(c, toLease, owner);
        for (String entityId : entityIds) {
            if (!toLease.contains(entityId) || acquired.contains(entityId)) {
                leased.add(entityId);
            } else {
                claims.put(entityId, new Claim.Busy());
            }
        }
        if (leased.isEmpty()) {
            return claims;
        }
        List<String> empty = new ArrayList<>();
        List<String> special = new ArrayList<>();
        List<Head> plain = new ArrayList<>();
        try (PreparedStatement heads = c.prepareStatement(HEADS)) {
            heads.setArray(1, c.createArrayOf("varchar", leased.toArray()));
            try (ResultSet rs = heads.executeQuery()) {
                while (rs.next()) {
                    String entityId = rs.getString(1);
                    UUID taskId = rs.getObject(2, UUID.class);
                    if (taskId == null) {
                        empty.add(entityId);
                        continue;
                    }
                    Timestamp next = rs.getTimestamp(8);
                    boolean due = next == null || !next.toInstant().isAfter(Instant.now());
                    if (!TaskStatus.QUEUED.value().equals(rs.getString(4)) || rs.getBoolean(20) || !due) {
                        special.add(entityId);
                        continue;
                    }
                    plain.add(new Head(taskId, rs.getString(3), entityId, readJson(rs.getString(5)), rs.getInt(6) + 1,
                            rs.getInt(7), rs.getLong(9), rs.getLong(10), rs.getBoolean(11), steps(rs, 1),
                            rs.getString(19)));
                }
            }
        }
        if (!empty.isEmpty()) {
            JournalWriter.releaseLeases(c, empty, owner);
            for (String entityId : empty) {
                claims.put(entityId, new Claim.Empty());
            }
        }
        for (RunJournal run : startRuns(c, plain, owner)) {
            claims.put(run.entityId, new Claim.Claimed(run));
        }
        for (String entityId : special) {
            claims.put(entityId, claim(c, entityId, owner, true));
        }
        return claims;
    }

    /** A plain head locked by {@link #claimAll}, to be started. */
    private record Head(UUID taskId, String type, String entityId, JsonNode payload, int attempt, int maxAttempts,
            long eventSeq, long logSeq, boolean cancelRequested, List<RunJournal.Step> steps, String traceparent) {
    }

    /** {@link #startRun} of several heads in one statement. */
    private List<RunJournal> startRuns(Connection c, List<Head> heads, String owner) throws SQLException {
        if (heads.isEmpty()) {
            return List.of();
        }
        TaskStatus.QUEUED.checkTransition(TaskStatus.RUNNING);
        int n = heads.size();
        Object[] id = new Object[n];
        Integer[] attempt = new Integer[n];
        Object[] token = new Object[n];
        Long[] seq = new Long[n];
        String[] message = new String[n];
        String[] notice = new String[n];
        List<RunJournal> runs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Head h = heads.get(i);
            UUID claimToken = UUID.randomUUID();
            id[i] = h.taskId();
            attempt[i] = h.attempt();
            token[i] = claimToken;
            seq[i] = h.eventSeq() + 1;
            message[i] = runningMessage(h.attempt(), h.maxAttempts(), owner);
            notice[i] = writer.notices().enabled()
                    ? writer.notices().payload(h.taskId(), h.eventSeq() + 1,
                            h.eventSeq() + 1)
                    : null;
            runs.add(new RunJournal(h.taskId(), h.type(), h.entityId(), h.payload(), h.attempt(), h.maxAttempts(),
                    claimToken, h.steps(), h.eventSeq() + 1, h.logSeq(), h.cancelRequested(), h.traceparent()));
        }
        Timestamp now = Timestamp.from(RunJournal.now());
        int started = 0;
        try (PreparedStatement update = c.prepareStatement(START_RUNS)) {
            update.setArray(1, c.createArrayOf("uuid", id));
            update.setArray(2, c.createArrayOf("int4", attempt));
            update.setArray(3, c.createArrayOf("uuid", token));
            update.setArray(4, c.createArrayOf("int8", seq));
            update.setArray(5, c.createArrayOf("text", message));
            update.setArray(6, c.createArrayOf("text", notice));
            update.setTimestamp(7, now);
            update.setTimestamp(8, now);
            update.setString(9, TaskEvent.KIND_TASK);
            update.setString(10, TaskStatus.RUNNING.value());
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    started++;
                }
            }
        }
        if (started != n) {
            throw new IllegalStateException(
                    n + " tasks were locked as queued but only " + started + " could be started");
        }
        return runs;
    }

    /**
     * The head of each entity's queue ({@code ?}: the entities), locked, with its steps and whether the
     * queue is paused: the columns of {@link #claim}'s head query after the entity id, then the pause.
     */
    private static final String HEADS = """
            SELECT e.entity_id, h.id, h.type, h.status, h.payload, h.attempt, h.max_attempts, h.next_attempt_at,
                   h.event_seq, h.log_seq, h.cancel_requested, h.idx, h.name, h.step_status, h.percent, h.message,
                   h.started_at, h.finished_at, h.traceparent,
                   EXISTS (SELECT 1 FROM queue_pause p WHERE p.entity_id IN (e.entity_id, '%s')) AS paused
            FROM unnest(?::varchar[]) AS e(entity_id)
            LEFT JOIN LATERAL (
                SELECT t.id, t.type, t.status, t.payload::text AS payload, t.attempt, t.max_attempts, t.next_attempt_at,
                       t.event_seq, t.log_seq, t.cancel_requested, s.idx, s.name, s.status AS step_status, s.percent,
                       s.message, s.started_at, s.finished_at, t.traceparent
                FROM task t,
                     LATERAL (SELECT array_agg(idx ORDER BY idx) AS idx, array_agg(name ORDER BY idx) AS name,
                                     array_agg(status ORDER BY idx) AS status, array_agg(percent ORDER BY idx) AS percent,
                                     array_agg(message ORDER BY idx) AS message,
                                     array_agg(started_at ORDER BY idx) AS started_at,
                                     array_agg(finished_at ORDER BY idx) AS finished_at
                              FROM task_step WHERE task_id = t.id) s
                WHERE t.entity_id = e.entity_id AND t.status IN ('awaiting_approval', 'queued', 'running')
                ORDER BY t.queue_position LIMIT 1 FOR UPDATE OF t) h ON TRUE"""
            .formatted(QueuePauses.ALL_ENTITIES);

    /**
     * {@link #START_RUN} for many tasks: the values as arrays (id, attempt, claim token, event seq, message,
     * notice payload), then the moment (twice), the event kind and status. Answers one row per task started;
     * a task's notice is sent only when its payload is not null (the relay is on). The tasks are the heads
     * {@link #HEADS} locked as queued in this transaction, so the update names them by id alone: a status
     * condition here lets the planner scan every queued task instead of looking the few up by key.
     */
    private static final String START_RUNS = """
            WITH v AS (SELECT * FROM unnest(?::uuid[], ?::int[], ?::uuid[], ?::bigint[], ?::text[], ?::text[])
                                     AS v(id, attempt, token, seq, message, notice)),
            started AS (
                UPDATE task t SET status = 'running', attempt = v.attempt, started_at = COALESCE(t.started_at, ?),
                                  claim_token = v.token, next_attempt_at = NULL, event_seq = v.seq
                FROM v WHERE t.id = v.id RETURNING t.id),
            event AS (INSERT INTO task_event (task_id, seq, ts, kind, status, message)
                      SELECT v.id, v.seq, ?, ?, ?, v.message FROM v JOIN started s ON s.id = v.id RETURNING task_id)
            SELECT e.task_id, CASE WHEN v.notice IS NOT NULL THEN pg_notify('%s', v.notice) END
            FROM event e JOIN v ON v.id = e.task_id""".formatted(TaskChannels.EVENTS_NOTIFY);

    /** The steps of the head task, from the arrays of the claim query (columns 11 to 17). */
    private static List<RunJournal.Step> steps(ResultSet rs) throws SQLException {
        return steps(rs, 0);
    }

    /** The steps of a head task, from the arrays of a claim query (columns 11 to 17, after {@code offset} columns). */
    private static List<RunJournal.Step> steps(ResultSet rs, int offset) throws SQLException {
        java.sql.Array idx = rs.getArray(offset + 11);
        if (idx == null) {
            return List.of();
        }
        Integer[] index = (Integer[]) idx.getArray();
        String[] name = (String[]) rs.getArray(offset + 12).getArray();
        String[] status = (String[]) rs.getArray(offset + 13).getArray();
        Integer[] percent = (Integer[]) rs.getArray(offset + 14).getArray();
        String[] message = (String[]) rs.getArray(offset + 15).getArray();
        Timestamp[] started = (Timestamp[]) rs.getArray(offset + 16).getArray();
        Timestamp[] finished = (Timestamp[]) rs.getArray(offset + 17).getArray();
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
