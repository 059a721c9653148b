package io.cloudops.orchestrator.client;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.task.TaskMessage;
import io.cloudops.orchestrator.channel.TaskChannel;
import io.cloudops.orchestrator.engine.Tx;
import io.cloudops.orchestrator.queue.QueuePauses;

/**
 * Pausing and resuming queues: one entity's, or every entity's (maintenance). A pause is a row in
 * {@code queue_pause}, so every instance honours it and a restart keeps it; the claim reads it
 * before it starts a task, so a running task finishes and nothing new starts. Resuming signals the
 * entities with queued work (the sweeper would find them too, within a sweep interval).
 */
@ApplicationScoped
public class QueueControl {

    /** The target of a pause of every queue (maintenance), as audited and stored. */
    public static final String ALL_ENTITIES = QueuePauses.ALL_ENTITIES;

    /** Entities signalled at once on a resume; the sweeper finds any others. */
    private static final int SIGNAL_LIMIT = 1000;

    private final DataSource dataSource;
    private final TaskChannel channel;

    QueueControl(DataSource dataSource, TaskChannel channel) {
        this.dataSource = dataSource;
        this.channel = channel;
    }

    /**
     * Pauses {@code entityId}'s queue, or every queue when it is null. Idempotent (a second pause
     * keeps the first one's author and time); {@code audit} (null: none) is written in its transaction.
     */
    public void pause(String entityId, String by, AuditRecord audit) {
        Tx.run(dataSource, c -> {
            AuditTrail.insert(c, audit);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO queue_pause (entity_id, paused_by, paused_at) VALUES (?, ?, ?) ON CONFLICT (entity_id) DO NOTHING")) {
                insert.setString(1, scope(entityId));
                insert.setString(2, by);
                insert.setTimestamp(3, Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS)));
                insert.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Resumes {@code entityId}'s queue, or ends maintenance when it is null (entities paused one by one
     * stay paused). Idempotent.
     */
    public void resume(String entityId, AuditRecord audit) {
        List<TaskMessage> heads = Tx.run(dataSource, c -> {
            AuditTrail.insert(c, audit);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM queue_pause WHERE entity_id = ?")) {
                delete.setString(1, scope(entityId));
                delete.executeUpdate();
            }
            List<TaskMessage> messages = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("""
                    SELECT DISTINCT ON (entity_id) id, entity_id, type FROM task
                    WHERE status = 'queued' AND (?::varchar IS NULL OR entity_id = ?)
                      AND NOT EXISTS (SELECT 1 FROM queue_pause p WHERE p.entity_id IN (task.entity_id, '*'))
                    ORDER BY entity_id, queue_position LIMIT ?""")) {
                select.setString(1, entityId);
                select.setString(2, entityId);
                select.setInt(3, SIGNAL_LIMIT);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        messages.add(new TaskMessage(rs.getObject("id", java.util.UUID.class),
                                rs.getString("entity_id"), rs.getString("type")));
                    }
                }
            }
            return messages;
        });
        heads.forEach(channel::publish);
    }

    private static String scope(String entityId) {
        if (QueuePauses.ALL_ENTITIES.equals(entityId)) {
            throw new IllegalArgumentException("'*' is not an entity id");
        }
        return entityId == null ? QueuePauses.ALL_ENTITIES : entityId;
    }
}
