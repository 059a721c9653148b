package io.cloudops.orchestrator.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudops.common.Sha256;
import io.cloudops.common.task.EntityLabels;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.common.task.TaskMessage;
import io.cloudops.common.task.TaskPlan;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.channel.TaskChannel;
import io.cloudops.orchestrator.engine.EngineConfig;
import io.cloudops.orchestrator.engine.JournalWriter;
import io.cloudops.orchestrator.engine.RetryPolicy;
import io.cloudops.orchestrator.engine.TaskExecutor;
import io.cloudops.orchestrator.engine.Tx;
import io.cloudops.orchestrator.notification.TaskNotifications;
import io.cloudops.orchestrator.queue.BusyPolicies;
import io.cloudops.orchestrator.queue.BusyPolicy;
import io.cloudops.orchestrator.telemetry.EngineMetrics;
import io.cloudops.orchestrator.telemetry.TaskTracing;

/**
 * Accepts tasks. A task is accepted when its row, its pending steps, its first event and its
 * idempotency key are committed in one transaction; only then is the wake-up published on the task
 * channel. The {@code queued} row is the outbox: if the publish is lost (crash, broker outage), the
 * sweeper re-dispatches every due task nobody holds, so delivery is at least once.
 *
 * <p>
 * Submissions without an {@code Idempotency-Key} that arrive at the same moment share a transaction
 * ({@link GroupCommit}): one commit, and multi-row inserts, for all of them. Each caller still
 * returns only after its own task committed. Keyed submissions take a transaction of their own,
 * because their key decides whether anything is written at all, and so do submissions of a type
 * with a busy policy other than {@code queue} ({@link BusyRules}): the policy is decided in the
 * transaction that inserts the task, under the entity's submit lock.
 */
@ApplicationScoped
public class TaskSubmitter {

    private final DataSource dataSource;
    private final TaskPlans plans;
    private final TaskChannel channel;
    private final TaskEventBus events;
    private final RetryPolicy retryPolicy;
    private final GroupCommit<NewTask> batches;
    private final JournalWriter writer;
    private final TaskTracing tracing;
    private final EngineMetrics metrics;
    private final BusyPolicies policies;
    private final TaskExecutor executor;
    private final TaskNotifications notifications;

    /**
     * A task ready to be written; {@code traceparent} is the accepting request's trace context, stored
     * with the task so that its run continues the request's trace wherever it runs; {@code audit} its
     * audit entry (null: not audited).
     */
    private record NewTask(UUID taskId, Submission submission, List<String> steps, Instant now, String traceparent,
            AuditRecord audit) {
    }

    TaskSubmitter(DataSource dataSource, TaskPlans plans, TaskChannel channel, TaskEventBus events,
            EngineConfig config, JournalWriter writer, TaskTracing tracing, EngineMetrics metrics,
            BusyPolicies policies, TaskExecutor executor, TaskNotifications notifications) {
        this.notifications = notifications;
        this.policies = policies;
        this.executor = executor;
        this.tracing = tracing;
        this.metrics = metrics;
        this.dataSource = dataSource;
        this.writer = writer;
        this.plans = plans;
        this.channel = channel;
        this.events = events;
        this.retryPolicy = RetryPolicy.from(config.retry());
        this.batches = new GroupCommit<>(this::insertBatch, TaskSubmitter::dataDependent, 2, 256,
                config.acceptCommitTimeout(), metrics::groupCommitBatch);
    }

    /**
     * A task to accept. {@code fingerprint} identifies the request for idempotency (method, path,
     * body); {@code approval} what it needs before it may start (null: nothing); {@code entityLabel}
     * the entity's readable name, only shown ({@code demo/dev}, {@link EntityLabels};
     * null: none but its id), cut to {@value EntityLabels#MAX_LENGTH} characters.
     */
    public record Submission(String type, String entityId, JsonNode payload, String requestedBy, String correlationId,
            String idempotencyKey, String fingerprint, Approval approval, String entityLabel) {

        public Submission {
            if (entityLabel != null && entityLabel.length() > EntityLabels.MAX_LENGTH) {
                entityLabel = entityLabel.substring(0, EntityLabels.MAX_LENGTH);
            }
        }

        /** A submission that needs no approval, without a readable name. */
        public Submission(String type, String entityId, JsonNode payload, String requestedBy, String correlationId,
                String idempotencyKey, String fingerprint) {
            this(type, entityId, payload, requestedBy, correlationId, idempotencyKey, fingerprint, null, null);
        }

        /** A submission without a readable name. */
        public Submission(String type, String entityId, JsonNode payload, String requestedBy, String correlationId,
                String idempotencyKey, String fingerprint, Approval approval) {
            this(type, entityId, payload, requestedBy, correlationId, idempotencyKey, fingerprint, approval, null);
        }

        /** This submission, accepted as {@code awaiting_approval} until {@code approval} is met. */
        public Submission withApproval(Approval approval) {
            return new Submission(type, entityId, payload, requestedBy, correlationId, idempotencyKey, fingerprint,
                    approval, entityLabel);
        }

        /** This submission with its entity's readable name. */
        public Submission withEntityLabel(String entityLabel) {
            return new Submission(type, entityId, payload, requestedBy, correlationId, idempotencyKey, fingerprint,
                    approval, entityLabel);
        }
    }

    /**
     * Approvals a task needs before it may start: {@code required} approvers with {@code approverRole},
     * none of them its requester, within {@code timeout} of its acceptance (docs/change-safety.md).
     */
    public record Approval(int required, String approverRole, Duration timeout) {
    }

    /** The accepted task; {@code created} is false when an Idempotency-Key replayed an earlier request. */
    public record Accepted(UUID taskId, boolean created) {
    }

    /** {@link #submit(Submission, AuditRecord)} without an audit entry (the engine's own tasks, tests). */
    public Accepted submit(Submission submission) {
        return submit(submission, null);
    }

    /**
     * Accepts the task and writes {@code audit} (its target set to the new task) in the same
     * transaction as the task row: no task without its entry, no entry without its task. An
     * Idempotency-Key replay writes nothing, so it adds no entry either: the original one stands.
     */
    public Accepted submit(Submission submission, AuditRecord audit) {
        TaskPlan plan = plans.find(submission.type())
                .orElseThrow(() -> new TaskErrors.UnknownType(submission.type()));
        List<String> steps = plan.steps(submission.payload());
        UUID taskId = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        NewTask task = new NewTask(taskId, submission, steps, now, tracing.currentTraceparent(),
                audit == null ? null : audit.withTarget("task", taskId.toString()));
        BusyPolicy policy = policies.of(submission.type());
        Accepted accepted;
        BusyRules.Applied applied = BusyRules.Applied.NOTHING;
        if (submission.idempotencyKey() == null && policy == BusyPolicy.QUEUE) {
            batches.write(task);
            accepted = new Accepted(taskId, true);
        } else {
            BusyRules.Applied[] effects = {BusyRules.Applied.NOTHING};
            accepted = Tx.run(dataSource, c -> {
                if (submission.idempotencyKey() != null) {
                    UUID existing = claimKey(c, submission.idempotencyKey(), Sha256.hex(submission.fingerprint()),
                            taskId, now);
                    if (existing != null) {
                        return new Accepted(existing, false);
                    }
                }
                if (policy != BusyPolicy.QUEUE) {
                    BusyRules.lockEntity(c, submission.entityId());
                }
                insertTasks(c, List.of(task));
                effects[0] = BusyRules.apply(c, writer, policy, taskId, submission.type(), submission.entityId(), now);
                return new Accepted(taskId, true);
            });
            applied = effects[0];
        }
        if (accepted.created()) {
            metrics.taskAccepted(submission.type());
            events.publish(acceptedEvent(task));
            applied.superseded().forEach(events::publish);
            if (!applied.superseded().isEmpty()) {
                metrics.superseded(submission.type(), applied.superseded().size());
            }
            applied.cancelRequested().forEach(executor::requestCancelLocally);
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

    private static TaskEvent acceptedEvent(NewTask t) {
        Approval approval = t.submission().approval();
        if (approval == null) {
            return new TaskEvent(t.taskId(), 1, TaskEvent.KIND_TASK, null, TaskStatus.QUEUED.value(), "accepted", null,
                    t.now());
        }
        return new TaskEvent(t.taskId(), 1, TaskEvent.KIND_TASK, null, TaskStatus.AWAITING_APPROVAL.value(),
                "accepted; awaiting approval: " + approval.required() + " by role " + approval.approverRole()
                        + " (not the requester) before " + t.now().plus(approval.timeout()),
                null, t.now());
    }

    private void insertBatch(List<NewTask> tasks) {
        Tx.run(dataSource, c -> {
            insertTasks(c, tasks);
            return null;
        });
    }

    /** A failure one task's data could cause (SQLSTATE class 22 data exception, 23 integrity constraint). */
    private static boolean dataDependent(Throwable failure) {
        if (failure instanceof Tx.DataAccessException e && e.sqlState() != null) {
            return e.sqlState().startsWith("22") || e.sqlState().startsWith("23");
        }
        return false;
    }

    /**
     * Inserts tasks with their steps and first events: three statements for any number of tasks (the
     * driver rewrites the batch of task rows into multi-row inserts, {@code reWriteBatchedInserts},
     * whose queue positions are drawn in list order; steps and events travel as arrays).
     */
    private void insertTasks(Connection c, List<NewTask> tasks) throws SQLException {
        // first: whatever fails after it takes the entries with it
        AuditTrail.insert(c, tasks.stream().map(NewTask::audit).filter(java.util.Objects::nonNull).toList());
        try (PreparedStatement task = c.prepareStatement(
                """
                        INSERT INTO task (id, type, status, entity_id, queue_position, correlation_id, idempotency_key, requested_by,
                                          payload, attempt, max_attempts, created_at, next_attempt_at, event_seq, traceparent,
                                          approvals_required, approver_role, approval_deadline, entity_label)
                        VALUES (?, ?, ?, ?, nextval('task_queue_position'), ?, ?, ?, ?::jsonb, 0, ?, ?, ?, 1, ?, ?, ?, ?, ?)""")) {
            for (NewTask t : tasks) {
                Submission s = t.submission();
                Approval approval = s.approval();
                task.setObject(1, t.taskId());
                task.setString(2, s.type());
                task.setString(3, (approval == null ? TaskStatus.QUEUED : TaskStatus.AWAITING_APPROVAL).value());
                task.setString(4, s.entityId());
                task.setString(5, s.correlationId() == null ? t.taskId().toString() : s.correlationId());
                task.setString(6, s.idempotencyKey());
                task.setString(7, s.requestedBy());
                task.setString(8, s.payload().toString());
                task.setInt(9, retryPolicy.maxAttempts());
                task.setTimestamp(10, Timestamp.from(t.now()));
                task.setTimestamp(11, Timestamp.from(t.now()));
                task.setString(12, t.traceparent());
                task.setInt(13, approval == null ? 0 : approval.required());
                task.setString(14, approval == null ? null : approval.approverRole());
                task.setTimestamp(15, approval == null ? null : Timestamp.from(t.now().plus(approval.timeout())));
                task.setString(16, s.entityLabel());
                task.addBatch();
            }
            task.executeBatch();
        }
        List<Object> stepTask = new ArrayList<>();
        List<Integer> stepIndex = new ArrayList<>();
        List<String> stepName = new ArrayList<>();
        for (NewTask t : tasks) {
            for (int i = 0; i < t.steps().size(); i++) {
                stepTask.add(t.taskId());
                stepIndex.add(i);
                stepName.add(t.steps().get(i));
            }
        }
        try (PreparedStatement step = c.prepareStatement(
                """
                        INSERT INTO task_step (task_id, idx, name, status)
                        SELECT task_id, idx, name, 'pending' FROM unnest(?::uuid[], ?::int[], ?::varchar[]) AS s(task_id, idx, name)""")) {
            step.setArray(1, c.createArrayOf("uuid", stepTask.toArray()));
            step.setArray(2, c.createArrayOf("int4", stepIndex.toArray()));
            step.setArray(3, c.createArrayOf("varchar", stepName.toArray()));
            step.executeUpdate();
        }
        List<TaskEvent> accepted = new ArrayList<>(tasks.size());
        for (NewTask t : tasks) {
            accepted.add(acceptedEvent(t));
            if (t.submission().approval() != null) { // the approvers hear of it (Approve / Reject buttons)
                notifications.enqueueForTask(c, t.taskId());
            }
        }
        writer.insertEvents(c, accepted);
    }

}
