package io.cloudops.orchestrator.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskMessage;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.channel.TaskChannel;
import io.cloudops.orchestrator.handler.HandlerRegistry;
import io.cloudops.orchestrator.handler.TaskHandler;

/**
 * Accepts tasks. A task is accepted when its row, its pending steps, its first event and its
 * idempotency key are committed in one transaction; only then is the wake-up published on the task
 * channel. The {@code queued} row is the outbox: if the publish is lost (crash, broker outage), the
 * sweeper re-dispatches every due task nobody holds, so delivery is at least once.
 */
@ApplicationScoped
public class TaskSubmitter {

    private final DataSource dataSource;
    private final HandlerRegistry handlers;
    private final TaskChannel channel;
    private final TaskEventBus events;
    private final RetryPolicy retryPolicy;

    TaskSubmitter(DataSource dataSource, HandlerRegistry handlers, TaskChannel channel, TaskEventBus events,
            EngineConfig config) {
        this.dataSource = dataSource;
        this.handlers = handlers;
        this.channel = channel;
        this.events = events;
        this.retryPolicy = RetryPolicy.from(config.retry());
    }

    /** A task to accept. {@code fingerprint} identifies the request for idempotency (method, path, body). */
    public record Submission(String type, String entityId, JsonNode payload, String requestedBy, String correlationId,
            String idempotencyKey, String fingerprint) {
    }

    /** The accepted task; {@code created} is false when an Idempotency-Key replayed an earlier request. */
    public record Accepted(UUID taskId, boolean created) {
    }

    public Accepted submit(Submission submission) {
        TaskHandler handler = handlers.find(submission.type())
                .orElseThrow(() -> new TaskErrors.UnknownType(submission.type()));
        List<String> steps = handler.steps(submission.payload());
        UUID taskId = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Accepted accepted = Tx.run(dataSource, c -> {
            if (submission.idempotencyKey() != null) {
                UUID existing = claimKey(c, submission.idempotencyKey(), sha256(submission.fingerprint()), taskId, now);
                if (existing != null) {
                    return new Accepted(existing, false);
                }
            }
            insertTask(c, taskId, submission, steps, now);
            return new Accepted(taskId, true);
        });
        if (accepted.created()) {
            events.publish(new TaskEvent(taskId, 1, TaskEvent.KIND_TASK, null, TaskStatus.QUEUED.value(), "accepted",
                    null, now));
            channel.publish(new TaskMessage(taskId, submission.entityId(), submission.type()));
        }
        return accepted;
    }

    /**
     * Inserts the key, or returns the task of an earlier request with the same key. A concurrent
     * request with the same key waits on the primary key until the first commits, then reads its task.
     */
    private UUID claimKey(Connection c, String key, String hash, UUID taskId, Instant now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO idempotency_key (key, request_hash, task_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING")) {
            insert.setString(1, key);
            insert.setString(2, hash);
            insert.setObject(3, taskId);
            insert.setTimestamp(4, Timestamp.from(now));
            if (insert.executeUpdate() == 1) {
                return null;
            }
        }
        try (PreparedStatement select = c
                .prepareStatement("SELECT request_hash, task_id FROM idempotency_key WHERE key = ?")) {
            select.setString(1, key);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new TaskErrors.Conflict("Idempotency-Key '" + key + "' is being released; retry the request");
                }
                if (!rs.getString(1).equals(hash)) {
                    throw new TaskErrors.IdempotencyKeyReused(key);
                }
                return rs.getObject(2, UUID.class);
            }
        }
    }

    private void insertTask(Connection c, UUID taskId, Submission s, List<String> steps, Instant now)
            throws SQLException {
        try (PreparedStatement task = c.prepareStatement(
                """
                        INSERT INTO task (id, type, status, entity_id, queue_position, correlation_id, idempotency_key, requested_by,
                                          payload, attempt, max_attempts, created_at, next_attempt_at, event_seq)
                        VALUES (?, ?, ?, ?, nextval('task_queue_position'), ?, ?, ?, ?::jsonb, 0, ?, ?, ?, 1)""")) {
            task.setObject(1, taskId);
            task.setString(2, s.type());
            task.setString(3, TaskStatus.QUEUED.value());
            task.setString(4, s.entityId());
            task.setString(5, s.correlationId() == null ? taskId.toString() : s.correlationId());
            task.setString(6, s.idempotencyKey());
            task.setString(7, s.requestedBy());
            task.setString(8, s.payload().toString());
            task.setInt(9, retryPolicy.maxAttempts());
            task.setTimestamp(10, Timestamp.from(now));
            task.setTimestamp(11, Timestamp.from(now));
            task.executeUpdate();
        }
        try (PreparedStatement step = c
                .prepareStatement("INSERT INTO task_step (task_id, idx, name, status) VALUES (?, ?, ?, 'pending')")) {
            for (int i = 0; i < steps.size(); i++) {
                step.setObject(1, taskId);
                step.setInt(2, i);
                step.setString(3, steps.get(i));
                step.addBatch();
            }
            step.executeBatch();
        }
        try (PreparedStatement event = c.prepareStatement(
                "INSERT INTO task_event (task_id, seq, ts, kind, status, message) VALUES (?, 1, ?, 'task', 'queued', 'accepted')")) {
            event.setObject(1, taskId);
            event.setTimestamp(2, Timestamp.from(now));
            event.executeUpdate();
        }
    }

    static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
