package io.cloudops.orchestrator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.task.TaskChannels;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.engine.QueueHeads.Head;
import io.cloudops.orchestrator.engine.TaskStore.Claim;

/**
 * The claims of several entities in one transaction of the engine's group commit, a few statements for all
 * of them: the leases of the entities a session is just taking in one upsert (the others' leases the caller
 * renewed earlier in this transaction), the heads of every leased entity's queue locked in one select
 * ({@link QueueHeads}: at most one task per entity, exactly what a single claim locks), and the plain heads
 * started in one statement. A head that needs more (a crashed run to recover, an approval, a pause, a
 * back-off) is decided as a single claim decides it ({@link TaskClaims#decide}), in the same transaction.
 */
@ApplicationScoped
class BatchClaims {

    private final JournalWriter writer;
    private final TaskClaims claims;

    BatchClaims(JournalWriter writer, TaskClaims claims) {
        this.writer = writer;
        this.claims = claims;
    }

    /** Claims {@code entityIds} (those in {@code toLease} take their lease first); returns each entity's claim. */
    Map<String, Claim> claimAll(Connection c, List<String> entityIds, Set<String> toLease, String owner)
            throws SQLException {
        Map<String, Claim> result = new HashMap<>();
        List<String> leased = new ArrayList<>();
        Set<String> acquired = toLease.isEmpty() ? Set.of() : writer.acquireLeases(c, toLease, owner);
        for (String entityId : entityIds) {
            if (!toLease.contains(entityId) || acquired.contains(entityId)) {
                leased.add(entityId);
            } else {
                result.put(entityId, new Claim.Busy());
            }
        }
        if (leased.isEmpty()) {
            return result;
        }
        List<String> empty = new ArrayList<>();
        List<Head> plain = new ArrayList<>();
        List<Head> other = new ArrayList<>();
        for (Map.Entry<String, Head> e : QueueHeads.lock(c, leased).entrySet()) {
            Head head = e.getValue();
            if (head == null) {
                empty.add(e.getKey());
            } else {
                (head.plain() ? plain : other).add(head);
            }
        }
        if (!empty.isEmpty()) {
            JournalWriter.releaseLeases(c, empty, owner);
            for (String entityId : empty) {
                result.put(entityId, new Claim.Empty());
            }
        }
        for (RunJournal run : startRuns(c, plain, owner)) {
            result.put(run.entityId, new Claim.Claimed(run));
        }
        for (Head head : other) {
            result.put(head.entityId(), claims.decide(c, head, owner));
        }
        return result;
    }

    /** The single claim's start of a plain head, for several heads in one statement. */
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
            RunJournal run = claims.journal(heads.get(i), UUID.randomUUID());
            runs.add(run);
            id[i] = run.taskId;
            attempt[i] = run.attempt;
            token[i] = run.claimToken;
            seq[i] = run.eventSeqAtStart();
            message[i] = TaskClaims.runningMessage(run.attempt, run.maxAttempts, owner);
            notice[i] = writer.notices().enabled()
                    ? writer.notices().payload(run.taskId, run.eventSeqAtStart(), run.eventSeqAtStart())
                    : null;
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
     * The single claim's start for many tasks: the values as arrays (id, attempt, claim token, event seq,
     * message, notice payload), then the moment (twice), the event kind and status. Answers one row per task
     * started; a task's notice is sent only when its payload is not null (the relay is on). The tasks are the
     * heads {@link QueueHeads} locked as queued in this transaction, so the update names them by id alone: a
     * status condition here lets the planner scan every queued task instead of looking the few up by key.
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
}
