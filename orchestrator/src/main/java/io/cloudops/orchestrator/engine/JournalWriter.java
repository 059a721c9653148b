package io.cloudops.orchestrator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.task.TaskEvent;

/**
 * The SQL of a run's bookkeeping, used inside the engine's transactions: taking and releasing the
 * entity lease, fencing a run by its claim token, and writing a journal's steps, log lines (trimmed
 * to the per-task bound), events and artifacts with batched statements.
 */
@ApplicationScoped
class JournalWriter {

    private final ObjectMapper json;
    private final EngineConfig config;

    JournalWriter(ObjectMapper json, EngineConfig config) {
        this.json = json;
        this.config = config;
    }

    boolean acquireLease(Connection c, String entityId, String owner) throws SQLException {
        try (PreparedStatement lease = c.prepareStatement("""
                INSERT INTO entity_lease (entity_id, owner, expires_at) VALUES (?, ?, now() + make_interval(secs => ?))
                ON CONFLICT (entity_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
                WHERE entity_lease.owner = EXCLUDED.owner OR entity_lease.expires_at < now()""")) {
            lease.setString(1, entityId);
            lease.setString(2, owner);
            lease.setDouble(3, config.leaseDuration().toMillis() / 1000.0);
            return lease.executeUpdate() == 1;
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

    /** Checks the claim token and renews the lease; throws {@link LostClaimException} when either is gone. */
    boolean fence(Connection c, RunJournal run, RunJournal.Pending pending, String owner) throws SQLException {
        boolean cancel;
        try (PreparedStatement task = c.prepareStatement(
                "UPDATE task SET event_seq = ?, log_seq = ? WHERE id = ? AND claim_token = ? RETURNING cancel_requested")) {
            task.setLong(1, pending.eventSeq());
            task.setLong(2, pending.logSeq());
            task.setObject(3, run.taskId);
            task.setObject(4, run.claimToken);
            try (ResultSet rs = task.executeQuery()) {
                if (!rs.next()) {
                    throw new TaskStore.LostClaimException(run.taskId);
                }
                cancel = rs.getBoolean(1);
            }
        }
        try (PreparedStatement lease = c.prepareStatement(
                "UPDATE entity_lease SET expires_at = now() + make_interval(secs => ?) WHERE entity_id = ? AND owner = ?")) {
            lease.setDouble(1, config.leaseDuration().toMillis() / 1000.0);
            lease.setString(2, run.entityId);
            lease.setString(3, owner);
            if (lease.executeUpdate() == 0) {
                throw new TaskStore.LostClaimException(run.taskId);
            }
        }
        return cancel;
    }

    void writePending(Connection c, RunJournal run, RunJournal.Pending pending) throws SQLException {
        if (!pending.steps().isEmpty()) {
            try (PreparedStatement step = c.prepareStatement(
                    "UPDATE task_step SET status = ?, percent = ?, message = ?, started_at = ?, finished_at = ? WHERE task_id = ? AND idx = ?")) {
                for (RunJournal.Step s : pending.steps()) {
                    step.setString(1, s.status.value());
                    step.setInt(2, s.percent);
                    step.setString(3, truncate(s.message, 2000));
                    step.setTimestamp(4, s.startedAt == null ? null : Timestamp.from(s.startedAt));
                    step.setTimestamp(5, s.finishedAt == null ? null : Timestamp.from(s.finishedAt));
                    step.setObject(6, run.taskId);
                    step.setInt(7, s.index);
                    step.addBatch();
                }
                step.executeBatch();
            }
        }
        if (!pending.logs().isEmpty()) {
            try (PreparedStatement log = c.prepareStatement(
                    "INSERT INTO task_log (task_id, line, ts, step, message) VALUES (?, ?, ?, ?, ?)")) {
                for (RunJournal.LogLine line : pending.logs()) {
                    log.setObject(1, run.taskId);
                    log.setLong(2, line.line());
                    log.setTimestamp(3, Timestamp.from(line.ts()));
                    log.setString(4, line.step());
                    log.setString(5, line.message());
                    log.addBatch();
                }
                log.executeBatch();
            }
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

    static void insertEvents(Connection c, List<TaskEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement event = c.prepareStatement(
                "INSERT INTO task_event (task_id, seq, ts, kind, step, status, message, percent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (TaskEvent e : events) {
                event.setObject(1, e.taskId());
                event.setLong(2, e.seq());
                event.setTimestamp(3, Timestamp.from(e.ts()));
                event.setString(4, e.kind());
                event.setString(5, e.step());
                event.setString(6, e.status());
                event.setString(7, truncate(e.message(), 4000));
                if (e.percent() == null) {
                    event.setNull(8, java.sql.Types.INTEGER);
                } else {
                    event.setInt(8, e.percent());
                }
                event.addBatch();
            }
            event.executeBatch();
        }
    }

    static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 3) + "...";
    }
}
