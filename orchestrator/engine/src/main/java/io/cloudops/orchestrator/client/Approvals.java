package io.cloudops.orchestrator.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.security.Roles;
import io.cloudops.common.task.ApprovalView;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskMessage;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.channel.TaskChannel;
import io.cloudops.orchestrator.engine.JournalWriter;
import io.cloudops.orchestrator.engine.Tx;
import io.cloudops.orchestrator.notification.TaskNotifications;

/**
 * Approve and reject decisions on tasks awaiting approval. Each decision is one transaction on the
 * locked task row: the decision row, the task's event and, once enough approvers said yes, the move
 * to {@code queued} (its queue position kept, so it runs next on its entity); one rejection ends
 * it. The rules are checked here, under the lock, whoever calls: the requester never approves their
 * own task, an approver has the role the task asked for, and nobody decides twice.
 */
@ApplicationScoped
public class Approvals {

    /** What a decision left: the task's status, approvals given and needed. */
    public record Outcome(TaskStatus status, int approved, int required) {
    }

    private final DataSource dataSource;
    private final JournalWriter writer;
    private final TaskEventBus events;
    private final TaskChannel channel;
    private final TaskNotifications notifications;

    Approvals(DataSource dataSource, JournalWriter writer, TaskEventBus events, TaskChannel channel,
            ApprovalConfig config, TaskNotifications notifications) {
        this.notifications = notifications;
        if (!Roles.ALL.contains(config.approverRole()) || Roles.VIEWER.equals(config.approverRole())) {
            throw new IllegalStateException("Refusing to start: APPROVER_ROLE is '" + config.approverRole()
                    + "'; it must be operator or admin");
        }
        if (config.count() < 1 || config.count() > 10) {
            throw new IllegalStateException(
                    "Refusing to start: APPROVAL_COUNT is " + config.count() + "; it must be 1 to 10");
        }
        this.dataSource = dataSource;
        this.writer = writer;
        this.events = events;
        this.channel = channel;
    }

    /**
     * {@code approver} (with {@code roles}) approves the task; {@code audit} (null: none) is written
     * in the same transaction, so a refused decision leaves no entry.
     */
    public Outcome approve(UUID taskId, String approver, Set<String> roles, String comment, AuditRecord audit) {
        return decide(taskId, approver, roles, comment, audit, true);
    }

    /** {@code approver} rejects the task: it ends {@code rejected} and its entity's queue moves on. */
    public Outcome reject(UUID taskId, String approver, Set<String> roles, String comment, AuditRecord audit) {
        return decide(taskId, approver, roles, comment, audit, false);
    }

    private record Pending(TaskStatus status, String entityId, String type, long eventSeq, String requestedBy,
            int required, String approverRole) {
    }

    private record Decided(Outcome outcome, TaskEvent event, TaskMessage wakeUp) {
    }

    private Outcome decide(UUID taskId, String approver, Set<String> roles, String comment, AuditRecord audit,
            boolean approve) {
        String verb = approve ? "approve" : "reject";
        Decided decided = Tx.run(dataSource, c -> {
            AuditTrail.insert(c, audit);
            Pending task = lock(c, taskId);
            if (task.status != TaskStatus.AWAITING_APPROVAL) {
                throw new TaskErrors.Conflict("task " + taskId + " is " + task.status.value()
                        + "; only a task awaiting approval can be " + (approve ? "approved" : "rejected"));
            }
            if (!roles.contains(task.approverRole)) {
                throw new TaskErrors.NotAllowed("only role " + task.approverRole + " may " + verb + " this task");
            }
            if (approve && approver.equals(task.requestedBy)) {
                throw new TaskErrors.NotAllowed(
                        "you requested this task, so you cannot approve it: another approver must (four eyes)");
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            if (!insertDecision(c, taskId, approver, approve, comment, now)) {
                throw new TaskErrors.Conflict("you already decided on task " + taskId);
            }
            int approved = approvedCount(c, taskId);
            String said = comment == null || comment.isBlank() ? "" : ": " + comment.strip();
            TaskStatus next;
            String message;
            if (!approve) {
                next = TaskStatus.REJECTED;
                message = "rejected by " + approver + said;
                end(c, taskId, message, "Submit the request again once the change is agreed", now);
                notifications.enqueueForTask(c, taskId);
            } else if (approved >= task.required) {
                next = TaskStatus.QUEUED;
                message = "approved by " + approver + " (" + approved + " of " + task.required + ")" + said
                        + "; queued at its place";
                move(c, taskId, TaskStatus.QUEUED, now);
            } else {
                next = TaskStatus.AWAITING_APPROVAL;
                message = "approved by " + approver + " (" + approved + " of " + task.required + ")" + said;
                move(c, taskId, TaskStatus.AWAITING_APPROVAL, now);
            }
            TaskEvent event = new TaskEvent(taskId, task.eventSeq + 1, TaskEvent.KIND_TASK, null, next.value(),
                    message, null, now);
            writer.insertEvents(c, List.of(event));
            TaskMessage wakeUp = next == TaskStatus.AWAITING_APPROVAL
                    ? null
                    : new TaskMessage(taskId, task.entityId, task.type);
            return new Decided(new Outcome(next, approved, task.required), event, wakeUp);
        });
        events.publish(decided.event);
        if (decided.wakeUp != null) {
            // approved: it may start; rejected: the task behind it may
            channel.publish(decided.wakeUp);
        }
        return decided.outcome;
    }

    /** The approval state of a task, or empty for a task that never needed one. */
    public static Optional<ApprovalView> of(Connection c, UUID taskId) throws SQLException {
        int required;
        String role;
        Instant deadline;
        try (PreparedStatement select = c.prepareStatement(
                "SELECT approvals_required, approver_role, approval_deadline FROM task WHERE id = ?")) {
            select.setObject(1, taskId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next() || rs.getInt(1) == 0) {
                    return Optional.empty();
                }
                required = rs.getInt(1);
                role = rs.getString(2);
                deadline = rs.getTimestamp(3).toInstant();
            }
        }
        List<ApprovalView.Decision> decisions = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT approver, decision, comment, decided_at FROM task_approval WHERE task_id = ? ORDER BY decided_at, approver")) {
            select.setObject(1, taskId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    decisions.add(new ApprovalView.Decision(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant()));
                }
            }
        }
        int approved = (int) decisions.stream().filter(d -> "approved".equals(d.decision())).count();
        return Optional.of(new ApprovalView(required, approved, role, deadline, List.copyOf(decisions)));
    }

    /**
     * Whether a task that needed approval has it (a cancelled one that never got it must not skip
     * approval when it is retried), in the caller's transaction.
     */
    public static boolean lacksApproval(Connection c, UUID taskId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("""
                SELECT t.approvals_required > (SELECT count(*) FROM task_approval a
                                               WHERE a.task_id = t.id AND a.decision = 'approved')
                FROM task t WHERE t.id = ?""")) {
            select.setObject(1, taskId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static Pending lock(Connection c, UUID taskId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("""
                SELECT status, entity_id, type, event_seq, requested_by, approvals_required, approver_role
                FROM task WHERE id = ? FOR UPDATE""")) {
            select.setObject(1, taskId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new TaskErrors.NotFound("Task", taskId);
                }
                return new Pending(TaskStatus.fromValue(rs.getString(1)), rs.getString(2), rs.getString(3),
                        rs.getLong(4), rs.getString(5), rs.getInt(6), rs.getString(7));
            }
        }
    }

    private static boolean insertDecision(Connection c, UUID taskId, String approver, boolean approve, String comment,
            Instant now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO task_approval (task_id, approver, decision, comment, decided_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (task_id, approver) DO NOTHING""")) {
            insert.setObject(1, taskId);
            insert.setString(2, approver);
            insert.setString(3, approve ? "approved" : "rejected");
            insert.setString(4, comment == null || comment.isBlank() ? null : comment.strip());
            insert.setTimestamp(5, Timestamp.from(now));
            return insert.executeUpdate() == 1;
        }
    }

    private static int approvedCount(Connection c, UUID taskId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT count(*) FROM task_approval WHERE task_id = ? AND decision = 'approved'")) {
            select.setObject(1, taskId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** To {@code queued} (approved; its queue position is kept) or still awaiting (one more approval counted). */
    private static void move(Connection c, UUID taskId, TaskStatus next, Instant now) throws SQLException {
        if (next != TaskStatus.AWAITING_APPROVAL) {
            TaskStatus.AWAITING_APPROVAL.checkTransition(next);
        }
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE task SET status = ?, next_attempt_at = ?, event_seq = event_seq + 1
                WHERE id = ? AND status = 'awaiting_approval'""")) {
            update.setString(1, next.value());
            update.setTimestamp(2, Timestamp.from(now));
            update.setObject(3, taskId);
            update.executeUpdate();
        }
    }

    /** Ends a task awaiting approval as {@code rejected}: its steps skipped, the reason as its error. */
    public static void end(Connection c, UUID taskId, String message, String hint, Instant now) throws SQLException {
        TaskStatus.AWAITING_APPROVAL.checkTransition(TaskStatus.REJECTED);
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE task SET status = 'rejected', finished_at = ?, next_attempt_at = NULL, event_seq = event_seq + 1,
                                error_message = ?, error_hint = ?
                WHERE id = ? AND status = 'awaiting_approval'""")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setString(2, message);
            update.setString(3, hint);
            update.setObject(4, taskId);
            update.executeUpdate();
        }
        try (PreparedStatement steps = c.prepareStatement(
                "UPDATE task_step SET status = 'skipped', message = 'rejected' WHERE task_id = ? AND status = 'pending'")) {
            steps.setObject(1, taskId);
            steps.executeUpdate();
        }
    }
}
