package io.cloudops.orchestrator.queue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.client.TaskEventBus;
import io.cloudops.orchestrator.engine.JournalWriter;
import io.cloudops.orchestrator.engine.RecoverySweeper;
import io.cloudops.orchestrator.engine.Tx;
import io.cloudops.orchestrator.telemetry.EngineMetrics;
import io.quarkus.scheduler.Scheduled;

/**
 * The maximum age of queued tasks ({@code QUEUE_MAX_AGE}): a task still queued, never started, that
 * long after it was accepted ends {@code expired}, so a backlog that built up during an outage or a
 * pause does not fire stale changes hours later. Tasks the claim holds are skipped (they are
 * starting); a task waiting for its retry has started, and is not expired. Off when unset.
 */
@ApplicationScoped
public class QueueExpiry {

    private static final Logger LOG = Logger.getLogger(QueueExpiry.class);
    private static final int BATCH = 500;

    private final DataSource dataSource;
    private final QueueConfig config;
    private final JournalWriter writer;
    private final TaskEventBus events;
    private final EngineMetrics metrics;

    QueueExpiry(DataSource dataSource, QueueConfig config, JournalWriter writer, TaskEventBus events,
            EngineMetrics metrics) {
        this.dataSource = dataSource;
        this.config = config;
        this.writer = writer;
        this.events = events;
        this.metrics = metrics;
    }

    @Scheduled(every = "${cloudops.engine.sweep-interval:2s}", delayed = "${cloudops.engine.sweep-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = RecoverySweeper.EngineDisabled.class)
    void sweep() {
        if (config.maxAge().isEmpty()) {
            return;
        }
        try {
            expireOlderThan(config.maxAge().get());
        } catch (RuntimeException e) {
            LOG.warnf("Queue expiry failed (will try again): %s", e.getMessage());
        }
    }

    /** Expires queued, never-started tasks accepted more than {@code maxAge} ago; returns their ids. */
    public List<UUID> expireOlderThan(Duration maxAge) {
        TaskStatus.QUEUED.checkTransition(TaskStatus.EXPIRED);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        record Expired(UUID id, String type, long seq) {
        }
        String message = "expired: queued longer than " + maxAge + " without starting (QUEUE_MAX_AGE)";
        List<Expired> expired = Tx.run(dataSource, c -> {
            List<Expired> rows = new ArrayList<>();
            try (PreparedStatement update = c.prepareStatement("""
                    WITH stale AS (
                        SELECT id FROM task
                        WHERE status = 'queued' AND started_at IS NULL AND created_at < ?
                        ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)
                    UPDATE task t SET status = 'expired', finished_at = ?, next_attempt_at = NULL,
                                      event_seq = t.event_seq + 1, error_message = ?,
                                      error_hint = 'Submit the request again if it is still wanted'
                    FROM stale WHERE t.id = stale.id AND t.status = 'queued'
                    RETURNING t.id, t.type, t.event_seq""")) {
                update.setTimestamp(1, Timestamp.from(now.minus(maxAge)));
                update.setInt(2, BATCH);
                update.setTimestamp(3, Timestamp.from(now));
                update.setString(4, message);
                try (ResultSet rs = update.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Expired(rs.getObject("id", UUID.class), rs.getString("type"),
                                rs.getLong("event_seq")));
                    }
                }
            }
            if (!rows.isEmpty()) {
                try (PreparedStatement steps = c.prepareStatement(
                        "UPDATE task_step SET status = 'skipped', message = 'expired' WHERE task_id = ANY (?) AND status = 'pending'")) {
                    steps.setArray(1, c.createArrayOf("uuid", rows.stream().map(Expired::id).toArray()));
                    steps.executeUpdate();
                }
                writer.insertEvents(c, rows.stream().map(r -> new TaskEvent(r.id(), r.seq(), TaskEvent.KIND_TASK,
                        null, TaskStatus.EXPIRED.value(), message, null, now)).toList());
            }
            return rows;
        });
        for (Expired e : expired) {
            events.publish(new TaskEvent(e.id(), e.seq(), TaskEvent.KIND_TASK, null, TaskStatus.EXPIRED.value(),
                    message, null, now));
        }
        Map<String, Long> byType = expired.stream()
                .collect(Collectors.groupingBy(Expired::type, Collectors.counting()));
        byType.forEach((type, count) -> metrics.expired(type, count.intValue()));
        if (!expired.isEmpty()) {
            LOG.infof("Expired %d queued task(s) older than %s", expired.size(), maxAge);
        }
        return expired.stream().map(Expired::id).toList();
    }
}
