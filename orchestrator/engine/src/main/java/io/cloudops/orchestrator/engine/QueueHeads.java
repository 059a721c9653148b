package io.cloudops.orchestrator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cloudops.common.task.StepStatus;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.queue.QueuePauses;

/**
 * The heads of entities' queues as a claim reads them, for one entity or many in one round trip: each
 * entity's first task by queue position that is awaiting approval, queued or running, locked, with its steps
 * and whether the entity's queue is paused (a row in {@code queue_pause} for it, or the row
 * {@link QueuePauses#ALL_ENTITIES}). At most one task per entity.
 */
final class QueueHeads {

    /** The head of one entity's queue. {@code attempt} is the attempts made so far. */
    record Head(String entityId, UUID taskId, String type, TaskStatus status, String payload, int attempt,
            int maxAttempts, Instant nextAttemptAt, long eventSeq, long logSeq, boolean cancelRequested,
            List<RunJournal.Step> steps, String traceparent, boolean paused) {

        /** Queued, due and not paused: it starts without anything else to decide. */
        boolean plain() {
            return status == TaskStatus.QUEUED && !paused
                    && (nextAttemptAt == null || !nextAttemptAt.isAfter(Instant.now()));
        }
    }

    private QueueHeads() {
    }

    /**
     * Locks the heads of {@code entityIds}' queues, in the caller's transaction. The answer maps every entity
     * asked for, in the order asked, to its head, or to null when nothing is waiting on it.
     */
    static Map<String, Head> lock(Connection c, List<String> entityIds) throws SQLException {
        Map<String, Head> heads = new LinkedHashMap<>();
        try (PreparedStatement select = c.prepareStatement(HEADS)) {
            select.setArray(1, c.createArrayOf("varchar", entityIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String entityId = rs.getString(1);
                    UUID taskId = rs.getObject(2, UUID.class);
                    heads.put(entityId, taskId == null
                            ? null
                            : new Head(entityId, taskId, rs.getString(3), TaskStatus.fromValue(rs.getString(4)),
                                    rs.getString(5), rs.getInt(6), rs.getInt(7), instant(rs.getTimestamp(8)),
                                    rs.getLong(9), rs.getLong(10), rs.getBoolean(11), steps(rs),
                                    rs.getString(19), rs.getBoolean(20)));
                }
            }
        }
        return heads;
    }

    /** The head's steps, from the arrays of {@link #HEADS} (columns 12 to 18). */
    private static List<RunJournal.Step> steps(ResultSet rs) throws SQLException {
        java.sql.Array idx = rs.getArray(12);
        if (idx == null) {
            return List.of();
        }
        Integer[] index = (Integer[]) idx.getArray();
        String[] name = (String[]) rs.getArray(13).getArray();
        String[] status = (String[]) rs.getArray(14).getArray();
        Integer[] percent = (Integer[]) rs.getArray(15).getArray();
        String[] message = (String[]) rs.getArray(16).getArray();
        Timestamp[] started = (Timestamp[]) rs.getArray(17).getArray();
        Timestamp[] finished = (Timestamp[]) rs.getArray(18).getArray();
        List<RunJournal.Step> steps = new ArrayList<>(index.length);
        for (int i = 0; i < index.length; i++) {
            steps.add(new RunJournal.Step(index[i], name[i], StepStatus.fromValue(status[i]), percent[i], message[i],
                    instant(started[i]), instant(finished[i])));
        }
        return steps;
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    /** The head of each entity's queue ({@code ?}: the entities), locked, with its steps and the pause. */
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
}
