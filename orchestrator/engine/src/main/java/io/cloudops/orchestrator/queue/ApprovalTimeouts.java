package io.cloudops.orchestrator.queue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskMessage;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.channel.TaskChannel;
import io.cloudops.orchestrator.client.Approvals;
import io.cloudops.orchestrator.client.TaskEventBus;
import io.cloudops.orchestrator.engine.JournalWriter;
import io.cloudops.orchestrator.engine.RecoverySweeper;
import io.cloudops.orchestrator.engine.Tx;
import io.cloudops.orchestrator.notification.TaskNotifications;
import io.quarkus.scheduler.Scheduled;

/**
 * The approval timeout: a task still awaiting approval after its deadline ({@code APPROVAL_TIMEOUT}
 * after it was accepted) is rejected, never approved, and its entity's queue moves on. Runs every
 * sweep interval on every engine instance; {@code FOR UPDATE SKIP LOCKED} keeps instances, and a
 * decision being taken at that moment, out of each other's way.
 */
@ApplicationScoped
public class ApprovalTimeouts {

    private static final Logger LOG = Logger.getLogger(ApprovalTimeouts.class);
    private static final int BATCH = 500;
    static final String MESSAGE = "rejected: no decision before the approval deadline (APPROVAL_TIMEOUT); "
            + "a timeout never approves";

    private final DataSource dataSource;
    private final JournalWriter writer;
    private final TaskEventBus events;
    private final TaskChannel channel;

    private final TaskNotifications notifications;

    ApprovalTimeouts(DataSource dataSource, JournalWriter writer, TaskEventBus events, TaskChannel channel,
            TaskNotifications notifications) {
        this.notifications = notifications;
        this.dataSource = dataSource;
        this.writer = writer;
        this.events = events;
        this.channel = channel;
    }

    @Scheduled(every = "${cloudops.engine.sweep-interval:2s}", delayed = "${cloudops.engine.sweep-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = RecoverySweeper.EngineDisabled.class)
    void sweep() {
        try {
            rejectOverdue(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("Approval timeout sweep failed (will try again): %s", e.getMessage());
        }
    }

    /** Rejects the tasks whose approval deadline is before {@code now}; returns their ids. */
    public List<UUID> rejectOverdue(Instant now) {
        record Overdue(UUID id, String entityId, String type, long seq) {
        }
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        List<Overdue> overdue = Tx.run(dataSource, c -> {
            List<Overdue> rows = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("""
                    SELECT id, entity_id, type, event_seq FROM task
                    WHERE status = 'awaiting_approval' AND approval_deadline < ?
                    ORDER BY approval_deadline LIMIT ? FOR UPDATE SKIP LOCKED""")) {
                select.setTimestamp(1, Timestamp.from(at));
                select.setInt(2, BATCH);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Overdue(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                                rs.getLong(4)));
                    }
                }
            }
            for (Overdue row : rows) {
                Approvals.end(c, row.id(), MESSAGE, "Submit the request again and ask an approver in time", at);
                notifications.enqueueForTask(c, row.id());
            }
            writer.insertEvents(c, rows.stream().map(r -> event(r.id(), r.seq(), at)).toList());
            return rows;
        });
        for (Overdue row : overdue) {
            events.publish(event(row.id(), row.seq(), at));
            channel.publish(new TaskMessage(row.id(), row.entityId(), row.type()));
        }
        if (!overdue.isEmpty()) {
            LOG.infof("Rejected %d task(s) whose approval deadline passed", overdue.size());
        }
        return overdue.stream().map(Overdue::id).toList();
    }

    private static TaskEvent event(UUID id, long seq, Instant at) {
        return new TaskEvent(id, seq + 1, TaskEvent.KIND_TASK, null, TaskStatus.REJECTED.value(), MESSAGE, null, at);
    }
}
