package io.cloudops.orchestrator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.task.TaskChannels;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.orchestrator.client.TaskEventNotices;

/**
 * The SQL of a run's bookkeeping, used inside the engine's transactions: taking and releasing the
 * entity lease, fencing a run by its claim token, and writing a journal's steps, log lines (trimmed
 * to the per-task bound), events and artifacts with batched statements. Every insert of task events
 * goes through {@link #insertEvents}, which also notifies them when the relay is on.
 */
@ApplicationScoped
public class JournalWriter {

    private static final String INSERT_EVENTS = """
            INSERT INTO task_event (task_id, seq, ts, kind, step, status, message, percent)
            SELECT task_id, seq, ts::timestamptz, kind, step, status, message, percent
            FROM unnest(?::uuid[], ?::bigint[], ?::text[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::int[])
                 AS e(task_id, seq, ts, kind, step, status, message, percent)""";

    /**
     * The same insert and its notices in one statement (one round trip): a data-modifying CTE runs to
     * completion whether or not the query reads it, and a failing insert fails the statement.
     */
    private static final String INSERT_AND_NOTIFY_EVENTS = "WITH inserted AS (" + INSERT_EVENTS + ")\n"
            + "SELECT pg_notify('" + TaskChannels.EVENTS_NOTIFY + "', p) FROM unnest(?::text[]) AS p";

    private final ObjectMapper json;
    private final EngineConfig config;
    private final TaskEventNotices notices;

    JournalWriter(ObjectMapper json, EngineConfig config, TaskEventNotices notices) {
        this.json = json;
        this.config = config;
        this.notices = notices;
    }

    /** The relay's notices, for the one statement that writes an event without {@link #insertEvents}. */
    TaskEventNotices notices() {
        return notices;
    }

    /**
     * Takes the entity's lease if it is free, expired, or (unless {@code onlyIfExpired}) already
     * ours. {@code onlyIfExpired} is for an entity whose run this process abandoned (fenced off): its
     * old lease, under our own owner name, must expire before anyone, we included, runs it again.
     */
    boolean acquireLease(Connection c, String entityId, String owner, boolean onlyIfExpired) throws SQLException {
        try (PreparedStatement lease = c.prepareStatement(onlyIfExpired
                ? ACQUIRE_LEASE + EXPIRED
                : ACQUIRE_LEASE + EXPIRED + " OR entity_lease.owner = EXCLUDED.owner")) {
            lease.setString(1, entityId);
            lease.setString(2, owner);
            lease.setDouble(3, config.leaseDuration().toMillis() / 1000.0);
            return lease.executeUpdate() == 1;
        }
    }

    private static final String ACQUIRE_LEASE = """
            INSERT INTO entity_lease (entity_id, owner, expires_at) VALUES (?, ?, now() + make_interval(secs => ?))
            ON CONFLICT (entity_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
            """;
    private static final String EXPIRED = "WHERE entity_lease.expires_at < now()";

    /**
     * {@link #acquireLease} (not only if expired) for several entities in one statement, in a fixed
     * order (sorted) so that two processes taking overlapping sets cannot deadlock. Returns the
     * entities whose lease this process now holds.
     */
    Set<String> acquireLeases(Connection c, Collection<String> entityIds, String owner) throws SQLException {
        Set<String> acquired = new HashSet<>();
        try (PreparedStatement lease = c.prepareStatement("""
                INSERT INTO entity_lease (entity_id, owner, expires_at)
                SELECT e, ?, now() + make_interval(secs => ?) FROM unnest(?::varchar[]) AS e ORDER BY e
                ON CONFLICT (entity_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
                WHERE entity_lease.expires_at < now() OR entity_lease.owner = EXCLUDED.owner
                RETURNING entity_id""")) {
            lease.setString(1, owner);
            lease.setDouble(2, config.leaseDuration().toMillis() / 1000.0);
            lease.setArray(3, c.createArrayOf("varchar", new TreeSet<>(entityIds).toArray()));
            try (ResultSet rs = lease.executeQuery()) {
                while (rs.next()) {
                    acquired.add(rs.getString(1));
                }
            }
        }
        return acquired;
    }

    /** {@link #releaseLease} of several entities in one statement. */
    static void releaseLeases(Connection c, Collection<String> entityIds, String owner) throws SQLException {
        try (PreparedStatement release = c
                .prepareStatement("DELETE FROM entity_lease WHERE entity_id = ANY (?) AND owner = ?")) {
            release.setArray(1, c.createArrayOf("varchar", entityIds.toArray()));
            release.setString(2, owner);
            release.executeUpdate();
        }
    }

    static void releaseLease(Connection c, String entityId, String owner) throws SQLException {
        try (PreparedStatement release = c
                .prepareStatement("DELETE FROM entity_lease WHERE entity_id = ? AND owner = ?")) {
            release.setString(1, entityId);
            release.setString(2, owner);
            release.executeUpdate();
        }
    }

    /**
     * Checks the claim token and renews the lease in one statement; throws
     * {@link TaskStore.LostClaimException} when either is gone. Returns the task's cancel flag.
     */
    boolean fence(Connection c, RunJournal run, RunJournal.Pending pending, String owner) throws SQLException {
        try (PreparedStatement task = c.prepareStatement(RENEW_LEASE + """
                UPDATE task SET event_seq = ?, log_seq = ?
                WHERE id = ? AND claim_token = ? AND EXISTS (SELECT 1 FROM lease) RETURNING cancel_requested""")) {
            int i = setLease(task, run.entityId, owner);
            task.setLong(i++, pending.eventSeq());
            task.setLong(i++, pending.logSeq());
            task.setObject(i++, run.taskId);
            task.setObject(i, run.claimToken);
            try (ResultSet rs = task.executeQuery()) {
                if (!rs.next()) {
                    throw new TaskStore.LostClaimException(run.taskId);
                }
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * A CTE that renews the entity lease held by an owner; the statement that follows requires
     * {@code EXISTS (SELECT 1 FROM lease)} so that nothing is written once the lease is gone. An
     * expired lease is never revived, not even by its owner: a statement that arrives late (a stalled
     * network) after the run fenced itself off writes nothing.
     */
    static final String RENEW_LEASE = """
            WITH lease AS (UPDATE entity_lease SET expires_at = now() + make_interval(secs => ?)
                           WHERE entity_id = ? AND owner = ? AND expires_at > now() RETURNING 1)
            """;

    /** Binds {@link #RENEW_LEASE}'s parameters; returns the next parameter index. */
    int setLease(PreparedStatement statement, String entityId, String owner) throws SQLException {
        statement.setDouble(1, config.leaseDuration().toMillis() / 1000.0);
        statement.setString(2, entityId);
        statement.setString(3, owner);
        return 4;
    }

    /**
     * {@link #writePending} of several runs: their changed steps in one statement and their events in
     * one statement; log lines and artifacts (rare in a batch of short tasks) run by run.
     */
    void writePendingAll(Connection c, List<RunJournal> runs, List<RunJournal.Pending> pendings) throws SQLException {
        List<UUID> stepTasks = new ArrayList<>();
        List<RunJournal.Step> steps = new ArrayList<>();
        List<UUID> logTasks = new ArrayList<>();
        List<RunJournal.LogLine> logs = new ArrayList<>();
        List<TaskEvent> events = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunJournal run = runs.get(i);
            RunJournal.Pending pending = pendings.get(i);
            for (RunJournal.Step step : pending.steps()) {
                stepTasks.add(run.taskId);
                steps.add(step);
            }
            for (RunJournal.LogLine line : pending.logs()) {
                logTasks.add(run.taskId);
                logs.add(line);
            }
            events.addAll(pending.events());
        }
        if (!steps.isEmpty()) {
            writeSteps(c, stepTasks, steps);
        }
        if (!logs.isEmpty()) {
            insertLogs(c, logTasks, logs);
        }
        insertEvents(c, events);
        for (int i = 0; i < runs.size(); i++) {
            RunJournal.Pending pending = pendings.get(i);
            if (!pending.logs().isEmpty() && pending.logSeq() > config.maxLogLinesPerTask()
                    || !pending.artifacts().isEmpty()) {
                // the trim of a long log and the artifacts: what writePending does besides steps, lines and events
                writePending(c, runs.get(i), new RunJournal.Pending(List.of(), List.of(), List.of(),
                        pending.artifacts(), pending.eventSeq(), pending.logSeq()), pending.logs().isEmpty() ? 0 : 1);
            }
        }
    }

    void writePending(Connection c, RunJournal run, RunJournal.Pending pending) throws SQLException {
        writePending(c, run, pending, pending.logs().size());
    }

    /** {@link #writePending}; {@code newLines}: lines written (with, or before, this pending) that may need a trim. */
    private void writePending(Connection c, RunJournal run, RunJournal.Pending pending, int newLines)
            throws SQLException {
        if (!pending.steps().isEmpty()) {
            writeSteps(c, run, pending.steps());
        }
        if (!pending.logs().isEmpty()) {
            insertLogs(c, run, pending.logs());
        }
        if (newLines > 0) {
            long keepAfter = pending.logSeq() - config.maxLogLinesPerTask();
            if (keepAfter > 0) {
                try (PreparedStatement trim = c
                        .prepareStatement("DELETE FROM task_log WHERE task_id = ? AND line <= ?")) {
                    trim.setObject(1, run.taskId);
                    trim.setLong(2, keepAfter);
                    trim.executeUpdate();
                }
            }
        }
        insertEvents(c, pending.events());
        if (!pending.artifacts().isEmpty()) {
            try (PreparedStatement artifact = c.prepareStatement(
                    "INSERT INTO task_artifact (id, task_id, kind, uri, size_bytes, sha256, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)")) {
                for (RunJournal.Artifact a : pending.artifacts()) {
                    artifact.setObject(1, a.id());
                    artifact.setObject(2, run.taskId);
                    artifact.setString(3, a.kind());
                    artifact.setString(4, a.uri());
                    artifact.setLong(5, a.sizeBytes());
                    artifact.setString(6, a.sha256());
                    artifact.setString(7, json.valueToTree(a.metadata()).toString());
                    artifact.setTimestamp(8, Timestamp.from(a.createdAt()));
                    artifact.addBatch();
                }
                artifact.executeBatch();
            }
        }
    }

    /** Log lines of a run in one statement (see {@link #insertEvents}). */
    private static void insertLogs(Connection c, RunJournal run, List<RunJournal.LogLine> logs) throws SQLException {
        insertLogs(c, java.util.Collections.nCopies(logs.size(), run.taskId), logs);
    }

    /** Log lines, of one task or many ({@code taskIds.get(i)} is the task of {@code logs.get(i)}), in one statement. */
    private static void insertLogs(Connection c, List<UUID> taskIds, List<RunJournal.LogLine> logs)
            throws SQLException {
        int n = logs.size();
        Long[] line = new Long[n];
        String[] ts = new String[n];
        String[] step = new String[n];
        String[] message = new String[n];
        for (int i = 0; i < n; i++) {
            RunJournal.LogLine l = logs.get(i);
            line[i] = l.line();
            ts[i] = l.ts().toString();
            step[i] = l.step();
            message[i] = l.message();
        }
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO task_log (task_id, line, ts, step, message)
                SELECT task_id, line, ts::timestamptz, step, message
                FROM unnest(?::uuid[], ?::bigint[], ?::text[], ?::varchar[], ?::varchar[])
                     AS l(task_id, line, ts, step, message)""")) {
            insert.setArray(1, c.createArrayOf("uuid", taskIds.toArray()));
            insert.setArray(2, c.createArrayOf("int8", line));
            insert.setArray(3, c.createArrayOf("text", ts));
            insert.setArray(4, c.createArrayOf("varchar", step));
            insert.setArray(5, c.createArrayOf("varchar", message));
            insert.executeUpdate();
        }
    }

    /** All changed steps of a run in one statement. */
    private static void writeSteps(Connection c, RunJournal run, List<RunJournal.Step> steps) throws SQLException {
        writeSteps(c, java.util.Collections.nCopies(steps.size(), run.taskId), steps);
    }

    /**
     * Changed steps, of one task or many ({@code taskIds.get(i)} is the task of {@code steps.get(i)}), in
     * one statement (arrays of the new values, joined on the task and the step index).
     */
    private static void writeSteps(Connection c, List<UUID> taskIds, List<RunJournal.Step> steps) throws SQLException {
        int n = steps.size();
        Object[] task = taskIds.toArray();
        Integer[] idx = new Integer[n];
        String[] status = new String[n];
        Integer[] percent = new Integer[n];
        String[] message = new String[n];
        String[] started = new String[n];
        String[] finished = new String[n];
        for (int i = 0; i < n; i++) {
            RunJournal.Step s = steps.get(i);
            idx[i] = s.index;
            status[i] = s.status.value();
            percent[i] = s.percent;
            message[i] = truncate(s.message, 2000);
            started[i] = s.startedAt == null ? null : s.startedAt.toString();
            finished[i] = s.finishedAt == null ? null : s.finishedAt.toString();
        }
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE task_step s SET status = v.status, percent = v.percent, message = v.message,
                                       started_at = v.started_at::timestamptz, finished_at = v.finished_at::timestamptz
                FROM unnest(?::uuid[], ?::int[], ?::varchar[], ?::int[], ?::varchar[], ?::text[], ?::text[])
                     AS v(task_id, idx, status, percent, message, started_at, finished_at)
                WHERE s.task_id = v.task_id AND s.idx = v.idx""")) {
            update.setArray(1, c.createArrayOf("uuid", task));
            update.setArray(2, c.createArrayOf("int4", idx));
            update.setArray(3, c.createArrayOf("varchar", status));
            update.setArray(4, c.createArrayOf("int4", percent));
            update.setArray(5, c.createArrayOf("varchar", message));
            update.setArray(6, c.createArrayOf("text", started));
            update.setArray(7, c.createArrayOf("text", finished));
            update.executeUpdate();
        }
    }

    /**
     * Inserts events, of one task or many, in one statement: the values travel as arrays, one per
     * column, and {@code unnest} turns them into rows (one round trip and one plan for any count).
     * With the relay on, the same statement announces them on {@link TaskChannels#EVENTS_NOTIFY}; the
     * notices are delivered when (and only if) the caller's transaction commits.
     */
    public void insertEvents(Connection c, List<TaskEvent> events) throws SQLException {
        int n = events.size();
        if (n == 0) {
            return;
        }
        Object[] taskId = new Object[n];
        Long[] seq = new Long[n];
        String[] ts = new String[n];
        String[] kind = new String[n];
        String[] step = new String[n];
        String[] status = new String[n];
        String[] message = new String[n];
        Integer[] percent = new Integer[n];
        for (int i = 0; i < n; i++) {
            TaskEvent e = events.get(i);
            taskId[i] = e.taskId();
            seq[i] = e.seq();
            ts[i] = e.ts().toString();
            kind[i] = e.kind();
            step[i] = e.step();
            status[i] = e.status();
            message[i] = truncate(e.message(), 4000);
            percent[i] = e.percent();
        }
        boolean notify = notices.enabled();
        try (PreparedStatement insert = c.prepareStatement(notify ? INSERT_AND_NOTIFY_EVENTS : INSERT_EVENTS)) {
            insert.setArray(1, c.createArrayOf("uuid", taskId));
            insert.setArray(2, c.createArrayOf("int8", seq));
            insert.setArray(3, c.createArrayOf("text", ts));
            insert.setArray(4, c.createArrayOf("varchar", kind));
            insert.setArray(5, c.createArrayOf("varchar", step));
            insert.setArray(6, c.createArrayOf("varchar", status));
            insert.setArray(7, c.createArrayOf("varchar", message));
            insert.setArray(8, c.createArrayOf("int4", percent));
            if (notify) {
                insert.setArray(9, c.createArrayOf("text", notices.payloads(events)));
                insert.execute();
            } else {
                insert.executeUpdate();
            }
        }
    }

    static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 3) + "...";
    }
}
